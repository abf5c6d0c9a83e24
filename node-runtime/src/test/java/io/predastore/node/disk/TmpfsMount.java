package io.predastore.node.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited tmpfs mounted on a directory for one test (mounting needs root), so that a node's disk can
 * really fill up. Where it cannot be mounted the test is skipped, except in CI ({@code CI=true}), where that is a
 * failure: CI runs as root and must run these tests. {@link #close()} unmounts it, lazily if it is still busy.
 */
public final class TmpfsMount implements AutoCloseable {
    private final Path dir;
    private boolean mounted = true;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 96m}) on {@code dir}, creating the directory. */
    public static TmpfsMount mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String failure;
        try {
            Run r = run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString());
            failure = r.exit() == 0 ? null : r.output().trim();
        } catch (IOException e) {
            failure = e.getMessage();
        }
        if (failure != null) {
            String why = "cannot mount a " + size + " tmpfs on " + dir + " (" + failure + "); this test needs root";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Bytes free on the tmpfs. */
    public long usableBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException {
        if (!mounted) {
            return;
        }
        mounted = false;
        try {
            if (run("umount", dir.toString()).exit() != 0) {
                // Still in use (a process that did not stop in time): detach it now, freed once unused.
                Run lazy = run("umount", "-l", dir.toString());
                if (lazy.exit() != 0) {
                    throw new IOException("cannot unmount the tmpfs on " + dir + ": " + lazy.output().trim());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + dir, e);
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 30 s");
        }
        return new Run(p.exitValue(), out);
    }
}
