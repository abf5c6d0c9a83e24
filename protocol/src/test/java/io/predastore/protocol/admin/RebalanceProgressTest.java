package io.predastore.protocol.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rebalancer's section of the protection report on the wire: its exact JSON, a report from a node older than the
 * rebalancer (no section) still read, and the section kept when the live repair queue is swapped in.
 */
class RebalanceProgressTest {
    private static final RebalanceProgress PROGRESS = new RebalanceProgress(7, 120, 31_457_280, 37, 9_000_000,
            List.of(new DrainingNode("node-4", 37, 2)), 50, 1_000_000, 250_000.0, 162);

    @Test
    void write_rebalanceProgress_exactJsonAndBack() throws IOException {
        String json = "{\"membersEpoch\":7,\"rebalanceShards\":120,\"rebalanceBytes\":31457280,\"drainShards\":37,"
                + "\"drainBytes\":9000000,\"draining\":[{\"nodeId\":\"node-4\",\"shardsLeft\":37,\"uploadShards\":2}],"
                + "\"movedShards\":50,\"movedBytes\":1000000,\"bytesPerSecond\":250000.0,\"etaSeconds\":162}";
        assertThat(AdminJson.write(PROGRESS)).isEqualTo(json);
        assertThat(AdminJson.read(json, RebalanceProgress.class)).isEqualTo(PROGRESS);
    }

    @Test
    void read_reportOfANodeOlderThanTheRebalancer_hasNoSection() throws IOException {
        ProtectionReport old = new ProtectionReport(1_000, 10, 3, 2, ProtectionCounts.empty(5), List.of(), List.of(),
                RepairQueue.IDLE, List.of(), List.of());
        String json = AdminJson.write(old).replace(",\"rebalance\":null", "");
        assertThat(json).doesNotContain("rebalance");

        ProtectionReport read = AdminJson.read(json, ProtectionReport.class);

        assertThat(read.rebalance()).isNull();
        assertThat(read).isEqualTo(old);
    }

    @Test
    void withLive_keepsTheRebalanceSection() throws IOException {
        ProtectionReport report = new ProtectionReport(1_000, 10, 3, 2, ProtectionCounts.empty(5), List.of(),
                List.of(), RepairQueue.IDLE, List.of(), List.of(), PROGRESS);

        assertThat(report.withLive(List.of(), RepairQueue.IDLE).rebalance()).isEqualTo(PROGRESS);
        assertThat(AdminJson.read(AdminJson.write(report), ProtectionReport.class)).isEqualTo(report);
    }

    @Test
    void drainedAndPending_followTheCounts() {
        assertThat(PROGRESS.pending()).isTrue();
        assertThat(new DrainingNode("node-4", 0, 0).drained()).isTrue();
        RebalanceProgress done = new RebalanceProgress(8, 0, 0, 0, 0, List.of(new DrainingNode("node-4", 0, 0)), 50,
                1_000_000, 0, 0);
        assertThat(done.pending()).isFalse();
        RebalanceProgress uploadLeft = new RebalanceProgress(8, 0, 0, 0, 0, List.of(new DrainingNode("node-4", 1,
                1)), 50, 1_000_000, 0, 0);
        assertThat(uploadLeft.pending()).as("a part of an upload in progress is still on the node").isTrue();
        assertThatThrownBy(() -> new DrainingNode("node-4", 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uploadShards 2 exceeds shardsLeft 1");
    }

    @Test
    void drainingProgress_saysWhatIsLeftAndHowMuchIsInUploads() {
        assertThat(new DrainingNode("node-4", 0, 0).progress()).isEqualTo("drained, leaving");
        assertThat(new DrainingNode("node-4", 1, 0).progress()).isEqualTo("1 shard left");
        assertThat(new DrainingNode("node-4", 37, 2).progress()).isEqualTo("37 shards left (2 in parts of multipart "
                + "uploads in progress)");
    }
}
