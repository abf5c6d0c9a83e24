package io.predastore.protocol.admin;

import java.util.List;

/**
 * The rebalancer's progress, from the protection pass that produced the report: what is still to move onto new
 * members ({@code rebalance}) and off draining ones ({@code drain}), what each draining node still holds, and what
 * has been moved. Shard bytes are the bytes the shards hold (a move copies them), not object bytes.
 *
 * @param membersEpoch     the ring epoch of the members the pass placed objects with (0: the cluster file's nodes)
 * @param rebalanceShards  shards of healthy sets on an active node outside their place in the ring of the active
 *                         members while a node of that place holds none of their set
 * @param rebalanceBytes   their bytes
 * @param drainShards      shards of object records on draining nodes (upload parts are counted per node only)
 * @param drainBytes       their bytes
 * @param draining         every draining node, by id, with what still references it
 * @param movedShards      shards moved since the repairing node took the role
 * @param movedBytes       their bytes
 * @param bytesPerSecond   recent moving pace in shard bytes per second, 0 when idle
 * @param etaSeconds       when the moves should be done at that pace (or, idle, at {@code repair_bytes_per_second}),
 *                         0 when nothing is left to move, -1 when unknown
 */
public record RebalanceProgress(long membersEpoch, long rebalanceShards, long rebalanceBytes, long drainShards,
        long drainBytes, List<DrainingNode> draining, long movedShards, long movedBytes, double bytesPerSecond,
        long etaSeconds) {
    public RebalanceProgress {
        Checks.nonNegative(membersEpoch, "membersEpoch");
        Checks.nonNegative(rebalanceShards, "rebalanceShards");
        Checks.nonNegative(rebalanceBytes, "rebalanceBytes");
        Checks.nonNegative(drainShards, "drainShards");
        Checks.nonNegative(drainBytes, "drainBytes");
        draining = Checks.list(draining, "draining");
        Checks.nonNegative(movedShards, "movedShards");
        Checks.nonNegative(movedBytes, "movedBytes");
    }

    /** Shards still to move, for either reason. */
    public long shardsToMove() {
        return rebalanceShards + drainShards;
    }

    /** Bytes still to move, for either reason. */
    public long bytesToMove() {
        return rebalanceBytes + drainBytes;
    }

    /** Whether anything is still to move or any draining node still holds something. */
    public boolean pending() {
        return shardsToMove() > 0 || draining.stream().anyMatch(n -> !n.drained());
    }
}
