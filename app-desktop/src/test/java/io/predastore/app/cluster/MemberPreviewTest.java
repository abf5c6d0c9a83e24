package io.predastore.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RepairQueue;
import io.predastore.protocol.config.ErasureConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberPreviewTest {
    private static final ErasureConfig RS_3_2 = new ErasureConfig(3, 2);

    static ClusterMembers members(long epoch, MemberState... states) {
        List<ClusterMember> list = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            list.add(new ClusterMember("node-" + (i + 1), "127.0.0.1", 9000 + i, 9100 + i, false, false, 9200 + i,
                    9300 + i, states[i]));
        }
        return new ClusterMembers(epoch, list);
    }

    private static ClusterMembers active(int n) {
        MemberState[] states = new MemberState[n];
        java.util.Arrays.fill(states, MemberState.ACTIVE);
        return members(1, states);
    }

    /** A computed 3+2 report: 300 objects of 3 MiB in all, shards on five nodes 100 each except node-3's 120. */
    private static ProtectionReport report() {
        List<Long> byMissing = List.of(300L, 0L, 0L, 0L, 0L, 0L);
        List<Long> bytes = List.of(3L << 20, 0L, 0L, 0L, 0L, 0L);
        List<NodeProtection> nodes = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            nodes.add(new NodeProtection("node-" + i, true, -1, false, i == 3 ? 120 : 100));
        }
        return new ProtectionReport(1_000, 10, 3, 2, new ProtectionCounts(300, 3L << 20, byMissing, bytes),
                List.of(), List.of(), RepairQueue.IDLE, List.of(), nodes);
    }

    @Test
    void removalRefusal_exactlyDataPlusParityActive_refusedWithTheRule() {
        assertThat(MemberPreview.removalRefusal(RS_3_2, active(5), 2))
                .isEqualTo("removing node-2 would leave 4 active members, fewer than the 5 shards (data + parity) "
                        + "each object is stored as, so objects could no longer be fully protected; add a node first "
                        + "(cluster add-node, or Add node in the desktop app)");
    }

    @Test
    void removalRefusal_oneMoreThanNeeded_allowed() {
        assertThat(MemberPreview.removalRefusal(RS_3_2, active(6), 2)).isNull();
    }

    /** The node refuses to drain a joining member, so the app does not offer it either (one rule for both). */
    @Test
    void removalRefusal_joiningMember_refusedUntilActive_asTheNodeDoes() {
        ClusterMembers list = members(3, MemberState.ACTIVE, MemberState.ACTIVE, MemberState.ACTIVE,
                MemberState.ACTIVE, MemberState.ACTIVE, MemberState.JOINING);
        assertThat(MemberPreview.removalRefusal(RS_3_2, list, 6))
                .isEqualTo("node-6 is joining; only an active member can be removed (wait until it is active)");
        assertThat(MemberPreview.removalRefusal(RS_3_2, list, 1)).contains("would leave 4 active members");
    }

    @Test
    void removalRefusal_drainingOrUnknown_saysSo() {
        ClusterMembers list = members(4, MemberState.ACTIVE, MemberState.DRAINING);
        assertThat(MemberPreview.removalRefusal(RS_3_2, list, 2)).isEqualTo("node-2 is already draining");
        assertThat(MemberPreview.removalRefusal(RS_3_2, list, 9))
                .isEqualTo("node-9 is not a member (ring epoch 4)");
    }

    @Test
    void addText_estimatesOneShareInMembersPlusOne() {
        // 520 shards on 5 nodes; a sixth takes about a sixth: 87. Shard bytes: 3 MiB × 5/3 = 5 MiB, a sixth 853 KiB.
        assertThat(MemberPreview.addText(6, active(5), report(), Map.of()))
                .startsWith("node-6 joins; about 87 shards (853.3 KiB) move onto it from the 5 active members.");
    }

    @Test
    void addText_withoutReport_usesTheNodesShardCounts() {
        assertThat(MemberPreview.addText(4, active(3), null, Map.of(1, 10L, 2, 10L, 3, 12L)))
                .startsWith("node-4 joins; about 8 shards (0 B) move onto it");
    }

    @Test
    void removeText_namesTheNodesShardsAndTheirBytes() {
        // node-3 holds 120 of 520 shards of 5 MiB: about 1.2 MiB.
        assertThat(MemberPreview.removeText(3, report(), Map.of()))
                .startsWith("node-3's 120 shards (about 1.2 MiB) move to the others.");
    }
}
