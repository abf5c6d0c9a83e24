package io.predastore.protocol.admin;

import java.util.Map;
import java.util.Objects;

/**
 * The repair engine's queue and pace.
 *
 * @param queuedSets      shard sets waiting for a rebuild
 * @param queuedBytes     their total length (bytes of object data to re-protect)
 * @param queuedByCause   queued sets by why they need one: {@code skipped-at-write}, {@code corrupt},
 *                        {@code missing}, {@code node-lost}, {@code rebalance},
 *                        {@code drain}
 * @param repairedSets    sets rebuilt since the repairing node took the role
 * @param repairedBytes   their total length
 * @param bytesPerSecond  recent rebuild pace (object bytes re-protected per second), 0 when idle
 * @param etaSeconds      when the queue should be empty at that pace, or -1 when unknown (idle, or nothing queued)
 */
public record RepairQueue(long queuedSets, long queuedBytes, Map<String, Long> queuedByCause, long repairedSets,
        long repairedBytes, double bytesPerSecond, long etaSeconds) {
    public RepairQueue {
        Checks.nonNegative(queuedSets, "queuedSets");
        Checks.nonNegative(queuedBytes, "queuedBytes");
        queuedByCause = Map.copyOf(Objects.requireNonNull(queuedByCause, "queuedByCause"));
        Checks.nonNegative(repairedSets, "repairedSets");
        Checks.nonNegative(repairedBytes, "repairedBytes");
    }

    /** An empty, idle queue. */
    public static final RepairQueue IDLE = new RepairQueue(0, 0, Map.of(), 0, 0, 0, -1);
}
