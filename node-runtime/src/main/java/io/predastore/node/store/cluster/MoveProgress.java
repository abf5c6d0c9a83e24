package io.predastore.node.store.cluster;

import java.time.Clock;

/**
 * What the rebalancer has moved since this node started repairing: shards and shard bytes copied to their new nodes
 * and committed, and the recent pace (shard bytes per second over the last minute, as {@link RepairProgress} counts
 * it), from which the protection report estimates when the moves are done. Thread-safe.
 */
final class MoveProgress {
    private final RepairProgress bytes;
    private long shards;

    MoveProgress(Clock clock) {
        this.bytes = new RepairProgress(clock);
    }

    /** Counts {@code count} shards moved (of one set), {@code shardBytes} bytes in all. */
    synchronized void moved(int count, long shardBytes) {
        shards += count;
        bytes.repaired(shardBytes);
    }

    synchronized long shards() {
        return shards;
    }

    long bytes() {
        return bytes.repairedBytes();
    }

    /** Shard bytes moved per second over the last minute; 0 when nothing moved in it. */
    double bytesPerSecond() {
        return bytes.bytesPerSecond();
    }
}
