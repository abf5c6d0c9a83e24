package io.predastore.app.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.task.DirectAsync;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.RingMember;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RingViewModelTest {
    private static RingView ring() {
        List<RingMember> members = List.of(
                new RingMember("node-10", List.of(0.9), List.of("1"), 1, true),
                new RingMember("node-2", List.of(0.25, 0.75), List.of("2", "3"), 2, false),
                new RingMember("node-1", List.of(0.0), List.of("4"), 1, true));
        return new RingView(4, 1, 1.25, members, List.of("node-1", "node-2", "node-2", "node-10"));
    }

    @Test
    void membersAreSortedByNodeNumberWithTheirTokensAndLiveness() {
        RingViewModel vm = new RingViewModel(DirectAsync.create());
        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(), null, ring(), null));

        assertThat(vm.members()).extracting(RingMemberInfo::id).containsExactly("node-1", "node-2", "node-10");
        assertThat(vm.members().get(1).tokens()).containsExactly(0.25, 0.75);
        assertThat(vm.members().get(1).alive()).isFalse();
        assertThat(vm.members().get(2).colour()).isEqualTo(9);
        assertThat(vm.summaryProperty().get()).contains("3 members", "4 virtual nodes", "4 partitions");
    }

    @Test
    void placementShowsDataAndParityMarksAndTheVerdict() {
        List<ShardPlacement> shards = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            shards.add(new ShardPlacement(i, i >= 3, "node-" + (i + 1),
                    i == 4 ? ShardState.UNREACHABLE : ShardState.PRESENT));
        }
        ObjectPlacement placement = new ObjectPlacement("b", "k", 10, 3, 2,
                List.of(new SegmentPlacement("seg", 10, shards)));
        RingViewModel vm = new RingViewModel(DirectAsync.create());
        vm.setPlacementSource((bucket, key) -> Optional.of(placement));
        vm.bucketProperty().set("b");
        vm.keyProperty().set("k");

        vm.showPlacement();

        assertThat(vm.shards()).extracting(ShardMark::label).containsExactly("D0", "D1", "D2", "P0", "P1");
        assertThat(vm.shards()).filteredOn(m -> !m.ok()).extracting(ShardMark::nodeId).containsExactly("node-5");
        assertThat(vm.healthProperty().get()).contains("readable, 1 shard missing, 1 more loss tolerated");
    }

    @Test
    void unknownObjectClearsTheMarks() {
        RingViewModel vm = new RingViewModel(DirectAsync.create());
        vm.setPlacementSource((bucket, key) -> Optional.empty());
        vm.bucketProperty().set("b");
        vm.keyProperty().set("nope");
        vm.showPlacement();
        assertThat(vm.shards()).isEmpty();
        assertThat(vm.healthProperty().get()).isEqualTo("No such object: b/nope");
    }

    @Test
    void lookupFailureIsShownAsText() {
        List<String> errors = new ArrayList<>();
        RingViewModel vm = new RingViewModel(DirectAsync.create(errors));
        vm.setPlacementSource((bucket, key) -> {
            throw new java.io.IOException("connection refused");
        });
        vm.bucketProperty().set("b");
        vm.keyProperty().set("k");
        vm.showPlacement();
        assertThat(vm.healthProperty().get()).contains("connection refused");
        assertThat(errors).hasSize(1);
    }

    private static ClusterMembers members(long epoch, MemberState... states) {
        List<ClusterMember> list = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            list.add(new ClusterMember("node-" + (i + 1), "127.0.0.1", 9000 + i, 9100 + i, false, false, 9200 + i,
                    9300 + i, states[i]));
        }
        return new ClusterMembers(epoch, list);
    }

    @Test
    void followsTheMemberList_drainingMemberDrawnAtItsTokens_joiningNotOnTheRing_epochPublished() {
        io.predastore.protocol.ring.Ring active = io.predastore.protocol.ring.Ring.of(List.of(
                new io.predastore.protocol.ring.Member("node-1"), new io.predastore.protocol.ring.Member("node-3")));
        io.predastore.protocol.ring.Ring withTwo = io.predastore.protocol.ring.Ring.of(List.of(
                new io.predastore.protocol.ring.Member("node-1"), new io.predastore.protocol.ring.Member("node-2"),
                new io.predastore.protocol.ring.Member("node-3")));
        RingView served = RingView.of(active, id -> true);
        RingViewModel vm = new RingViewModel(DirectAsync.create());
        assertThat(vm.epochProperty().get()).isEqualTo(-1);

        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(), null, served, null,
                members(7, MemberState.ACTIVE, MemberState.DRAINING, MemberState.ACTIVE, MemberState.JOINING)));

        assertThat(vm.epochProperty().get()).isEqualTo(7);
        assertThat(vm.members()).extracting(RingMemberInfo::id).containsExactly("node-1", "node-2", "node-3");
        RingMemberInfo draining = vm.members().get(1);
        assertThat(draining.draining()).isTrue();
        assertThat(draining.load()).as("out of the ring new objects go to").isZero();
        assertThat(draining.tokens()).as("where its tokens are in a ring that holds it")
                .isEqualTo(RingView.of(withTwo, id -> true).members().get(1).tokens());
        assertThat(vm.members().get(0).draining()).isFalse();
        assertThat(vm.summaryProperty().get()).startsWith("Ring epoch 7: 2 members (+1 draining), ");
    }

    @Test
    void sameRingAtANewEpoch_republished() {
        RingViewModel vm = new RingViewModel(DirectAsync.create());
        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(), null, ring(), null,
                new ClusterMembers(3, List.of())));
        List<Long> epochs = new ArrayList<>();
        vm.members().addListener((javafx.collections.ListChangeListener<RingMemberInfo>) c ->
                epochs.add(vm.epochProperty().get()));
        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(), null, ring(), null,
                new ClusterMembers(3, List.of())));
        assertThat(epochs).as("nothing changed").isEmpty();
        vm.applyAdmin(new ClusterSnapshot(Instant.EPOCH, List.of(), null, ring(), null,
                new ClusterMembers(4, List.of())));
        assertThat(epochs).as("the pane reads the new epoch when the members change").containsExactly(4L);
    }
}
