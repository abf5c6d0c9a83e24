package io.predastore.node.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Creates and keeps a node's directories and files readable by their owner only: directories {@code rwx------},
 * files {@code rw-------}. Objects, shards, metadata and keys must not be readable by other local users, and a
 * secret must never exist on disk, even for a moment, with wider permissions.
 *
 * <p>The JVM cannot set the process umask, so files that libraries create themselves (RocksDB, Ratis) get the
 * permissions the umask allows; the launchers and the supervisor start nodes with umask 077, and because every
 * directory above them is owner-only they are unreachable by others either way. {@link #tighten} narrows what an
 * earlier run left wider. On file systems without POSIX permissions (Windows) these calls create the files and
 * directories with the platform's defaults. Stateless and thread-safe.
 */
public final class OwnerOnly {
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /**
     * Creates {@code dir} and its missing parents, each new one owner-only; {@code dir} itself is made owner-only
     * even if it existed. Parents that existed are left as they are (they may be the user's home).
     *
     * @throws IOException if a directory cannot be created or its permissions set
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!posix(absolute)) {
            return Files.createDirectories(absolute);
        }
        Path missingFrom = absolute;
        while (missingFrom.getParent() != null && !Files.exists(missingFrom.getParent())) {
            missingFrom = missingFrom.getParent();
        }
        for (Path p = missingFrom; ; p = p.resolve(absolute.getName(p.getNameCount()))) {
            if (!Files.isDirectory(p)) {
                try {
                    Files.createDirectory(p, directoryAttribute());
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (!Files.isDirectory(p)) {
                        throw e;
                    }
                }
                // The umask may have narrowed the mode further, never widened it; set it exactly.
                Files.setPosixFilePermissions(p, DIRECTORY);
            }
            if (p.equals(absolute)) {
                break;
            }
        }
        Files.setPosixFilePermissions(absolute, DIRECTORY);
        return absolute;
    }

    /**
     * Writes {@code bytes} to {@code file} so that no reader ever sees a partial file and no other user can ever
     * read it: a new owner-only file beside it is written, forced to disk and moved over {@code file} atomically.
     *
     * @throws IOException if it cannot be written; {@code file} is then unchanged
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Removes every group and others permission below {@code root} (and from {@code root}): directories become
     * {@code rwx------} at most, files {@code rw-------} at most. Symbolic links are not followed. Files that vanish
     * meanwhile are skipped.
     *
     * @return how many entries were narrowed
     * @throws IOException if the tree cannot be walked or a permission cannot be set
     */
    public static int tighten(Path root) throws IOException {
        return tighten(root, Set.of());
    }

    /**
     * As {@link #tighten(Path)}, but does not descend into the directories {@code skip} names (relative to
     * {@code root}): large trees of files this node always creates owner-only, where a walk would cost time and find
     * nothing.
     */
    public static int tighten(Path root, Set<Path> skip) throws IOException {
        if (!Files.exists(root) || !posix(root)) {
            return 0;
        }
        Set<Path> skipped = new java.util.HashSet<>();
        for (Path s : skip) {
            skipped.add(root.resolve(s).normalize());
        }
        int[] narrowed = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                narrow(dir);
                return skipped.contains(dir.normalize()) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isDirectory()) {
                    narrow(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            private void narrow(Path p) throws IOException {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    if (perms.removeAll(GROUP_OR_OTHERS)) {
                        Files.setPosixFilePermissions(p, perms);
                        narrowed[0]++;
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile (a compaction, a finished upload): nothing to narrow
                }
            }
        });
        return narrowed[0];
    }

    /**
     * Whether files created in {@code dir} without explicit permissions would be readable or writable by group or
     * others, i.e. whether the process umask is wider than 077. False where permissions are not POSIX.
     *
     * @throws IOException if a probe file cannot be created in {@code dir}
     */
    public static boolean umaskIsPermissive(Path dir) throws IOException {
        if (!posix(dir)) {
            return false;
        }
        Path probe = Files.createTempFile(dir, ".umask-probe", "");
        try {
            // createTempFile asks for rw------- itself; a plain create shows what the umask allows.
            Files.delete(probe);
            Files.createFile(probe);
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(probe);
            perms.retainAll(GROUP_OR_OTHERS);
            return !perms.isEmpty();
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The attribute that creates a file {@code rw-------}. */
    public static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /** The attribute that creates a directory {@code rwx------}. */
    public static FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
        return PosixFilePermissions.asFileAttribute(DIRECTORY);
    }

    /**
     * Whether {@code path}'s file system takes POSIX permissions (Linux, macOS; not Windows). Cheap: decided once per
     * file system, so it may sit on a hot path.
     */
    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Opens {@code file} with {@code options}; if the options create it, it is created {@code rw-------}.
     *
     * @throws IOException as {@link FileChannel#open(Path, Set, FileAttribute[])}
     */
    public static FileChannel open(Path file, Set<? extends java.nio.file.OpenOption> options) throws IOException {
        return posix(file) ? FileChannel.open(file, options, fileAttribute()) : FileChannel.open(file, options);
    }
}
