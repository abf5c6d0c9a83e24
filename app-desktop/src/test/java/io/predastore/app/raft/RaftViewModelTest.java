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
    void leaderChangesSeenByAnyAnsweringNodeStayInTheTimeline() {
        RaftViewModel vm = new RaftViewModel(ZoneOffset.UTC);
        // node-1 answers first: it saw two elections.
        vm.applyAdmin(snapshot("node-1", 2, List.of(new LeaderChange(1, "node-3", 1_000),
                new LeaderChange(2, "node-1", 5_000))));
        // node-1 is stopped; node-4, started later, answers: it saw only the election of term 3, and term 2 later
        // than node-1 did.
        vm.applyAdmin(snapshot("node-4", 3, List.of(new LeaderChange(2, "node-1", 9_000),
                new LeaderChange(3, "node-4", 20_000))));

        assertThat(vm.leaderProperty().get()).isEqualTo("node-4");
        assertThat(vm.leaderChanges()).extracting(LeaderChangeRow::leaderId)
                .containsExactly("node-4", "node-1", "node-3");
        assertThat(vm.leaderChanges().get(1).at()).as("the earliest report of term 2").isEqualTo("00:00:05");
    }

    @Test
    void theTimelineKeepsTheNewestElectionsOnly() {
        RaftViewModel vm = new RaftViewModel(ZoneOffset.UTC);
        for (long t = 1; t <= RaftViewModel.MAX_CHANGES + 10; t++) {
            vm.applyAdmin(snapshot("node-1", t, List.of(new LeaderChange(t, "node-1", t * 1000))));
        }
        assertThat(vm.leaderChanges()).hasSize(RaftViewModel.MAX_CHANGES);
        assertThat(vm.leaderChanges().get(0).term()).isEqualTo(RaftViewModel.MAX_CHANGES + 10);
    }

    private static ClusterSnapshot snapshot(String leader, long term, List<LeaderChange> changes) {
        RaftGroupStatus raft = new RaftGroupStatus(leader, term, 10, 10, RaftRole.LEADER,
                List.of(new RaftPeerStatus(leader, "127.0.0.1:1", RaftRole.LEADER, 10, 0, 0L)), changes);
        return new ClusterSnapshot(Instant.EPOCH, List.of(), raft, null, null);
    }

    @Test
    void noAnswerKeepsTheLastValues() {
        RaftViewModel vm = new RaftViewModel(ZoneOffset.UTC);
        vm.applyAdmin(ClusterSnapshot.empty(Instant.EPOCH));
        assertThat(vm.leaderProperty().get()).isEqualTo("no node answered");
        assertThat(vm.peers()).isEmpty();
    }

    private static io.predastore.app.service.NodeSample sample(int id, RaftRole role) {
        return new io.predastore.app.service.NodeSample(id, new io.predastore.protocol.admin.NodeStatus("node-" + id,
                "0.1.0", 1000, "127.0.0.1", new io.predastore.protocol.admin.NodeStatus.Ports(9000 + id, 9200 + id,
                        9300 + id, 9100 + id), 0, 0, role, "distributed"), null, null);
    }

    @Test
    void listeners_shownAsListenersFromTheirOwnStatus_addedWhenTheGroupStatusLacksThem() {
        RaftGroupStatus raft = new RaftGroupStatus("node-1", 3, 50, 50, RaftRole.LEADER,
                List.of(new RaftPeerStatus("node-1", "127.0.0.1:1", RaftRole.LEADER, 50, 0, 0L),
                        new RaftPeerStatus("node-2", "127.0.0.1:2", RaftRole.FOLLOWER, 50, 0, 10L),
                        new RaftPeerStatus("node-3", "127.0.0.1:3", RaftRole.FOLLOWER, 50, 0, 10L),
                        new RaftPeerStatus("node-4", "127.0.0.1:4", RaftRole.FOLLOWER, 50, 0, 10L)),
                List.of());
        RaftViewModel vm = new RaftViewModel(ZoneOffset.UTC);

        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(sample(1, RaftRole.LEADER),
                sample(2, RaftRole.FOLLOWER), sample(4, RaftRole.LISTENER), sample(5, RaftRole.LISTENER)), raft, null,
                null));

        assertThat(vm.peers()).extracting(PeerRow::id, PeerRow::role).containsExactly(
                org.assertj.core.groups.Tuple.tuple("node-1", "leader"),
                org.assertj.core.groups.Tuple.tuple("node-2", "follower"),
                org.assertj.core.groups.Tuple.tuple("node-3", "follower"),
                org.assertj.core.groups.Tuple.tuple("node-4", "listener"),
                org.assertj.core.groups.Tuple.tuple("node-5", "listener"));
        assertThat(vm.peers().get(4).address()).isEqualTo("127.0.0.1:9205");
    }
}
