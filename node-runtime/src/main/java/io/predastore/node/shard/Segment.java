package io.predastore.node.shard;

import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One append-only segment file. At most one appender owns it at a time (a streaming writer, the compactor, or
 * the store's small-shard appender, which appends whole records under its lock); readers use positional reads
 * and hold a reference so the file outlives compaction until they close.
 */
final class Segment {

    final long number;
    final Path path;
    final FileChannel channel;
    /** Append position; written only by the owning appender. */
    volatile long size;
    /** Bytes of records the index points at. */
    final AtomicLong liveBytes = new AtomicLong();
    /** The store's reference plus one per open reader; the file is deleted when it drops to 0 after retire. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean deleteOnRelease;
    /** Set when full: no more appends, eligible for compaction. Guarded by the store's segment lock. */
    boolean sealed;
    /** Checked out by an appender, or reserved by compaction. Guarded by the store's segment lock. */
    boolean busy;
    /** Small-shard commits appended but not yet published. Guarded by the store's segment lock. */
    int pendingCommits;
    /** Group commit of this file. */
    final GroupSync sync;

    private Segment(long number, Path path, FileChannel channel, long size, GroupSync.Counters counters) {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.sync = new GroupSync(channel, counters);
    }

    static String fileName(long number) {
        return String.format("%016d.seg", number);
    }

    static long parseNumber(String fileName) {
        if (!fileName.endsWith(".seg") || fileName.length() != 20) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 16));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Segment create(Path dir, long number, GroupSync.Counters counters) throws IOException {
        Path path = dir.resolve(fileName(number));
        FileChannel ch = OwnerOnly.open(path, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        return new Segment(number, path, ch, 0, counters);
    }

    static Segment open(Path path, long number, GroupSync.Counters counters) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(number, path, ch, ch.size(), counters);
    }

    /** Appends all of {@code b} at the end. Only the owning appender calls this. */
    void append(ByteBuffer b) throws IOException {
        long pos = size;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
        size = pos;
    }

    /** Drops everything from {@code offset} on (an aborted record). Only the owning appender calls this. */
    void truncate(long offset) throws IOException {
        channel.truncate(offset);
        size = offset;
    }

    /** Reads exactly {@code b.remaining()} bytes at {@code pos}; false if the file ends first. */
    boolean readFully(ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                return false;
            }
            pos += n;
        }
        return true;
    }

    boolean tryAcquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            try {
                channel.close();
                if (deleteOnRelease) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // The file is unreferenced; a leftover is removed on the next open since no index entry uses it.
            }
        }
    }

    /** Drops the store's reference; the file is deleted once the last reader closes. */
    void retire(boolean delete) {
        deleteOnRelease = delete;
        release();
    }
}
