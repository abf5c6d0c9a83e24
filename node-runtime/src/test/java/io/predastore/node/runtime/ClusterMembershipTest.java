package io.predastore.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.RaftMetadataStore.GroupConfiguration;
import io.predastore.node.store.cluster.MemberSet;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMembershipTest {

    private static ClusterMember member(int id, MemberState state) {
        return new ClusterMember("node-" + id, "127.0.0.1", 9000 + id, 9100 + id, false, false, 9200 + id,
                9300 + id, state);
    }

    private static ClusterMembers list(MemberState... states) {
        List<ClusterMember> members = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            members.add(member(i + 1, states[i]));
        }
        return new ClusterMembers(3, members);
    }

    private static List<String> ids(int... ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add("node-" + id);
        }
        return out;
    }

    private static final MemberState A = MemberState.ACTIVE;
    private static final MemberState J = MemberState.JOINING;
    private static final MemberState D = MemberState.DRAINING;
    private static final MemberState R = MemberState.REMOVED;

    @Test
    void raftRoles_aSixthMember_joinsAsAListenerAndStaysOneWhenActive() {
        GroupConfiguration five = new GroupConfiguration(ids(1, 2, 3, 4, 5), List.of(), true);
        assertThat(ClusterMembership.raftRoles(list(A, A, A, A, A, J), five))
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4, 5), ids(6)));
        GroupConfiguration withListener = new GroupConfiguration(ids(1, 2, 3, 4, 5), ids(6), true);
        assertThat(ClusterMembership.raftRoles(list(A, A, A, A, A, A, A), withListener))
                .as("seven members: still five voters").isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4, 5),
                        ids(6, 7)));
    }

    @Test
    void raftRoles_aRemovedVoter_leavesAndTheLowestActiveListenerTakesItsVote() {
        GroupConfiguration conf = new GroupConfiguration(ids(1, 2, 3, 4, 5), ids(6, 7), true);
        assertThat(ClusterMembership.raftRoles(list(A, R, A, A, A, A, A), conf))
                .isEqualTo(new ClusterMembership.Roles(ids(1, 3, 4, 5, 6), ids(7)));
    }

    @Test
    void raftRoles_votersDown_keepTheirVotes() {
        GroupConfiguration conf = new GroupConfiguration(ids(1, 2, 3, 4, 5), ids(6, 7), true);
        java.util.Set<String> down = java.util.Set.of("node-2", "node-3");
        assertThat(ClusterMembership.raftRoles(list(A, A, A, A, A, A, A), conf, down::contains))
                .as("two voters down: they keep their votes (no role change while nodes fail)")
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4, 5), ids(6, 7)));
        java.util.Set<String> more = java.util.Set.of("node-2", "node-3", "node-6", "node-7");
        assertThat(ClusterMembership.raftRoles(list(A, A, A, A, A, A, A), conf, more::contains))
                .as("no live listener left: the voters keep their votes")
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4, 5), ids(6, 7)));
    }

    @Test
    void raftRoles_drainingVoters_keepTheirVoteUntilRemoved() {
        GroupConfiguration conf = new GroupConfiguration(ids(1, 2, 3, 4, 5), ids(6), true);
        assertThat(ClusterMembership.raftRoles(list(A, D, A, A, A, A), conf))
                .as("node 2 drains: it keeps its vote until it is removed")
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4, 5), ids(6)));
        assertThat(ClusterMembership.raftRoles(list(A, D, A, A, A), new GroupConfiguration(ids(1, 2, 3, 4, 5),
                List.of(), true))).as("no active member to take it: the draining voter keeps its vote")
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4, 5), List.of()));
        GroupConfiguration four = new GroupConfiguration(ids(1, 2, 3, 4, 5), List.of(), true);
        assertThat(ClusterMembership.raftRoles(list(A, A, A, A, R), four))
                .as("four members left of five voters: the four keep their votes")
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3, 4), List.of()));
    }

    @Test
    void raftRoles_smallClusters_haveEveryMemberVoteUpToThree() {
        GroupConfiguration three = new GroupConfiguration(ids(1, 2, 3), List.of(), true);
        assertThat(ClusterMembership.raftRoles(list(A, A, A), three))
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3), List.of()));
        assertThat(ClusterMembership.raftRoles(list(A, A, A, J), three))
                .isEqualTo(new ClusterMembership.Roles(ids(1, 2, 3), ids(4)));
    }

    @Test
    void memberSet_placesOnActiveMembersOnly_andDrainsDrainingOnes() {
        MemberSet set = ClusterMembership.memberSet(list(A, J, D, R, A));
        assertThat(set.epoch()).isEqualTo(3);
        assertThat(set.active()).containsExactly(1, 5);
        assertThat(set.draining()).containsExactly(3);
        assertThat(ClusterMembership.inGroup(list(A, J, D, R, A))).containsExactly(1, 2, 3, 5);
    }

    private static io.predastore.protocol.admin.ProtectionReport report(long at, long epoch, long leftOn3) {
        io.predastore.protocol.admin.ProtectionReport none = io.predastore.protocol.admin.ProtectionReport.none(3, 2);
        return new io.predastore.protocol.admin.ProtectionReport(at, 10, 3, 2, none.cluster(), List.of(), List.of(),
                none.repairs(), List.of(), List.of(), new io.predastore.protocol.admin.RebalanceProgress(epoch, 0, 0,
                        leftOn3, leftOn3 * 1000, List.of(new io.predastore.protocol.admin.DrainingNode("node-3",
                                leftOn3, 0)), 0, 0, 0, 0));
    }

    @Test
    void drained_needsTwoPassesInARowAtTheCurrentEpochFindingNothingLeft() {
        ClusterMembership.DrainWatch m = new ClusterMembership.DrainWatch();
        assertThat(m.drained(7, report(1000, 7, 4))).isEmpty();
        assertThat(m.drained(7, report(2000, 7, 0))).as("one pass only").isEmpty();
        assertThat(m.drained(7, report(2000, 7, 0))).as("the same report read again").isEmpty();
        assertThat(m.drained(7, report(3000, 6, 0))).as("a pass at an older epoch").isEmpty();
        assertThat(m.drained(7, report(4000, 7, 0))).contains("node-3");
        assertThat(m.drained(8, report(5000, 8, 0))).as("a new epoch starts over").isEmpty();
        assertThat(m.drained(8, report(6000, 8, 1))).isEmpty();
        assertThat(m.drained(8, report(7000, 8, 0))).as("a pass finding something again starts over").isEmpty();
        assertThat(m.drained(8, report(8000, 8, 0))).contains("node-3");
    }
}
