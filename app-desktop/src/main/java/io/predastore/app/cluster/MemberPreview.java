package io.predastore.app.cluster;

import io.predastore.app.format.ByteSize;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.config.ErasureConfig;
import java.util.List;
import java.util.Map;

/**
 * What adding or removing a node is expected to move, said before the user confirms, and the rule that refuses a
 * removal: the same one the cluster enforces (docs/membership.md), checked here so the button can say why it is
 * off instead of failing after a click. The estimates are rough on purpose: a new node takes about one share in
 * {@code members + 1} of the shards, a removed node hands on every shard it holds. Plain Java, stateless.
 */
final class MemberPreview {
    private MemberPreview() {
    }

    /** Why node {@code nodeId} cannot be removed now ({@link ClusterMembers#removalRefusal}), or null. */
    static String removalRefusal(ErasureConfig rs, ClusterMembers members, int nodeId) {
        return members.removalRefusal("node-" + nodeId, rs.width()).orElse(null);
    }

    /**
     * {@code node-6 joins; about N shards (X) move onto it}, from the shards the protection report places on each
     * node (else the nodes' own shard counts) and the shard bytes the report's object bytes make.
     *
     * @param shardCounts each node's shard count from its status, by node id, for when there is no report
     */
    static String addText(int newId, ClusterMembers members, ProtectionReport report, Map<Integer, Long> shardCounts) {
        int active = members == null ? shardCounts.size() : members.inState(MemberState.ACTIVE).size();
        Totals t = totals(report, shardCounts);
        long shards = Math.round((double) t.shards() / (active + 1));
        long bytes = Math.round(t.bytes() / (active + 1));
        return "node-" + newId + " joins; about " + shardText(shards) + " (" + ByteSize.format(bytes) + ") move onto "
                + "it from the " + active + " active member" + (active == 1 ? "" : "s") + ". It starts as joining, "
                + "becomes active once it has caught up with the metadata, and the rebalancer then moves the shards "
                + "(follow it on the Health screen).";
    }

    /** {@code node-3's N shards (X) move to the others}, then it leaves, deletes its data and exits. */
    static String removeText(int nodeId, ProtectionReport report, Map<Integer, Long> shardCounts) {
        Totals t = totals(report, shardCounts);
        long shards = nodeShards(nodeId, report, shardCounts);
        double perShard = t.shards() == 0 ? 0 : t.bytes() / t.shards();
        return "node-" + nodeId + "'s " + shardText(shards) + " (about " + ByteSize.format(Math.round(shards * perShard))
                + ") move to the others. It drains first (takes no new shards); once nothing is left on it, it "
                + "leaves the cluster, deletes its data and exits, and it is dropped from the cluster file.";
    }

    /** {@code ring epoch 7: 5 active, 1 joining}; states without members left out. */
    static String summary(ClusterMembers list) {
        StringBuilder sb = new StringBuilder("ring epoch " + list.epoch() + ":");
        String sep = " ";
        // Active first: the ring's members, then those on their way in or out.
        for (MemberState state : List.of(MemberState.ACTIVE, MemberState.JOINING, MemberState.DRAINING,
                MemberState.REMOVED)) {
            int n = list.inState(state).size();
            if (n > 0) {
                sb.append(sep).append(n).append(' ').append(state.wireName());
                sep = ", ";
            }
        }
        return sb.toString();
    }

    /** The shards of every node and their bytes: the report's when there is one, else the nodes' own counts. */
    private record Totals(long shards, double bytes) {
    }

    private static Totals totals(ProtectionReport report, Map<Integer, Long> shardCounts) {
        long shards = 0;
        if (report != null && !report.nodes().isEmpty()) {
            for (NodeProtection n : report.nodes()) {
                shards += n.shards();
            }
        } else {
            for (long s : shardCounts.values()) {
                shards += s;
            }
        }
        double bytes = 0;
        if (report != null && report.computed()) {
            // Object bytes become (data + parity) / data as many shard bytes.
            bytes = (double) report.cluster().bytes() * (report.dataShards() + report.parityShards())
                    / report.dataShards();
        }
        return new Totals(shards, bytes);
    }

    private static long nodeShards(int nodeId, ProtectionReport report, Map<Integer, Long> shardCounts) {
        if (report != null) {
            for (NodeProtection n : report.nodes()) {
                if (n.nodeId().equals("node-" + nodeId)) {
                    return n.shards();
                }
            }
        }
        return shardCounts.getOrDefault(nodeId, 0L);
    }

    private static String shardText(long n) {
        return n + (n == 1 ? " shard" : " shards");
    }
}
