package io.predastore.node.disk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.rocksdb.DBOptionsInterface;
import org.rocksdb.Env;
import org.rocksdb.MutableColumnFamilyOptionsInterface;
import org.rocksdb.MutableDBOptionsInterface;
import org.rocksdb.Priority;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileManager;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's data disk: the {@link DiskReserve} every write path checks, the RocksDB settings every database on the
 * disk is opened with, and a watch on those databases that says loudly (log, admin API) when one has stopped.
 *
 * <h2>RocksDB on a full disk</h2>
 * When a flush or compaction fails, RocksDB stops accepting writes, deletes included, until the error is cleared;
 * RocksJava has no {@code Resume()}. It clears an out-of-space error by itself when an {@link SstFileManager} is
 * configured and free space has grown past its largest write buffer. So every database opened here:
 * <ul>
 *   <li>shares this disk's SstFileManager, which enables that recovery;</li>
 *   <li>has write buffers of {@link #writeBufferBytes()} (an eighth of the reserve, 1 to 64 MiB, and in total per
 *   database), so that a flush always fits in the reserve and recovery starts as soon as the reserve is back;</li>
 *   <li>is probed by {@link #check()} with an empty write: a stopped database fails it. A database failing for
 *   {@link #STUCK_NANOS} while the disk is above its reserve will not recover by itself, and the node reports that
 *   it needs a restart;</li>
 *   <li>is written only through {@link #write}, which never lets RocksDB block the writer. RocksDB holds a
 *   writer while a flush it waits for is pending, and a flush that finds no room on the disk, or never gets a
 *   background thread, holds it for good, past any shutdown. {@code write} asks RocksDB to refuse such a write
 *   at once instead, and waits in its own loop: it refuses the write as a full disk while the disk is
 *   {@linkplain #atRisk() at risk}, and as {@linkplain DiskBusyException busy} once it has waited its
 *   patience;</li>
 *   <li>a database that stalls writes for {@link #STALL_REPORT_NANOS} with the disk above its reserve is reported
 *   by {@link #health()} too: its background flushes are not finishing.</li>
 * </ul>
 * RocksDB runs every database's flushes and compactions on one process-wide pair of thread pools; this class sizes
 * them ({@link #FLUSH_THREADS}, {@link #COMPACTION_THREADS}) so that one database's slow job does not leave the
 * others without a thread.
 * No RocksJava event listener is used: RocksJava 10 cannot map RocksDB's newer background-error reasons, and a
 * listener that fails on them turns RocksDB's automatic recovery off (seen on a full tmpfs).
 *
 * <p>Components that cannot recover at all (a Raft log that failed to append, a state machine that stopped to avoid
 * diverging) report it with {@link #reportFailure}. Thread-safe; close it after every database that uses it.
 */
public final class NodeDisk implements AutoCloseable {
    /** How long a database may refuse writes, with the disk above its reserve, before a restart is called for. */
    static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long a database may stall writes, with the disk above its reserve, before its health says so. */
    static final long STALL_REPORT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long {@link #write} waits, in all, on a database that stalls it before refusing the write as busy. */
    public static final long WRITE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The longest single pause between two tries of a stalled write. */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Background threads for flushes, shared by every database in the process. */
    static final int FLUSH_THREADS = 2;
    /** Background threads for compactions, shared by every database in the process. */
    static final int COMPACTION_THREADS = 2;
    /** RocksDB's default write buffer, used when no reserve is kept (tests, tools). */
    static final long DEFAULT_WRITE_BUFFER = 64L << 20;
    static final long MIN_WRITE_BUFFER = 1L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(NodeDisk.class);

    static {
        RocksDB.loadLibrary();
        // A database opened later raises these if its own options ask for more, never lowers them.
        Env.getDefault().setBackgroundThreads(FLUSH_THREADS, Priority.HIGH);
        Env.getDefault().setBackgroundThreads(COMPACTION_THREADS, Priority.LOW);
    }

    private final DiskReserve reserve;
    private final SstFileManager sstFiles;
    private final long writeBufferBytes;
    private final LongSupplier nanoTime;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final ReentrantLock rounds = new ReentrantLock();
    private final Condition roundDone = rounds.newCondition();
    private long round;
    private final Map<Durability, WriteOptions> writeOptions = new EnumMap<>(Durability.class);

    /**
     * @param reserve the free-space reserve of the disk
     * @param nanoTime a monotonic clock in nanoseconds
     */
    public NodeDisk(DiskReserve reserve, LongSupplier nanoTime) throws IOException {
        this.reserve = Objects.requireNonNull(reserve, "reserve");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        long r = reserve.reserveBytes();
        this.writeBufferBytes = r == 0 ? DEFAULT_WRITE_BUFFER
                : Math.max(MIN_WRITE_BUFFER, Math.min(DEFAULT_WRITE_BUFFER, r / 8));
        for (Durability d : Durability.values()) {
            writeOptions.put(d, d.options());
        }
        try {
            this.sstFiles = new SstFileManager(Env.getDefault());
        } catch (RocksDBException e) {
            throw new IOException("Cannot set up RocksDB's file manager: " + e.getMessage(), e);
        }
    }

    /**
     * The disk of {@code dataDir} (created if missing) with a reserve of {@code reserveBytes}, or the default one
     * ({@link DiskReserve#defaultReserve}) when that is null.
     */
    public static NodeDisk open(Path dataDir, Long reserveBytes) throws IOException {
        OwnerOnly.createDirectories(dataDir);
        return new NodeDisk(DiskReserve.of(dataDir, reserveBytes), System::nanoTime);
    }

    /**
     * A disk that keeps no reserve (it refuses only writes that cannot fit at all) and RocksDB's default write
     * buffers: for stores opened on their own by tests and tools.
     */
    public static NodeDisk unguarded(Path dir) throws IOException {
        return open(dir, 0L);
    }

    /** The largest RocksDB info log file; with each database's kept-log count, its logs stay a few MiB. */
    static final long INFO_LOG_BYTES = 4L << 20;

    /** The free-space reserve every write of new data is admitted by. */
    public DiskReserve reserve() {
        return reserve;
    }

    /** The write buffer size of every database on this disk, per column family and in total per database. */
    public long writeBufferBytes() {
        return writeBufferBytes;
    }

    /**
     * Applies the disk's database-wide settings (file manager, write buffer total, WAL size, info log size) to
     * RocksDB options.
     */
    public <T extends DBOptionsInterface<T> & MutableDBOptionsInterface<T>> T configureDatabase(T options) {
        options.setSstFileManager(sstFiles);
        // RocksDB's own info log (LOG) otherwise grows for as long as the database stays open.
        options.setMaxLogFileSize(INFO_LOG_BYTES);
        options.setDbWriteBufferSize(writeBufferBytes);
        // WAL files live until every column family with data in them flushed; bound them like the buffers.
        options.setMaxTotalWalSize(4 * writeBufferBytes);
        return options;
    }

    /** Applies the disk's per-column-family settings (write buffer size) to RocksDB options. */
    public <T extends MutableColumnFamilyOptionsInterface<T>> T configureTable(T options) {
        options.setWriteBufferSize(writeBufferBytes);
        return options;
    }

    /**
     * Whether writes may hang on this disk: free space is below the reserve (so a flush may find no room) or a
     * watched database refuses writes.
     */
    public boolean atRisk() {
        if (reserve.belowReserve()) {
            return true;
        }
        for (Watch w : watches) {
            if (w.failure != null) {
                return true;
            }
        }
        return false;
    }

    /** How a write to a database on this disk is made durable. */
    public enum Durability {
        /** Fsynced in the database's write-ahead log before the write returns. */
        SYNC,
        /** In the write-ahead log, not fsynced: a process crash loses nothing, a power loss may. */
        LAZY,
        /** No write-ahead log at all: another record (the Raft log) is replayed after a crash. */
        REPLAYED;

        private WriteOptions options() {
            // Never let RocksDB hold the writer for a flush: write() waits in its own loop (see the class comment).
            WriteOptions o = new WriteOptions().setNoSlowdown(true);
            return switch (this) {
                case SYNC -> o.setSync(true);
                case LAZY -> o;
                case REPLAYED -> o.setDisableWAL(true);
            };
        }
    }

    /**
     * Writes {@code batch} to {@code db}, a database on this disk, waiting at most {@link #WRITE_PATIENCE_NANOS}
     * while RocksDB stalls it.
     *
     * @param what names the write for messages, e.g. "write the shard index" (no paths: clients may see it)
     * @throws StorageFullException when the disk is full or {@linkplain #atRisk() at risk} and the database stalls
     * @throws DiskBusyException when the database stalled the write for all of the patience
     */
    public void write(RocksDB db, Durability durability, WriteBatch batch, String what) throws IOException {
        write(db, durability, batch, what, WRITE_PATIENCE_NANOS);
    }

    /**
     * {@link #write(RocksDB, Durability, WriteBatch, String)} with a patience of {@code patienceNanos}, for a
     * caller that retries by itself and must stay responsive to its own shutdown.
     */
    public void write(RocksDB db, Durability durability, WriteBatch batch, String what, long patienceNanos)
            throws IOException {
        WriteOptions options = writeOptions.get(durability);
        long start = nanoTime.getAsLong();
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            RocksDBException refused;
            try {
                db.write(options, batch);
                return;
            } catch (RocksDBException e) {
                refused = e;
            }
            IOException failure = new IOException("Could not " + what + ": " + refused.getMessage(), refused);
            if (!isStall(refused)) {
                throw NoSpace.classify(what, failure);
            }
            if (atRisk()) {
                throw new StorageFullException("Could not " + what + ": the node's database is waiting for room on "
                        + "the disk to write out its buffers. " + StorageFullException.WHAT_TO_DO, refused);
            }
            long waited = nanoTime.getAsLong() - start;
            if (waited >= patienceNanos) {
                throw new DiskBusyException("Could not " + what + ": the node's database has held writes back for "
                        + TimeUnit.NANOSECONDS.toMillis(waited) + " ms while it writes out its buffers. Retry in "
                        + "a moment; if it persists, see the node's disk health.", refused);
            }
            LockSupport.parkNanos(Math.min(pause, patienceNanos - waited));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while waiting to " + what);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /** Whether {@code failure} is RocksDB refusing a write that it would have held back for a flush. */
    public static boolean isStall(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RocksDBException r && r.getStatus() != null
                    && r.getStatus().getCode() == Status.Code.Incomplete) {
                return true;
            }
        }
        return false;
    }

    /**
     * Watches a database opened with {@link #configureDatabase}: {@link #check()} probes it from now on. Close the
     * watch before closing the database.
     *
     * @param name what the database holds, for messages, e.g. "shard index"
     */
    public Watch watch(String name, RocksDB db) {
        Watch w = new Watch(name, db);
        watches.add(w);
        return w;
    }

    /**
     * Records a failure that will not clear by itself (the node must be restarted), logging it once.
     *
     * @param component what failed, e.g. "Raft log"
     * @param message what happened and what to do
     */
    public void reportFailure(String component, String message) {
        if (failures.putIfAbsent(component, message) == null) {
            LOG.error("{} failed: {}", component, message);
        }
    }

    /**
     * One round of checks: reads the free space (logging a crossing of the reserve) and probes every watched
     * database, logging when one stops or starts accepting writes again and when one should have recovered but has
     * not. The node runtime calls it every {@code disk_check_interval_ms} (see
     * {@link io.predastore.protocol.config.TuningConfig}) from a scheduler, so it never throws: a
     * failed round is logged and the next one tries again.
     */
    public void check() {
        try {
            boolean below = reserve.refresh() < reserve.reserveBytes();
            for (Watch w : watches) {
                w.check(below);
            }
        } catch (RuntimeException e) {
            LOG.warn("Checking the disk failed: {}", e.toString());
        }
        rounds.lock();
        try {
            round++;
            roundDone.signalAll();
        } finally {
            rounds.unlock();
        }
    }

    /**
     * Waits until the next {@link #check()} round has finished, or {@code timeoutMillis} passed; a writer that
     * ran out of space retries after it, as that is when a database that stopped may have resumed.
     *
     * @return whether a round finished
     */
    public boolean awaitNextCheck(long timeoutMillis) throws InterruptedException {
        rounds.lock();
        try {
            long seen = round;
            long left = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (round == seen) {
                if (left <= 0) {
                    return false;
                }
                left = roundDone.awaitNanos(left);
            }
            return true;
        } finally {
            rounds.unlock();
        }
    }

    /** The disk's state now. */
    public DiskHealth health() {
        List<String> problems = new ArrayList<>();
        boolean restart = false;
        for (Watch w : watches) {
            String p = w.problem();
            if (p != null) {
                problems.add(p);
                restart |= w.stuck;
            }
        }
        for (Map.Entry<String, String> f : failures.entrySet()) {
            problems.add(f.getKey() + " failed: " + f.getValue());
            restart = true;
        }
        long usable = reserve.usableBytes();
        return new DiskHealth(usable, reserve.reserveBytes(), usable < reserve.reserveBytes(), problems, restart);
    }

    @Override
    public void close() {
        watches.clear();
        sstFiles.close();
        writeOptions.values().forEach(WriteOptions::close);
    }

    /**
     * The watch on one database; {@link #close()} it before the database is closed, so that no probe runs on a
     * closed handle.
     */
    public final class Watch implements AutoCloseable {
        private final String name;
        private final RocksDB db;
        private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
        private boolean closed;
        /** When the probe started failing, if it is failing; guarded by the check round (one at a time). */
        private volatile long failingSince;
        /** When the probe started meeting a write stall with the disk above its reserve, or 0. */
        private long stallingSince;
        /** Whether the reported failure is a lasting write stall with the disk above its reserve. */
        private volatile boolean stalled;
        /** {@link #backgroundErrors()} when the probe last succeeded. */
        private long healthyErrors;
        private volatile String failure;
        private volatile boolean stuck;

        private Watch(String name, RocksDB db) {
            this.name = Objects.requireNonNull(name, "name");
            this.db = Objects.requireNonNull(db, "db");
        }

        /** The database's problem in one sentence, or null when it accepts writes. */
        String problem() {
            String f = failure;
            if (f == null) {
                return null;
            }
            String next = stuck ? "it has not recovered although the disk has space again: restart the node"
                    : stalled ? "its background flushes are not finishing although the disk has space; restart "
                            + "the node if this lasts"
                    : "it resumes by itself once space is freed";
            return "the " + name + " database refuses writes (" + f + "); " + next;
        }

        private void check(boolean diskBelowReserve) {
            RocksDBException e = probe();
            long now = nanoTime.getAsLong();
            String refusal = e == null ? null : e.getMessage();
            boolean stall = e != null && isStall(e) && !diskBelowReserve;
            if (e == null) {
                healthyErrors = backgroundErrors();
            } else if (stall && backgroundErrors() > healthyErrors) {
                // Not load: a flush or compaction failed (as on a full disk), and RocksDB holds writes while it
                // recovers, which its file manager starts once free space is back above the reserve.
                stall = false;
                refusal = "a background flush or compaction failed; RocksDB holds writes until it has recovered";
            }
            if (stall) {
                // A stall under load is no failure (RocksDB holds writers while it catches up), unless it lasts.
                if (stallingSince == 0) {
                    stallingSince = now;
                }
                if (now - stallingSince < STALL_REPORT_NANOS) {
                    refusal = null;
                }
            } else {
                stallingSince = 0;
            }
            stalled = refusal != null && stallingSince != 0;
            if (refusal == null) {
                if (failure != null) {
                    LOG.info("The {} database accepts writes again", name);
                }
                failure = null;
                stuck = false;
                return;
            }
            if (failure == null) {
                failingSince = now;
                if (stalled) {
                    LOG.error("The {} database has held writes back for {} s although the disk is above its "
                            + "reserve: its background flushes or compactions are not finishing", name,
                            TimeUnit.NANOSECONDS.toSeconds(now - stallingSince));
                } else {
                    LOG.error("The {} database refuses writes: {}. RocksDB stops writing after a flush or "
                            + "compaction fails; it resumes by itself once free space is back above the reserve",
                            name, refusal);
                }
            }
            failure = refusal;
            if (!stuck && !diskBelowReserve && now - failingSince >= STUCK_NANOS) {
                stuck = true;
                LOG.error("The {} database still refuses writes ({}) although the disk is above its reserve: it "
                        + "will not recover by itself; restart the node", name, refusal);
            }
        }

        /** How many background jobs (flushes, compactions) of the database have failed since it was opened. */
        private long backgroundErrors() {
            open.readLock().lock();
            try {
                return closed ? 0 : db.getLongProperty("rocksdb.background-errors");
            } catch (RocksDBException e) {
                return 0;
            } finally {
                open.readLock().unlock();
            }
        }

        /**
         * An empty write: RocksDB answers it with its background error while it has stopped writes, and with
         * {@code Incomplete} (instead of blocking the checks) while writes stall.
         */
        private RocksDBException probe() {
            open.readLock().lock();
            try (WriteBatch empty = new WriteBatch();
                    WriteOptions options = new WriteOptions().setDisableWAL(true).setNoSlowdown(true)) {
                if (!closed) {
                    db.write(options, empty);
                }
                return null;
            } catch (RocksDBException e) {
                return e;
            } finally {
                open.readLock().unlock();
            }
        }

        @Override
        public void close() {
            open.writeLock().lock();
            try {
                closed = true;
            } finally {
                open.writeLock().unlock();
            }
            watches.remove(this);
        }
    }
}
