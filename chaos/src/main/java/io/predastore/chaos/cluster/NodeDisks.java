package io.predastore.chaos.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small file system of its own for every node's data directory (a size-limited tmpfs), so that a node's disk can
 * really fill up without filling the machine's: {@link #fill} writes a file of zeros until only a given number of
 * bytes is free, {@link #free} deletes it. A killed node loses nothing on tmpfs that it would not lose on a disk
 * (the page cache survives a process kill either way), so the other faults test the same thing on it.
 *
 * <p>Mounting needs root, as the network hosts do. Each mount's source is named {@code pdcdisk-<pid>} after the JVM
 * that made it, so {@link #removeLeftovers()} can unmount what a crashed run left without touching a live run's.
 * Thread-safe.
 */
final class NodeDisks implements AutoCloseable {
    /** The file {@link #fill} writes in a data directory. */
    static final String FILLER = "chaos-disk-filler";
    private static final String SOURCE_PREFIX = "pdcdisk-";
    private static final int BUFFER = 1 << 20;

    private final Map<Integer, Path> mounts = new LinkedHashMap<>();
    private final String source = SOURCE_PREFIX + ProcessHandle.current().pid();
    private final long sizeBytes;

    NodeDisks(long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    /**
     * Mounts a tmpfs of this size on {@code dataDir}; what the directory held (the node's cluster secret) is copied
     * onto it with its permissions.
     *
     * @throws IOException if the mount fails (the message says why; usually not root)
     */
    synchronized void mount(int node, Path dataDir) throws IOException {
        Path aside = dataDir.resolveSibling(dataDir.getFileName() + ".before-mount");
        Files.move(dataDir, aside, StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectories(dataDir);
        Command.run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes + ",mode=0700", source, dataDir.toString());
        mounts.put(node, dataDir);
        try (Stream<Path> files = Files.list(aside)) {
            for (Path f : files.toList()) {
                Files.copy(f, dataDir.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                Files.delete(f);
            }
        }
        Files.delete(aside);
    }

    /** The size of every node's file system, in bytes. */
    long sizeBytes() {
        return sizeBytes;
    }

    /**
     * Writes zeros into {@code <dataDir>/}{@value #FILLER} until only {@code leaveFree} bytes are free on node
     * {@code node}'s file system (or it is full), and returns how many bytes it wrote. Synced, so the space is
     * really taken.
     */
    synchronized long fill(int node, long leaveFree) throws IOException {
        Path dir = mountOf(node);
        FileStore store = Files.getFileStore(dir);
        long toWrite = store.getUsableSpace() - leaveFree;
        long written = 0;
        ByteBuffer zeros = ByteBuffer.allocate(BUFFER);
        try (FileChannel ch = FileChannel.open(dir.resolve(FILLER), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (written < toWrite) {
                zeros.clear().limit((int) Math.min(BUFFER, toWrite - written));
                try {
                    written += ch.write(zeros);
                } catch (IOException e) {
                    // The node took the last bytes meanwhile: the disk is as full as it gets.
                    break;
                }
            }
            ch.force(false);
        }
        return written;
    }

    /** Deletes what {@link #fill} wrote on node {@code node}; nothing to delete is fine. */
    synchronized void free(int node) throws IOException {
        Files.deleteIfExists(mountOf(node).resolve(FILLER));
    }

    /** Bytes free on node {@code node}'s file system. */
    long usable(int node) throws IOException {
        return Files.getFileStore(mountOf(node)).getUsableSpace();
    }

    /**
     * Unmounts node {@code node}'s file system (lazily if still busy), for a node that has left the cluster; nothing
     * mounted for it is fine. Run once its process has exited.
     */
    synchronized void release(int node) throws IOException {
        Path dir = mounts.remove(node);
        List<String> failures = new ArrayList<>();
        if (dir != null && !unmount(dir.toString(), failures)) {
            throw new IOException("could not unmount the disk of node " + node + ": " + String.join("; ", failures));
        }
    }

    /** Unmounts every file system mounted here (lazily if still busy). Run once the node processes have exited. */
    @Override
    public synchronized void close() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Path dir : mounts.values()) {
            unmount(dir.toString(), failures);
        }
        mounts.clear();
        if (!failures.isEmpty()) {
            throw new IOException("could not unmount node disks: " + String.join("; ", failures));
        }
    }

    /**
     * Unmounts the node file systems of runs whose JVM is gone (a crashed or killed run), found in
     * {@code /proc/mounts} by their source name.
     *
     * @return the directories unmounted
     */
    static List<String> removeLeftovers() throws IOException {
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Path mountsFile = Path.of("/proc/mounts");
        if (!Files.isReadable(mountsFile)) {
            return removed;
        }
        for (String line : Files.readAllLines(mountsFile, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length < 3 || !f[0].startsWith(SOURCE_PREFIX) || !f[2].equals("tmpfs")) {
                continue;
            }
            long pid;
            try {
                pid = Long.parseLong(f[0].substring(SOURCE_PREFIX.length()));
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            // /proc/mounts escapes spaces and the like as octal (\040).
            String dir = f[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
            if (unmount(dir, failures)) {
                removed.add(dir);
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove leftover node disks: " + String.join("; ", failures));
        }
        return removed;
    }

    private Path mountOf(int node) {
        Path dir = mounts.get(node);
        if (dir == null) {
            throw new IllegalArgumentException("node " + node + " has no disk of its own here");
        }
        return dir;
    }

    private static boolean unmount(String dir, List<String> failures) {
        try {
            Command.run("umount", dir);
            return true;
        } catch (IOException e) {
            try {
                Command.run("umount", "-l", dir);
                return true;
            } catch (IOException lazy) {
                failures.add(lazy.getMessage());
                return false;
            }
        }
    }

    /** Runs a short command, failing with its output. */
    private static final class Command {
        private Command() {
        }

        static void run(String... command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("`" + String.join(" ", command) + "` did not finish within 30 s");
                }
                if (p.exitValue() != 0) {
                    throw new IOException("`" + String.join(" ", command) + "` failed (exit " + p.exitValue() + "): "
                            + out + (out.contains("permission") || out.contains("only root") ? "; run as root" : ""));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running `" + String.join(" ", command) + "`", e);
            }
        }
    }
}
