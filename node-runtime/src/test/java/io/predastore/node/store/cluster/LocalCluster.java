package io.predastore.node.store.cluster;

import io.predastore.node.meta.LocalMetadataStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A distributed backend over five in-process shard stores (RS 3+2) and one local metadata store, with one bucket,
 * for tests of the backend's own logic; everything lives under one directory.
 */
record LocalCluster(LocalRouter router, LocalMetadataStore meta, DistributedBackend backend) implements AutoCloseable {
    static LocalCluster open(Path dir, String bucket, int writeQuorum, int chunkSize) throws IOException {
        LocalRouter router = new LocalRouter(dir.resolve("shards"), 5);
        LocalMetadataStore meta = LocalMetadataStore.open(dir.resolve("meta"));
        DistributedBackend backend = new DistributedBackend(meta, router, Runnable::run, Clock.systemUTC(), 3, 2,
                writeQuorum, chunkSize);
        backend.createBucket(bucket, "us-east-1");
        return new LocalCluster(router, meta, backend);
    }

    @Override
    public void close() throws IOException {
        backend.close();
        meta.close();
        router.close();
    }
}
