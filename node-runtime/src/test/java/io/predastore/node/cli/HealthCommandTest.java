package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.admin.AtRiskObject;
import io.predastore.protocol.admin.DrainingNode;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RebalanceProgress;
import io.predastore.protocol.admin.RepairQueue;
import io.predastore.protocol.admin.ScrubProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text of {@code cluster health} and its exit codes, from hand-made reports. */
class HealthCommandTest {
    private static ProtectionReport report(List<Long> objectsByMissing) {
        List<Long> bytes = objectsByMissing.stream().map(n -> n * 1000).toList();
        long n = objectsByMissing.stream().mapToLong(Long::longValue).sum();
        return new ProtectionReport(1_800_000_000_000L, 12, 3, 2, new ProtectionCounts(n, n * 1000,
                objectsByMissing, bytes), List.of(), List.of(new AtRiskObject("b", "k", 1000, 3, 5)),
                new RepairQueue(2, 2000, Map.of("node-lost", 1L, "missing", 1L), 4, 4000, 0, -1),
                List.of(new ScrubProgress("node-2", 50, 100, 3, -1, 1, 4 << 20, 0)),
                List.of(new NodeProtection("node-1", true, -1, false, 7),
                        new NodeProtection("node-2", false, 1_799_999_000_000L, true, 3)));
    }

    private static String text(ProtectionReport r) {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            HealthCommand.print(out, r);
        }
        return s.toString();
    }

    @Test
    void firstLine_isExactlyTheSummary_thenQueueNodesScrubAndAtRisk() {
        String text = text(report(List.of(4L, 1L, 1L, 0L, 0L, 0L)));
        assertThat(text.lines().findFirst()).contains("protection: 4 full, 1 degraded, 1 at risk, 0 unreadable");
        assertThat(text).contains("repair queue: 2 sets").contains("(missing 1, node-lost 1)")
                .contains("node-2: LOST since").contains("scrub node-2: 50% of pass, 3 passes")
                .contains("at risk: b/k (3 of 5 shards healthy");
    }

    @Test
    void exitCode_saysTheWorstClass_andNotYetKnownBeforeTheFirstPass() {
        assertThat(HealthCommand.exitCode(report(List.of(4L, 0L, 0L, 0L, 0L, 0L)))).isEqualTo(0);
        assertThat(HealthCommand.exitCode(report(List.of(4L, 1L, 0L, 0L, 0L, 0L)))).isEqualTo(1);
        assertThat(HealthCommand.exitCode(report(List.of(4L, 0L, 1L, 0L, 0L, 0L)))).isEqualTo(1);
        assertThat(HealthCommand.exitCode(report(List.of(4L, 1L, 1L, 1L, 0L, 0L)))).isEqualTo(2);
        ProtectionReport none = ProtectionReport.none(3, 2);
        assertThat(HealthCommand.exitCode(none)).isEqualTo(1);
        assertThat(text(none)).startsWith("protection: 0 full, 0 degraded, 0 at risk, 0 unreadable")
                .contains("no protection pass has run yet");
    }

    @Test
    void rebalance_oneLineWhileAnythingIsToMove_andNoneOnceDone() {
        ProtectionReport r = report(List.of(4L, 0L, 0L, 0L, 0L, 0L));
        RebalanceProgress moving = new RebalanceProgress(7, 100, 20L << 20, 20, 10L << 20,
                List.of(new DrainingNode("node-4", 37, 0)), 0, 0, 0, 120);
        assertThat(HealthCommand.rebalanceLine(moving))
                .isEqualTo("rebalance: 120 shards (30MiB) to move, about 2 min; draining node-4: 37 shards left");
        assertThat(text(withRebalance(r, moving))).contains("rebalance: 120 shards");

        RebalanceProgress uploadsLeft = new RebalanceProgress(7, 0, 0, 0, 0, List.of(new DrainingNode("node-4", 2, 2)),
                120, 30L << 20, 0, 0);
        assertThat(HealthCommand.rebalanceLine(uploadsLeft)).isEqualTo("rebalance: 0 shards (0B) to move; draining "
                + "node-4: 2 shards left (2 in parts of multipart uploads in progress)");

        RebalanceProgress done = new RebalanceProgress(7, 0, 0, 0, 0, List.of(), 120, 30L << 20, 0, 0);
        assertThat(text(withRebalance(r, done))).doesNotContain("rebalance");
        assertThat(text(r)).as("a report from a node older than the rebalancer").doesNotContain("rebalance");
    }

    private static ProtectionReport withRebalance(ProtectionReport r, RebalanceProgress progress) {
        return new ProtectionReport(r.computedAtMillis(), r.passMillis(), r.dataShards(), r.parityShards(),
                r.cluster(), r.buckets(), r.atRisk(), r.repairs(), r.scrub(), r.nodes(), progress);
    }

    @Test
    void replaceNode_isRefusedOnlyWhenAnObjectHasNoShardToSpare_orProtectionIsUnknown() {
        assertThat(ReplaceNodeCommand.refusal(report(List.of(4L, 0L, 0L, 0L, 0L, 0L)))).isNull();
        assertThat(ReplaceNodeCommand.refusal(report(List.of(4L, 3L, 0L, 0L, 0L, 0L))))
                .as("degraded by one of two parity shards: still readable after one more loss").isNull();
        assertThat(ReplaceNodeCommand.refusal(report(List.of(4L, 0L, 2L, 0L, 0L, 0L))))
                .startsWith("2 object(s) at risk and 0 unreadable");
        assertThat(ReplaceNodeCommand.refusal(report(List.of(4L, 0L, 0L, 1L, 0L, 0L))))
                .startsWith("0 object(s) at risk and 1 unreadable");
        assertThat(ReplaceNodeCommand.refusal(ProtectionReport.none(3, 2))).contains("no protection pass has run");
    }
}
