package io.predastore.node.meta;

import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A single-node {@link MetadataStore} over a local RocksDB, without Raft. It uses the same apply and query code as
 * the replicated state machine ({@link RocksMetaDb}), so the semantics are identical; linearizability is trivial
 * with one copy.
 */
public final class LocalMetadataStore implements MetadataStore {
    private final RocksMetaDb db;
    private final NodeDisk disk;
    /**
     * Readers and writers hold the read lock; close holds the write lock, so the native handle is never used closed.
     */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object applyOrder = new Object();
    private boolean closed;
    private long nextIndex;

    private LocalMetadataStore(RocksMetaDb db, NodeDisk disk) throws IOException {
        this.db = db;
        this.disk = disk;
        this.nextIndex = db.applied().index() + 1;
    }

    /** Opens or creates the store in {@code dir}. */
    public static LocalMetadataStore open(Path dir) throws IOException {
        OwnerOnly.createDirectories(dir);
        NodeDisk disk = NodeDisk.unguarded(dir);
        RocksMetaDb db = null;
        try {
            db = RocksMetaDb.open(dir, RocksMetaDb.Recovery.OWN_LOG, disk);
            return new LocalMetadataStore(db, disk);
        } catch (IOException | RuntimeException e) {
            if (db != null) {
                db.close();
            }
            disk.close();
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
            synchronized (applyOrder) {
                // Same path as a replicated entry: a local sequence number stands in for the Raft log index.
                return db.apply(batch, new RocksMetaDb.Applied(0, nextIndex++));
            }
        } finally {
            lock.readLock().unlock();
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
                db.close();
                disk.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
