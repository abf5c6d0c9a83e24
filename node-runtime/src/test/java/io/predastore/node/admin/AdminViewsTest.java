package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.RaftStatus;
import io.predastore.protocol.admin.LeaderChange;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.admin.RaftRole;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminViewsTest {
    private static final Map<String, String> ADDRESSES = new LinkedHashMap<>();

    static {
        ADDRESSES.put("n1", "h1:9001");
        ADDRESSES.put("n2", "h2:9001");
        ADDRESSES.put("n3", "h3:9001");
    }

    @Test
    void raftGroup_onLeader_followersWithLagAndContact() {
        RaftStatus status = new RaftStatus(RaftStatus.Role.LEADER, "n1", 5, 100, 100,
                List.of(new RaftStatus.FollowerStatus("n2", 98, Duration.ofMillis(40)),
                        new RaftStatus.FollowerStatus("n3", -1, Duration.ofSeconds(3))));
        RaftGroupStatus g = AdminViews.raftGroup("n1", status, ADDRESSES, new LeaderHistory(8), 1000);
        assertThat(g.peers()).containsExactly(
                new RaftPeerStatus("n1", "h1:9001", RaftRole.LEADER, 100, 0, 0L),
                new RaftPeerStatus("n2", "h2:9001", RaftRole.FOLLOWER, 98, 2, 40L),
                new RaftPeerStatus("n3", "h3:9001", RaftRole.FOLLOWER, -1, 0, 3000L));
        assertThat(g.selfRole()).isEqualTo(RaftRole.LEADER);
        assertThat(g.leaderChanges()).containsExactly(new LeaderChange(5, "n1", 1000));
    }

    @Test
    void raftGroup_onFollower_leaderMarkedOthersFollowers() {
        RaftStatus status = new RaftStatus(RaftStatus.Role.FOLLOWER, "n2", 5, 100, 99, List.of());
        RaftGroupStatus g = AdminViews.raftGroup("n1", status, ADDRESSES, new LeaderHistory(8), 1000);
        assertThat(g.peers()).extracting(RaftPeerStatus::role)
                .containsExactly(RaftRole.FOLLOWER, RaftRole.LEADER, RaftRole.FOLLOWER);
        assertThat(g.leaderId()).isEqualTo("n2");
        assertThat(g.lastAppliedIndex()).isEqualTo(99);
    }

    @Test
    void raftGroup_noLeader_othersUnknown() {
        RaftStatus status = new RaftStatus(RaftStatus.Role.CANDIDATE, null, 6, 100, 100, List.of());
        RaftGroupStatus g = AdminViews.raftGroup("n1", status, ADDRESSES, new LeaderHistory(8), 1000);
        assertThat(g.peers()).extracting(RaftPeerStatus::role)
                .containsExactly(RaftRole.CANDIDATE, RaftRole.UNKNOWN, RaftRole.UNKNOWN);
        assertThat(g.leaderChanges()).isEmpty();
    }

    @Test
    void leaderHistory_sameLeaderTwice_recordedOnce() {
        LeaderHistory h = new LeaderHistory(2);
        assertThat(h.observe(1, "a", 10)).isTrue();
        assertThat(h.observe(1, "a", 20)).isFalse();
        assertThat(h.observe(1, null, 25)).isFalse();
        assertThat(h.observe(0, "b", 30)).isFalse();
        assertThat(h.observe(2, "b", 40)).isTrue();
        assertThat(h.observe(3, "b", 50)).isTrue();
        assertThat(h.changes()).containsExactly(new LeaderChange(2, "b", 40), new LeaderChange(3, "b", 50));
    }

    @Test
    void leaderHistory_differentLeaderSameTerm_replacesStaleView() {
        LeaderHistory h = new LeaderHistory(4);
        h.observe(1, "a", 10);
        h.observe(1, "b", 20);
        assertThat(h.changes()).containsExactly(new LeaderChange(1, "b", 20));
    }
}
