package io.predastore.node.store.cluster;

import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Presents metadata failures (no leader yet, lost quorum, timeouts) to S3 clients as 503 ServiceUnavailable with
 * the store's explanation, so SDKs retry instead of reporting an internal error.
 */
final class AvailabilityMetadata implements MetadataStore {
    private final MetadataStore inner;

    AvailabilityMetadata(MetadataStore inner) {
        this.inner = inner;
    }

    private static S3Exception unavailable(IOException e) {
        return new S3Exception(S3Error.SERVICE_UNAVAILABLE, "The cluster metadata is unavailable ("
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
            throw unavailable(e);
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
