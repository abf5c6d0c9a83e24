package io.predastore.chaos.workload;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.function.BooleanSupplier;

/**
 * One client of the run: a loop of seeded operations, one at a time, each to a random node, until told to stop.
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
        this.mix = new OpMix(config.weights(), config.keys(), clients.size(), OpMix.workerRandom(config.seed(), id));
    }

    @Override
    public void run() {
        while (!stopping.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            step();
        }
    }

    /** Runs the next operation. */
    void step() {
        OpType type = mix.nextType();
        String key = config.key(mix.nextKey());
        int n = mix.nextNode();
        String node = clients.node(n).name();
        switch (type) {
            case PUT, CREATE -> ops.put(clients.client(n), node, id, type, key, nextWriteId(),
                    mix.nextSize(config.minSize(), config.maxSize()), null, null);
            case REPLACE -> replace(n, key);
            case GET -> ops.get(clients.client(n), node, id, key);
            case HEAD -> ops.head(clients.client(n), node, id, key, new String[1]);
            case DELETE -> ops.delete(clients.client(n), node, id, key);
            case LIST -> ops.list(clients.client(n), node, id);
            case MULTIPART -> ops.multipart(clients.client(n), node, id, key, nextWriteId(), mix.nextPartCount(),
                    mix.nextSize(config.minSize(), Operations.PART_SIZE), stopping);
        }
    }

    /**
     * A HEAD to learn the object's write and ETag, then a PutObject with {@code If-Match} on that ETag, both to the
     * same node. Without an object (or an answer) there is nothing to replace, and only the HEAD is recorded.
     */
    private void replace(int n, String key) {
        String node = clients.node(n).name();
        String[] etag = new String[1];
        Op head = ops.head(clients.client(n), node, id, key, etag);
        if (head.outcome() != Outcome.OK || head.observed() == null || etag[0] == null) {
            return;
        }
        ops.put(clients.client(n), node, id, OpType.REPLACE, key, nextWriteId(),
                mix.nextSize(config.minSize(), config.maxSize()), etag[0], head.observed());
    }

    private String nextWriteId() {
        return "w" + id + "-" + (++seq);
    }
}
