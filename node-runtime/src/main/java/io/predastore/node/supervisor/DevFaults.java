package io.predastore.node.supervisor;

import io.predastore.node.pki.ClusterSecret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Faults a developer injects into a node of a dev cluster on this machine, to watch the cluster find and heal them:
 * flipping bytes inside a shard segment file (which the node's scrubber should find corrupt), and wiping a stopped
 * node's data as if its disk had been replaced. Never for a production node: each call first checks that the
 * directory is a node data directory ({@link #requireNodeDataDir}) and touches nothing outside it.
 *
 * <p>The corruption is deliberately simple: it picks a random segment file and a random offset in the middle half
 * of it, without reading the segment's record layout. The bytes hit are usually inside a live shard record, but may
 * fall in a record that compaction has not yet removed (a dead record): then nothing is ever detected, because no
 * read or scrub looks at it. Stateless; the randomness is the caller's, so a test can repeat a run.
 */
public final class DevFaults {
    /** How many consecutive bytes {@link #corruptRandomShard} flips. */
    public static final int FLIPPED_BYTES = 16;
    /** Segments shorter than this hold too little to aim at the middle of; they are skipped. */
    static final long MIN_SEGMENT_BYTES = 4L * FLIPPED_BYTES;
    private static final String SEGMENT_SUFFIX = ".seg";

    /**
     * What {@link #corruptRandomShard} did.
     *
     * @param segment the segment file changed
     * @param offset  where the flipped bytes start
     * @param length  how many bytes were flipped
     */
    public record Corruption(Path segment, long offset, int length) {
        public Corruption {
            Objects.requireNonNull(segment, "segment");
        }
    }

    private DevFaults() {
    }

    /** The directory of a data directory's shard segment files. */
    public static Path segmentsDir(Path dataDir) {
        return dataDir.resolve("shards").resolve("segments");
    }

    /**
     * Flips (inverts) {@link #FLIPPED_BYTES} bytes at a random offset in the middle half of a random segment file
     * of the node whose data directory is {@code dataDir}. The node may be running: it reads segments with
     * positional reads, so it sees the change on its next read of those bytes.
     *
     * @throws IOException if {@code dataDir} is not a node data directory, it holds no segment of at least
     *     {@link #MIN_SEGMENT_BYTES} bytes (the node has no shards yet: upload objects first), or the file cannot
     *     be written
     */
    public static Corruption corruptRandomShard(Path dataDir, Random random) throws IOException {
        Path dir = requireNodeDataDir(dataDir);
        List<Path> segments = segments(dir);
        if (segments.isEmpty()) {
            throw new IOException("the node data directory " + dir + " holds no shard segment yet; upload some "
                    + "objects first");
        }
        Path segment = segments.get(random.nextInt(segments.size()));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long from = size / 4;
            long span = Math.max(1, size / 2 - FLIPPED_BYTES);
            long offset = from + (long) (random.nextDouble() * span);
            ByteBuffer bytes = ByteBuffer.allocate(FLIPPED_BYTES);
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, offset + bytes.position()) < 0) {
                    break;
                }
            }
            bytes.flip();
            for (int i = 0; i < bytes.limit(); i++) {
                bytes.put(i, (byte) ~bytes.get(i));
            }
            int length = bytes.limit();
            while (bytes.hasRemaining()) {
                channel.write(bytes, offset + bytes.position());
            }
            channel.force(false);
            return new Corruption(segment, offset, length);
        }
    }

    /**
     * Deletes the shards and the metadata (database and Raft log) of the node whose data directory is
     * {@code dataDir}, keeping the cluster secret and every other file, so the node starts again empty, as on a
     * replaced disk. The node must be stopped: deleting files under a running node would fail it in ways that say
     * nothing about healing.
     *
     * @return the directories deleted (those that existed)
     * @throws IOException if {@code dataDir} is not a node data directory or a file cannot be deleted
     */
    public static List<Path> wipe(Path dataDir) throws IOException {
        Path dir = requireNodeDataDir(dataDir);
        List<Path> deleted = new ArrayList<>();
        for (String name : List.of("shards", "meta")) {
            Path sub = dir.resolve(name);
            if (Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(sub);
                deleted.add(sub);
            }
        }
        return List.copyOf(deleted);
    }

    /**
     * {@code dataDir} as a real path, if it is a node data directory: a directory holding the cluster secret
     * ({@link ClusterSecret#fileIn}), which every node of a dev cluster gets when the cluster is created or its node
     * first started.
     *
     * @throws IOException naming the directory if it is not one
     */
    public static Path requireNodeDataDir(Path dataDir) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        if (!Files.isDirectory(dataDir)) {
            throw new NoSuchFileException(dataDir.toString(), null, "not a directory, so not a node data directory");
        }
        Path real = dataDir.toRealPath();
        if (!Files.isRegularFile(ClusterSecret.fileIn(real), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(real + " is not a node data directory (it has no "
                    + ClusterSecret.fileIn(real).getFileName() + "); refusing to change files there");
        }
        return real;
    }

    /**
     * The segment files of a data directory large enough to aim at, that really lie inside it (a linked
     * {@code shards} directory pointing elsewhere is not followed out).
     */
    private static List<Path> segments(Path realDataDir) throws IOException {
        Path dir = segmentsDir(realDataDir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.getFileName().toString().endsWith(SEGMENT_SUFFIX)
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && p.toRealPath().startsWith(realDataDir)
                        && Files.size(p) >= MIN_SEGMENT_BYTES) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Deletes a directory tree without following links out of it (a link is deleted, not its target). */
    static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
