package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a peer that started with an empty log asks its leader to hand over leadership, and what the leader does. */
class EmptyRejoinTest {
    private static final Set<String> PEERS = Set.of("node-1", "node-2", "node-3");

    /** A peer whose status the test sets, recording the leaders it asked. */
    private static final class FakePeer implements EmptyRejoin.Peer {
        RaftStatus status = new RaftStatus(RaftStatus.Role.FOLLOWER, "node-1", 3, 40, -1, List.of());
        final List<String> asked = new ArrayList<>();

        @Override
        public RaftStatus status() {
            return status;
        }

        @Override
        public String askForHandover(String leaderId) {
            asked.add(leaderId);
            return "handing leadership to another peer";
        }
    }

    @Test
    void emptyFollowerOfAKnownLeader_asksItAfterItsPatience_thenAgainAfterTheRetryTime() throws IOException {
        FakePeer peer = new FakePeer();
        TestClock clock = new TestClock(Instant.parse("2026-12-07T12:00:00Z"));
        EmptyRejoin rejoin = EmptyRejoin.manual(peer, "node-2", clock);

        assertThat(rejoin.check()).isNull();
        clock.advance(EmptyRejoin.PATIENCE.minusSeconds(1));
        assertThat(rejoin.check()).as("still within its patience").isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(rejoin.check()).isEqualTo("node-1");
        clock.advance(Duration.ofSeconds(5));
        assertThat(rejoin.check()).as("not again before the retry time").isNull();

        // The leader forgotten between two heartbeats: the last one known is asked.
        peer.status = new RaftStatus(RaftStatus.Role.FOLLOWER, null, 3, 40, -1, List.of());
        clock.advance(EmptyRejoin.RETRY);
        assertThat(rejoin.check()).isEqualTo("node-1");
        peer.status = new RaftStatus(RaftStatus.Role.FOLLOWER, "node-3", 4, 41, -1, List.of());
        clock.advance(EmptyRejoin.RETRY);
        assertThat(rejoin.check()).isEqualTo("node-3");
        assertThat(peer.asked).containsExactly("node-1", "node-1", "node-3");
    }

    @Test
    void onceItAppliedAnything_itNeverAsksAgain() throws IOException {
        FakePeer peer = new FakePeer();
        TestClock clock = new TestClock(Instant.parse("2026-12-07T12:00:00Z"));
        EmptyRejoin rejoin = EmptyRejoin.manual(peer, "node-2", clock);
        peer.status = new RaftStatus(RaftStatus.Role.FOLLOWER, "node-1", 3, 40, 0, List.of());
        assertThat(rejoin.check()).isNull();

        peer.status = new RaftStatus(RaftStatus.Role.FOLLOWER, "node-1", 3, 40, -1, List.of());
        clock.advance(Duration.ofMinutes(5));
        assertThat(rejoin.check()).isNull();
        assertThat(rejoin.check()).isNull();
        assertThat(peer.asked).isEmpty();
    }

    @Test
    void withoutALeader_orAsCandidate_itWaits() throws IOException {
        FakePeer peer = new FakePeer();
        TestClock clock = new TestClock(Instant.parse("2026-12-07T12:00:00Z"));
        EmptyRejoin rejoin = EmptyRejoin.manual(peer, "node-2", clock);
        peer.status = new RaftStatus(RaftStatus.Role.FOLLOWER, null, 3, -1, -1, List.of());
        rejoin.check();
        clock.advance(Duration.ofMinutes(1));
        assertThat(rejoin.check()).isNull();
        peer.status = new RaftStatus(RaftStatus.Role.CANDIDATE, null, 4, -1, -1, List.of());
        clock.advance(Duration.ofMinutes(1));
        assertThat(rejoin.check()).isNull();
        assertThat(peer.asked).isEmpty();
    }

    private static RaftStatus leading(RaftStatus.FollowerStatus... followers) {
        return new RaftStatus(RaftStatus.Role.LEADER, "node-1", 3, 40, 40, List.of(followers));
    }

    private static RaftStatus.FollowerStatus follower(String id, long match, long contactMillis) {
        return new RaftStatus.FollowerStatus(id, match, Duration.ofMillis(contactMillis));
    }

    @Test
    void leader_handsOverToTheMostUpToDatePeerInContact_notToTheOneAsking() {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T12:00:00Z"));
        EmptyRejoin.Handover h = new EmptyRejoin.Handover("node-1",
                Set.of("node-1", "node-2", "node-3", "node-4", "node-5"), clock);
        RaftStatus s = leading(follower("node-2", 40, 100), follower("node-3", 38, 100),
                follower("node-4", 39, 100), follower("node-5", 40, 9000));

        EmptyRejoin.Handover.Verdict v = h.decide("node-2", s);

        assertThat(v.granted()).isTrue();
        assertThat(v.target()).as("node-2 asks, node-5 is out of contact, node-4 is ahead of node-3")
                .isEqualTo("node-4");
    }

    @Test
    void leader_refusesOutsiders_itself_followers_andASecondHandoverTooSoon() {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T12:00:00Z"));
        EmptyRejoin.Handover h = new EmptyRejoin.Handover("node-1", PEERS, clock);
        RaftStatus s = leading(follower("node-2", 40, 100), follower("node-3", 40, 100));

        assertThat(h.decide("node-9", s).refusal()).contains("no other peer");
        assertThat(h.decide("node-1", s).refusal()).contains("no other peer");
        assertThat(h.decide("node-2", new RaftStatus(RaftStatus.Role.FOLLOWER, "node-3", 3, 40, 40, List.of()))
                .refusal()).contains("does not lead");
        assertThat(h.decide("node-2", leading(follower("node-2", 40, 100), follower("node-3", -1, 100)))
                .refusal()).contains("no other peer is in contact");

        assertThat(h.decide("node-2", s).target()).isEqualTo("node-3");
        clock.advance(EmptyRejoin.Handover.SPACING.minusSeconds(1));
        assertThat(h.decide("node-3", s).refusal()).contains("handed over less than");
        clock.advance(Duration.ofSeconds(1));
        assertThat(h.decide("node-3", s).target()).isEqualTo("node-2");
    }

    @Test
    void hasLog_findsSegmentsAnywhereBelowTheRaftDirectory(@TempDir Path dir) throws IOException {
        Path raft = dir.resolve("raft");
        assertThat(EmptyRejoin.hasLog(raft)).isFalse();
        Path current = Files.createDirectories(raft.resolve("group").resolve("current"));
        Files.writeString(current.resolve("raft-meta"), "term");
        assertThat(EmptyRejoin.hasLog(raft)).isFalse();
        Files.writeString(current.resolve("log_inprogress_0"), "");
        assertThat(EmptyRejoin.hasLog(raft)).isTrue();
    }
}
