package io.predastore.protocol.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How well the cluster's objects are protected ({@code GET /admin/v1/protection}), from the last protection pass
 * of the metadata leader: it walks every object record, asks each shard's node whether it holds the shard, and
 * counts objects by healthy shards, from the same metadata the repair engine works from. Times are epoch
 * milliseconds, -1 for never.
 *
 * @param computedAtMillis when the pass these counts come from ended; -1 before the first pass
 * @param passMillis       how long that pass took
 * @param dataShards       k of the cluster's erasure code
 * @param parityShards     m of the cluster's erasure code
 * @param cluster          every object of the cluster
 * @param buckets          per bucket, by name: every bucket, or the {@link #MAX_BUCKETS} least protected when there
 *                         are more (the cluster counts always cover every bucket)
 * @param atRisk           objects with at most {@code dataShards} healthy shards, fewest first (at most 100)
 * @param repairs          the repair queue
 * @param scrub            per node, the scrubber's progress
 * @param nodes            per node, whether it is down or declared lost
 * @param rebalance        the rebalancer's progress; null in a report from a node older than the rebalancer
 */
public record ProtectionReport(long computedAtMillis, long passMillis, int dataShards, int parityShards,
        ProtectionCounts cluster, List<BucketProtection> buckets, List<AtRiskObject> atRisk, RepairQueue repairs,
        List<ScrubProgress> scrub, List<NodeProtection> nodes, RebalanceProgress rebalance) {
    /** The most at-risk objects a report lists. */
    public static final int MAX_AT_RISK = 100;
    /** The most buckets a report lists. */
    public static final int MAX_BUCKETS = 1000;

    public ProtectionReport {
        Objects.requireNonNull(cluster, "cluster");
        buckets = Checks.list(buckets, "buckets");
        atRisk = Checks.list(atRisk, "atRisk");
        Objects.requireNonNull(repairs, "repairs");
        scrub = Checks.list(scrub, "scrub");
        nodes = Checks.list(nodes, "nodes");
        if (dataShards < 1 || parityShards < 0) {
            throw new IllegalArgumentException("Need at least 1 data shard and no negative parity shards, not "
                    + dataShards + "+" + parityShards);
        }
    }

    /** A report without the rebalancer's progress (as a node older than the rebalancer wrote it). */
    public ProtectionReport(long computedAtMillis, long passMillis, int dataShards, int parityShards,
            ProtectionCounts cluster, List<BucketProtection> buckets, List<AtRiskObject> atRisk, RepairQueue repairs,
            List<ScrubProgress> scrub, List<NodeProtection> nodes) {
        this(computedAtMillis, passMillis, dataShards, parityShards, cluster, buckets, atRisk, repairs, scrub, nodes,
                null);
    }

    /**
     * The report a node gives before any protection pass has run: {@code computedAtMillis} -1 and nothing counted
     * (not an error: the first pass runs within {@code protection_check_interval_ms} of a leader's election).
     */
    public static ProtectionReport none(int dataShards, int parityShards) {
        return new ProtectionReport(-1, 0, dataShards, parityShards, ProtectionCounts.empty(dataShards
                + parityShards), List.of(), List.of(), RepairQueue.IDLE, List.of(), List.of());
    }

    /** This report with live scrub progress and repair queue in place of the stored ones. */
    public ProtectionReport withLive(List<ScrubProgress> liveScrub, RepairQueue liveRepairs) {
        return new ProtectionReport(computedAtMillis, passMillis, dataShards, parityShards, cluster, buckets, atRisk,
                liveRepairs, liveScrub, nodes, rebalance);
    }

    /** Whether a pass has produced this report (false for {@link #none}). */
    public boolean computed() {
        return computedAtMillis >= 0;
    }

    /**
     * Why a node's data must not be lost now (its disk replaced, {@code cluster replace-node}), or empty when it may:
     * the one rule the CLI and the fault-injection suite apply. Not before a pass has run (the objects' protection is
     * unknown), and not while any object is at risk or unreadable: those have no shard to spare, and the node's
     * shards may be among the ones they still have. Degraded objects are fine: one more lacking shard leaves them
     * readable, and they are rebuilt with the rest.
     */
    public Optional<String> replacementRefusal() {
        if (!computed()) {
            return Optional.of("no protection pass has run yet, so the objects' protection is unknown");
        }
        long risk = cluster.atRisk(parityShards);
        long lost = cluster.unreadable(parityShards);
        if (risk + lost > 0) {
            return Optional.of(risk + " object(s) at risk and " + lost + " unreadable: they have no shard "
                    + "to spare, and the node's shards may be among those they still have");
        }
        return Optional.empty();
    }

    /**
     * The summary scripts read, exactly {@code protection: F full, D degraded, R at risk, U unreadable} (object
     * counts).
     */
    public String summaryLine() {
        return "protection: " + cluster.full() + " full, " + cluster.degraded(parityShards) + " degraded, "
                + cluster.atRisk(parityShards) + " at risk, " + cluster.unreadable(parityShards) + " unreadable";
    }
}
