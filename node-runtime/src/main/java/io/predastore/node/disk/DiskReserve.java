package io.predastore.node.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space a node keeps on the file system of its data directory for the writes that free space. Below it,
 * new data (objects, parts, shards, buckets, uploads) is refused with {@link StorageFullException}, while deletes,
 * tombstones, aborts, RocksDB flushes and compactions and the Raft entries recording deletes still have room.
 *
 * <p>The check is cheap: free space is read from the file system (one {@code statfs}) at most every
 * {@link #SAMPLE_NANOS}, and from it are subtracted the bytes of writes admitted since ({@link #admit}, for writes
 * made at once) and of writes still in progress ({@link #reserve}, for bodies that stream in over a while), so
 * neither a burst of writes between two readings nor a few long uploads can run through the reserve unnoticed. A
 * write in progress is counted whole until it ends, though part of it is on disk already: near the reserve that
 * refuses a little early, never late. A refusal always reads the file system again first, so space freed by a
 * delete is seen at once. What the estimate still misses (writes outside the node) the reserve absorbs, and a real
 * ENOSPC is answered the same way (see {@link NoSpace}).
 *
 * <p>Once below the reserve, free space must come back {@linkplain #hysteresisBytes() a margin} above it (an
 * eighth of the reserve, at least 1 MiB) before new data is accepted again: without it a node at the edge would flip
 * between refusing and accepting with every flush, purge or small write, and a cluster with it. Crossing the reserve
 * in either direction is logged once, with the directory and the figures.
 *
 * <p>Thread-safe and lock-free except while reading the file system.
 */
public final class DiskReserve {
    /**
     * What a write of new data is admitted for beyond its own bytes: the records, log and index entries it adds and
     * their share of the flushes and compactions that follow. It also means that once one write is refused for
     * space, so is every other kind, even those that carry no data (creating a bucket or an upload).
     */
    public static final long RECORD_BYTES = 64 * 1024;
    /** How long a reading of the free space is used before the file system is asked again. */
    static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The default reserve is this share of the file system ... */
    static final int DEFAULT_PERCENT = 5;
    /** ... but at least this much ... */
    static final long DEFAULT_MIN = 64L << 20;
    /** ... and at most this much; and never more than a quarter of a small file system. */
    static final long DEFAULT_MAX = 1L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(DiskReserve.class);

    private final String directory;
    private final long reserveBytes;
    private final long hysteresisBytes;
    private final LongSupplier usableSpace;
    private final LongSupplier nanoTime;
    /** Bytes written since the last reading; they are not in {@link #sampled} yet. */
    private final AtomicLong admitted = new AtomicLong();
    /** Bytes of writes admitted by {@link #reserve} and still in progress. */
    private final AtomicLong pending = new AtomicLong();
    private final Object sampling = new Object();
    private volatile long sampled;
    private volatile long sampledAt;
    private volatile boolean hasSample;
    private volatile boolean below;

    /**
     * @param directory the directory guarded, for log lines only (never shown to clients)
     * @param reserveBytes free bytes to keep; 0 refuses only what cannot fit at all
     * @param usableSpace reads the bytes this process may still write on the file system (may throw
     *     {@link UncheckedIOException})
     * @param nanoTime a monotonic clock in nanoseconds
     */
    public DiskReserve(String directory, long reserveBytes, LongSupplier usableSpace, LongSupplier nanoTime) {
        if (reserveBytes < 0) {
            throw new IllegalArgumentException("the free-space reserve must be 0 or more bytes, not " + reserveBytes);
        }
        this.directory = Objects.requireNonNull(directory, "directory");
        this.reserveBytes = reserveBytes;
        this.hysteresisBytes = reserveBytes == 0 ? 0 : Math.max(1L << 20, reserveBytes / 8);
        this.usableSpace = Objects.requireNonNull(usableSpace, "usableSpace");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * A reserve for the file system holding {@code dir}: {@code reserveBytes}, or when that is null the default
     * ({@link #defaultReserve}).
     */
    public static DiskReserve of(Path dir, Long reserveBytes) throws IOException {
        FileStore store = Files.getFileStore(dir);
        long total = store.getTotalSpace();
        long reserve = reserveBytes != null ? reserveBytes : defaultReserve(total);
        if (reserve > 0 && reserve >= total) {
            throw new IOException("The free-space reserve of " + size(reserve) + " is not smaller than the file system "
                    + "of " + dir + " (" + size(total) + "); choose a smaller reserve");
        }
        return new DiskReserve(dir.toString(), reserve, () -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, System::nanoTime);
    }

    /**
     * The reserve used when none is configured: {@value #DEFAULT_PERCENT}% of the file system, at least 64 MiB and
     * at most 1 GiB, and never more than a quarter of a file system smaller than 256 MiB. That leaves room for a
     * shard segment being compacted, the RocksDB write buffers being flushed (they are sized from the reserve, see
     * {@link NodeDisk}) and a few Raft log segments.
     */
    public static long defaultReserve(long fileSystemBytes) {
        long share = fileSystemBytes / 100 * DEFAULT_PERCENT;
        long bounded = Math.max(DEFAULT_MIN, Math.min(DEFAULT_MAX, share));
        return Math.min(bounded, fileSystemBytes / 4);
    }

    /** The bytes kept free. */
    public long reserveBytes() {
        return reserveBytes;
    }

    /** How far above the reserve free space must come back, once below it, before new data is accepted again. */
    public long hysteresisBytes() {
        return hysteresisBytes;
    }

    /**
     * Admits a write of {@code bytes} made at once, or refuses it: refused when it would leave less free space than
     * the reserve (with {@code bytes} 0: when free space is already below it). An admitted write is counted against
     * the free space until the next reading of the file system.
     *
     * @param what names the write for the message, e.g. "store the object" (no paths: clients see it)
     * @throws StorageFullException if refused
     */
    public void admit(String what, long bytes) throws StorageFullException {
        check(what, bytes);
        admitted.addAndGet(bytes);
    }

    /**
     * Admits a write of {@code bytes} that goes on for a while (a body streaming in), or refuses it like
     * {@link #admit}. The write counts against the free space until the returned reservation is closed, and until
     * the next reading of the file system after that.
     *
     * @throws StorageFullException if refused
     */
    public Reservation reserve(String what, long bytes) throws StorageFullException {
        check(what, bytes);
        pending.addAndGet(bytes);
        return new Reservation(bytes);
    }

    private void check(String what, long bytes) throws StorageFullException {
        if (bytes < 0) {
            throw new IllegalArgumentException("a write of " + bytes + " bytes");
        }
        long free = estimate(false);
        if (free - bytes < reserveBytes || below) {
            // Space may have been freed since the last reading: refuse only on a fresh one.
            free = estimate(true);
            if (free - bytes < reserveBytes || below) {
                throw refusal(what, bytes, free);
            }
        }
    }

    /** A write in progress, counted against the free space until closed. Close it once, when the write ends. */
    public final class Reservation implements AutoCloseable {
        private final long bytes;
        private boolean closed;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                // Written (or removed again): counted as written until the next reading shows what is on disk.
                admitted.addAndGet(bytes);
                pending.addAndGet(-bytes);
            }
        }
    }

    /**
     * Whether the node refuses new data: free space fell below the reserve and has not yet come back above it by
     * {@link #hysteresisBytes()} (from a reading at most {@link #SAMPLE_NANOS} old).
     */
    public boolean belowReserve() {
        estimate(false);
        return below;
    }

    /** The estimated free bytes now (from a reading at most {@link #SAMPLE_NANOS} old). */
    public long usableBytes() {
        return Math.max(0, estimate(false));
    }

    /** Reads the free space from the file system now and returns it; logs a crossing of the reserve. */
    public long refresh() {
        return Math.max(0, estimate(true));
    }

    private long estimate(boolean fresh) {
        long now = nanoTime.getAsLong();
        if (fresh || !hasSample || now - sampledAt >= SAMPLE_NANOS) {
            sample(now, fresh);
        }
        long free = sampled - admitted.get() - pending.get();
        track(free);
        return free;
    }

    private void sample(long now, boolean fresh) {
        synchronized (sampling) {
            if (!fresh && hasSample && now - sampledAt < SAMPLE_NANOS) {
                return; // another thread read it meanwhile
            }
            long before = admitted.get();
            long usable;
            try {
                usable = usableSpace.getAsLong();
            } catch (UncheckedIOException | SecurityException e) {
                // Keep the last reading (or assume nothing is free before the first): refusing writes is safer
                // than admitting them blind. The next call tries again.
                LOG.warn("Cannot read the free space of {}: {}", directory, e.toString());
                if (!hasSample) {
                    sampled = 0;
                    hasSample = true;
                }
                sampledAt = now;
                return;
            }
            // Writes admitted while the file system was being read stay counted; earlier ones are in the reading.
            admitted.addAndGet(-before);
            sampled = usable;
            sampledAt = now;
            hasSample = true;
        }
    }

    private void track(long free) {
        boolean nowBelow = free < reserveBytes + (below ? hysteresisBytes : 0);
        if (nowBelow == below) {
            return;
        }
        synchronized (sampling) {
            nowBelow = free < reserveBytes + (below ? hysteresisBytes : 0);
            if (nowBelow == below) {
                return;
            }
            below = nowBelow;
        }
        if (nowBelow) {
            LOG.warn("Free space on the file system of {} is {}, below the reserve of {}: new data is refused "
                    + "(507 StorageFull) until space is freed; reads, deletes and aborts still work",
                    directory, size(free), size(reserveBytes));
        } else {
            LOG.info("Free space on the file system of {} is back to {} (reserve {}): new data is accepted again",
                    directory, size(free), size(reserveBytes));
        }
    }

    private StorageFullException refusal(String what, long bytes, long free) {
        if (free >= reserveBytes && below) {
            return new StorageFullException("Cannot " + what + ": this node fell below its reserve of "
                    + size(reserveBytes) + " and accepts new data again once it has " + size(reserveBytes
                    + hysteresisBytes) + " free; it has " + size(free) + ". " + StorageFullException.WHAT_TO_DO);
        }
        if (free < reserveBytes) {
            return new StorageFullException("Cannot " + what + ": this node has " + size(free)
                    + " of free space, less than its reserve of " + size(reserveBytes)
                    + ", so it accepts no new data. " + StorageFullException.WHAT_TO_DO);
        }
        return new StorageFullException("Cannot " + what + ": it needs " + size(bytes) + " but this node has only "
                + size(free - reserveBytes) + " free above its reserve of " + size(reserveBytes) + ". "
                + StorageFullException.WHAT_TO_DO);
    }

    /** A size for messages, e.g. {@code 23.4 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double kib = bytes / 1024.0;
        if (kib < 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", kib);
        }
        double mib = kib / 1024;
        if (mib < 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", mib);
        }
        return String.format(Locale.ROOT, "%.2f GiB", mib / 1024);
    }
}
