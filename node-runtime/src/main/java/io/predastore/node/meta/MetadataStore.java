package io.predastore.node.meta;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's metadata as ordered key-value tables. Reads are linearizable: a read started after a write was
 * acknowledged (on any node) sees it. Thread-safe.
 *
 * <p>{@link IOException} means the store could not answer (no leader, timeout); its message says what to do,
 * e.g. which node is the leader.
 */
public interface MetadataStore extends AutoCloseable {

    /** The value of a key, or empty. */
    Optional<byte[]> get(MetaTable table, byte[] key) throws IOException;

    /**
     * Applies a batch through consensus. Returns true if it was applied, false if a condition did not hold (then
     * nothing was written).
     */
    default boolean apply(MetaBatch batch) throws IOException {
        return applyBatch(batch).applied();
    }

    /** Applies a batch through consensus and says what it did, including whether a replace kept a value. */
    ApplyOutcome applyBatch(MetaBatch batch) throws IOException;

    /**
     * Up to {@code limit} entries whose key starts with {@code prefix} and is at least {@code from} (or from the
     * start of the prefix when {@code from} is null), in unsigned byte order.
     */
    List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException;

    @Override
    void close() throws IOException;
}
