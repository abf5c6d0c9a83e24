package io.predastore.node.meta;

import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A single-node {@link MetadataStore} over a local RocksDB, without Raft. It uses the same apply and query code as
 * the replicated state machine ({@link RocksMetaDb}), so the semantics are identical; linearizability is trivial
 * with one copy.
 *
 * <p>{@link #open(Path)} applies batches one at a time and does not fsync them (tests, tools).
 * {@link #openDurable(Path, NodeDisk)} is for a node's own data: every batch is fsynced before apply returns, and
 * batches are serialised only with those touching one of the same keys (conditions and writes, by striped locks),
 * so concurrent writers of different keys share RocksDB's group-committed fsyncs. Thread-safe.
 */
public final class LocalMetadataStore implements MetadataStore {
    private static final int KEY_LOCKS = 1024;

    private final RocksMetaDb db;
    private final NodeDisk disk;
    /**
     * Readers and writers hold the read lock; close holds the write lock, so the native handle is never used closed.
     */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object applyOrder = new Object();
    /** For a durable store: the locks of the keys batches touch; null when batches apply one at a time. */
    private final ReentrantLock[] keyLocks;
    private final boolean ownsDisk;
    private final Set<GuardedCursor> openCursors = ConcurrentHashMap.newKeySet();
    private boolean closed;
    private long nextIndex;

    private LocalMetadataStore(RocksMetaDb db, NodeDisk disk, boolean ownsDisk, boolean durable) throws IOException {
        this.db = db;
        this.disk = disk;
        this.ownsDisk = ownsDisk;
        this.nextIndex = db.applied().index() + 1;
        if (durable) {
            keyLocks = new ReentrantLock[KEY_LOCKS];
            for (int i = 0; i < KEY_LOCKS; i++) {
                keyLocks[i] = new ReentrantLock();
            }
        } else {
            keyLocks = null;
        }
    }

    /** Opens or creates the store in {@code dir}, applying batches one at a time without fsyncing them. */
    public static LocalMetadataStore open(Path dir) throws IOException {
        OwnerOnly.createDirectories(dir);
        NodeDisk disk = NodeDisk.unguarded(dir);
        try {
            return open(dir, disk, true, RocksMetaDb.Recovery.OWN_LOG);
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
    }

    /**
     * Opens or creates the store in {@code dir} on {@code disk} (its write buffers, file manager and checks), with
     * every batch fsynced before apply returns and batches on different keys applied concurrently. The caller closes
     * {@code disk} after the store.
     */
    public static LocalMetadataStore openDurable(Path dir, NodeDisk disk) throws IOException {
        OwnerOnly.createDirectories(dir);
        return open(dir, disk, false, RocksMetaDb.Recovery.SYNCED_OWN_LOG);
    }

    private static LocalMetadataStore open(Path dir, NodeDisk disk, boolean ownsDisk, RocksMetaDb.Recovery recovery)
            throws IOException {
        RocksMetaDb db = RocksMetaDb.open(dir, recovery, disk);
        try {
            return new LocalMetadataStore(db, disk, ownsDisk, recovery == RocksMetaDb.Recovery.SYNCED_OWN_LOG);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
        lock.readLock().lock();
        try {
            checkOpen();
            return Optional.ofNullable(db.get(table, key));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
        lock.readLock().lock();
        try {
            checkOpen();
            if (keyLocks != null) {
                return applyLocked(batch, false);
            }
            synchronized (applyOrder) {
                // Same path as a replicated entry: a local sequence number stands in for the Raft log index.
                return db.apply(batch, new RocksMetaDb.Applied(0, nextIndex++));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Applies a batch as {@link #applyBatch} does, but in a durable store without waiting for it to reach the disk:
     * for writes whose loss in a power failure the caller repairs at its next start, such as dropping bookkeeping
     * of cleanup already done. In a store opened with {@link #open} this is {@link #applyBatch}.
     */
    public ApplyOutcome applyLazily(MetaBatch batch) throws IOException {
        if (keyLocks == null) {
            return applyBatch(batch);
        }
        lock.readLock().lock();
        try {
            checkOpen();
            return applyLocked(batch, true);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A cursor over the entries of {@code table} whose key starts with {@code prefix}, reading a snapshot taken now:
     * what a listing walks, without copying a page of values it does not need. Close it when done; closing the store
     * closes cursors left open, after which they fail with an {@link IOException}.
     */
    public MetaCursor cursor(MetaTable table, byte[] prefix) throws IOException {
        lock.readLock().lock();
        try {
            checkOpen();
            GuardedCursor c = new GuardedCursor(db.cursor(table, prefix));
            openCursors.add(c);
            return c;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A cursor whose every step holds the store's read lock, so the database never closes under a native iterator:
     * {@link #close()} closes the cursors still open before the database.
     */
    private final class GuardedCursor implements MetaCursor {
        private final MetaCursor inner;
        private boolean done;

        GuardedCursor(MetaCursor inner) {
            this.inner = inner;
        }

        private interface Step<T> {
            T run() throws IOException;
        }

        private <T> T guarded(Step<T> step) throws IOException {
            lock.readLock().lock();
            try {
                if (done) {
                    throw new IOException("the metadata cursor is closed (or its store is)");
                }
                return step.run();
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void seek(byte[] target) throws IOException {
            guarded(() -> {
                inner.seek(target);
                return null;
            });
        }

        @Override
        public boolean valid() throws IOException {
            return guarded(inner::valid);
        }

        @Override
        public byte[] key() {
            lock.readLock().lock();
            try {
                if (done) {
                    throw new IllegalStateException("the metadata cursor is closed (or its store is)");
                }
                return inner.key();
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public byte[] value() throws IOException {
            return guarded(inner::value);
        }

        @Override
        public int valueHead(byte[] into) throws IOException {
            return guarded(() -> inner.valueHead(into));
        }

        @Override
        public void next() throws IOException {
            guarded(() -> {
                inner.next();
                return null;
            });
        }

        @Override
        public void close() {
            lock.readLock().lock();
            try {
                release();
            } finally {
                lock.readLock().unlock();
            }
        }

        /** Closes the iterator once; the caller holds one side of the store's lock. */
        void release() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            openCursors.remove(this);
            inner.close();
        }
    }

    @Override
    public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
        lock.readLock().lock();
        try {
            checkOpen();
            return db.scan(table, prefix, from, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Applies a batch holding the locks of every key it reads or writes, taken in index order so that two batches
     * never wait for each other. No applied position is recorded: batches on different keys commit in any order, and
     * nothing reads the position of a store that is not replicated.
     */
    private ApplyOutcome applyLocked(MetaBatch batch, boolean lazy) throws IOException {
        TreeSet<Integer> stripes = new TreeSet<>();
        for (MetaBatch.Condition c : batch.conditions()) {
            stripes.add(stripe(c.table(), c.key()));
        }
        for (MetaBatch.Op op : batch.ops()) {
            stripes.add(stripe(op.table(), op.key()));
            if (op instanceof MetaBatch.Replace r) {
                stripes.add(stripe(r.keepTable(), r.keepKey()));
            }
        }
        List<ReentrantLock> held = new ArrayList<>(stripes.size());
        try {
            for (int i : stripes) {
                keyLocks[i].lock();
                held.add(keyLocks[i]);
            }
            return lazy ? db.applyLazily(batch) : db.apply(batch, null);
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    private static int stripe(MetaTable table, byte[] key) {
        return Math.floorMod(31 * table.ordinal() + Arrays.hashCode(key), KEY_LOCKS);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("metadata store is closed");
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                for (GuardedCursor c : List.copyOf(openCursors)) {
                    c.release();
                }
                db.close();
                if (ownsDisk) {
                    disk.close();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
