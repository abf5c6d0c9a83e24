package io.predastore.chaos.workload;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One client of the run: a loop of seeded operations, one at a time, each to a random node of those there are at that
 * moment, until told to stop.
 * Its writes carry ids {@code w<worker>-<seq>}, unique in the run. Runs on one thread.
 */
final class Worker implements Runnable {
    private final int id;
    private final WorkloadConfig config;
    private final NodeClients clients;
    private final Operations ops;
    private final OpMix mix;
    private final BooleanSupplier stopping;
    private long seq;

    Worker(int id, WorkloadConfig config, NodeClients clients, Operations ops, BooleanSupplier stopping) {
        this.id = id;
        this.config = config;
        this.clients = clients;
        this.ops = ops;
        this.stopping = stopping;
        this.mix = new OpMix(config.weights(), config.keys(), OpMix.workerRandom(config.seed(), id));
    }

    @Override
    public void run() {
        while (!stopping.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            step();
        }
    }

    /** Runs the next operation, to a node of those there are now. */
    void step() {
        OpType type = mix.nextType();
        String key = config.key(mix.nextKey());
        List<NodeClients.Target> targets = clients.targets();
        NodeClients.Target target = targets.get(mix.nextNode(targets.size()));
        S3Client s3 = target.client();
        String node = target.node().name();
        switch (type) {
            case PUT, CREATE -> ops.put(s3, node, id, type, key, nextWriteId(),
                    mix.nextSize(config.minSize(), config.maxSize()), null, null);
            case REPLACE -> replace(s3, node, key);
            case GET -> ops.get(s3, node, id, key);
            case HEAD -> ops.head(s3, node, id, key, new String[1]);
            case DELETE -> ops.delete(s3, node, id, key);
            case LIST -> ops.list(s3, node, id);
            case MULTIPART -> ops.multipart(s3, node, id, key, nextWriteId(), mix.nextPartCount(),
                    mix.nextSize(config.minSize(), Operations.PART_SIZE), stopping);
        }
    }

    /**
     * A HEAD to learn the object's write and ETag, then a PutObject with {@code If-Match} on that ETag, both to the
     * same node. Without an object (or an answer) there is nothing to replace, and only the HEAD is recorded.
     */
    private void replace(S3Client s3, String node, String key) {
        String[] etag = new String[1];
        Op head = ops.head(s3, node, id, key, etag);
        if (head.outcome() != Outcome.OK || head.observed() == null || etag[0] == null) {
            return;
        }
        ops.put(s3, node, id, OpType.REPLACE, key, nextWriteId(),
                mix.nextSize(config.minSize(), config.maxSize()), etag[0], head.observed());
    }

    private String nextWriteId() {
        return "w" + id + "-" + (++seq);
    }
}
