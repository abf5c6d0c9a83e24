package io.predastore.app.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.service.ClusterSnapshot;
import io.predastore.protocol.admin.LeaderChange;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.admin.RaftRole;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftViewModelTest {
    @Test
    void showsLeaderTermCommitPeersAndNewestLeaderChangeFirst() {
        RaftGroupStatus raft = new RaftGroupStatus("node-2", 7, 120, 118, RaftRole.LEADER,
                List.of(new RaftPeerStatus("node-2", "127.0.0.1:1", RaftRole.LEADER, 120, 0, 0L),
                        new RaftPeerStatus("node-1", "127.0.0.1:2", RaftRole.FOLLOWER, 115, 5, 40L),
                        new RaftPeerStatus("node-3", "127.0.0.1:3", RaftRole.FOLLOWER, -1, 0, null)),
                List.of(new LeaderChange(6, "node-1", 1_000), new LeaderChange(7, "node-2", 61_000)));
        RaftViewModel vm = new RaftViewModel(ZoneOffset.UTC);

        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(), raft, null, null));

        assertThat(vm.leaderProperty().get()).isEqualTo("node-2");
        assertThat(vm.termProperty().get()).isEqualTo("7");
        assertThat(vm.commitIndexProperty().get()).isEqualTo("120");
        assertThat(vm.peers()).extracting(PeerRow::id).containsExactly("node-1", "node-2", "node-3");
        assertThat(vm.peers()).filteredOn(PeerRow::leader).extracting(PeerRow::id).containsExactly("node-2");
        PeerRow lagging = vm.peers().get(0);
        assertThat(lagging.matchIndex()).isEqualTo("115");
        assertThat(lagging.lag()).isEqualTo("5");
        assertThat(lagging.lastContact()).isEqualTo("40 ms ago");
        assertThat(vm.peers().get(2).matchIndex()).isEqualTo("unknown");
        assertThat(vm.peers().get(2).lastContact()).isEqualTo("never");
        assertThat(vm.leaderChanges()).extracting(LeaderChangeRow::leaderId).containsExactly("node-2", "node-1");
        assertThat(vm.leaderChanges().get(0).at()).isEqualTo("00:01:01");
    }

    @Test
    void noAnswerKeepsTheLastValues() {
        RaftViewModel vm = new RaftViewModel(ZoneOffset.UTC);
        vm.applyAdmin(ClusterSnapshot.empty(Instant.EPOCH));
        assertThat(vm.leaderProperty().get()).isEqualTo("no node answered");
        assertThat(vm.peers()).isEmpty();
    }
}
