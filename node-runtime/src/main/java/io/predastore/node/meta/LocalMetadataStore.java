package io.predastore.node.meta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A single-node {@link MetadataStore} over a local RocksDB, without Raft. It uses the same apply and query code as
 * the replicated state machine, so the semantics are identical; linearizability is trivial with one copy.
 */
public final class LocalMetadataStore implements MetadataStore {
    private final RocksMetaDb db;
    private final Object applyLock = new Object();
    private long nextIndex;

    private LocalMetadataStore(RocksMetaDb db) throws IOException {
        this.db = db;
        this.nextIndex = db.applied().index() + 1;
    }

    /** Opens or creates the store in {@code dir}. */
    public static LocalMetadataStore open(Path dir) throws IOException {
        return new LocalMetadataStore(RocksMetaDb.open(dir));
    }

    @Override
    public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
        return Optional.ofNullable(db.get(table, key));
    }

    @Override
    public boolean apply(MetaBatch batch) throws IOException {
        synchronized (applyLock) {
            // Same path as a replicated entry: a local sequence number stands in for the Raft log index.
            return db.apply(batch, new RocksMetaDb.Applied(0, nextIndex++));
        }
    }

    @Override
    public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) {
        return db.scan(table, prefix, from, limit);
    }

    @Override
    public void close() {
        synchronized (applyLock) {
            db.close();
        }
    }
}
