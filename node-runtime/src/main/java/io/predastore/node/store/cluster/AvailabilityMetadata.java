package io.predastore.node.store.cluster;

import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Presents metadata failures (no leader yet, lost quorum, timeouts) as {@code StorageError.UNAVAILABLE} (503
 * ServiceUnavailable to S3 clients) with the store's explanation, so SDKs retry instead of reporting an internal
 * error; a failed write as {@code StorageError.OUTCOME_UNKNOWN} (also a 503), since it may still be applied.
 */
final class AvailabilityMetadata implements MetadataStore {
    private final MetadataStore inner;

    AvailabilityMetadata(MetadataStore inner) {
        this.inner = inner;
    }

    private static StorageException unavailable(IOException e) {
        return unavailable(StorageError.UNAVAILABLE, e);
    }

    private static StorageException unavailable(StorageError error, IOException e) {
        return new StorageException(error, "The cluster metadata is unavailable ("
                + e.getMessage() + "). Retry in a moment; if it persists, check that a majority of the nodes run.",
                null, e);
    }

    @Override
    public Optional<byte[]> get(MetaTable table, byte[] key) {
        try {
            return inner.get(table, key);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public ApplyOutcome applyBatch(MetaBatch batch) {
        try {
            return inner.applyBatch(batch);
        } catch (IOException e) {
            // The batch may have been applied, or be applied later: the caller must not act as if it was refused.
            throw unavailable(StorageError.OUTCOME_UNKNOWN, e);
        }
    }

    @Override
    public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) {
        try {
            return inner.scan(table, prefix, from, limit);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
