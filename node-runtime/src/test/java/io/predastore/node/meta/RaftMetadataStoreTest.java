package io.predastore.node.meta;

import static io.predastore.node.meta.LocalMetadataStoreTest.b;
import static io.predastore.node.meta.LocalMetadataStoreTest.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftMetadataStoreTest {
    @TempDir
    Path dir;

    private static MetaBatch put(MetaTable t, String k, String v) {
        return MetaBatch.of(new MetaBatch.Put(t, b(k), b(v)));
    }

    private static String value(MetadataStore store, MetaTable t, String k) throws IOException {
        return store.get(t, b(k)).map(LocalMetadataStoreTest::s).orElse(null);
    }

    @Test
    void apply_onFollower_isForwardedAndReadableOnEveryPeer() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            int leader = c.awaitLeader();
            int follower = c.aFollower(leader);

            assertThat(c.stores[follower].apply(put(MetaTable.BUCKETS, "photos", "owner=alice"))).isTrue();

            for (RaftMetadataStore s : c.stores) {
                assertThat(value(s, MetaTable.BUCKETS, "photos")).isEqualTo("owner=alice");
            }
            assertThat(c.stores[follower].scan(MetaTable.BUCKETS, b("ph"), null, 10)).hasSize(1);
            // This node's own code reads its replica directly, without the seal that requests over the network need.
            for (RaftMetadataStore s : c.stores) {
                await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(s.getLocal(MetaTable.BUCKETS, b("photos"))).hasValueSatisfying(v ->
                                assertThat(new String(v, java.nio.charset.StandardCharsets.UTF_8))
                                        .isEqualTo("owner=alice")));
                assertThat(s.getLocal(MetaTable.BUCKETS, b("nothing"))).isEmpty();
            }
            RaftStatus ls = c.status(leader);
            assertThat(ls.role()).isEqualTo(RaftStatus.Role.LEADER);
            assertThat(ls.followers()).hasSize(2).allSatisfy(f -> assertThat(f.matchIndex()).isPositive());
            assertThat(ls.commitIndex()).isGreaterThanOrEqualTo(ls.lastAppliedIndex()).isPositive();
            RaftStatus fs = c.status(follower);
            assertThat(fs.role()).isEqualTo(RaftStatus.Role.FOLLOWER);
            assertThat(fs.leaderId()).isEqualTo(c.peers.get(leader).id());
            assertThat(fs.term()).isEqualTo(ls.term());
            assertThat(c.stores[follower].leaderHint()).isEqualTo("leader is " + c.peers.get(leader).id() + " at "
                    + c.peers.get(leader).address());
        }
    }

    @Test
    void applyBatch_replace_reportsAndKeepsThePreviousValueOnEveryPeer() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            int leader = c.awaitLeader();
            RaftMetadataStore via = c.stores[c.aFollower(leader)];
            MetaBatch first = MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("k"), b("v1"),
                    MetaTable.TOMBSTONES, b("t1")));
            MetaBatch second = MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("k"), b("v2"),
                    MetaTable.TOMBSTONES, b("t2")));

            assertThat(via.applyBatch(first)).isEqualTo(ApplyOutcome.APPLIED);
            assertThat(via.applyBatch(second)).isEqualTo(ApplyOutcome.APPLIED_KEPT_PREVIOUS);

            for (RaftMetadataStore s : c.stores) {
                assertThat(value(s, MetaTable.OBJECTS, "k")).isEqualTo("v2");
                assertThat(value(s, MetaTable.TOMBSTONES, "t1")).isNull();
                assertThat(value(s, MetaTable.TOMBSTONES, "t2")).isEqualTo("v1");
            }
        }
    }

    @Test
    void apply_eightConcurrentPutIfAbsentOnOneKey_exactlyOneWins() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            c.awaitLeader();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    RaftMetadataStore via = c.stores[t % 3];
                    String mine = "writer-" + t;
                    Callable<Boolean> task = () -> {
                        go.await();
                        return via.apply(new MetaBatch(
                                List.of(new MetaBatch.Condition(MetaTable.UPLOADS, b("u1"), null)),
                                List.of(new MetaBatch.Put(MetaTable.UPLOADS, b("u1"), b(mine)))));
                    };
                    results.add(pool.submit(task));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> f : results) {
                    winners += f.get() ? 1 : 0;
                }
                assertThat(winners).isEqualTo(1);
                assertThat(value(c.stores[0], MetaTable.UPLOADS, "u1")).startsWith("writer-");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void applyBatch_manyConcurrentWritesOnOneNode_shareLogEntriesAndKeepOwnOutcomes() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            int leader = c.awaitLeader();
            RaftMetadataStore via = c.stores[c.aFollower(leader)];
            long before = c.status(leader).commitIndex();
            int writers = 64;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ApplyOutcome>> results = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    // Even writers put a fresh key; odd ones expect a key that is absent, so they are refused.
                    MetaBatch batch = t % 2 == 0 ? put(MetaTable.OBJECTS, "group-" + t, "v" + t)
                            : new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.OBJECTS, b("missing"), b("x"))),
                                    List.of(new MetaBatch.Put(MetaTable.OBJECTS, b("group-" + t), b("no"))));
                    results.add(pool.submit(() -> {
                        go.await();
                        return via.applyBatch(batch);
                    }));
                }
                go.countDown();
                for (int t = 0; t < writers; t++) {
                    assertThat(results.get(t).get()).as("writer %d", t)
                            .isEqualTo(t % 2 == 0 ? ApplyOutcome.APPLIED : ApplyOutcome.NOT_APPLIED);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < writers; t++) {
                assertThat(value(c.stores[leader], MetaTable.OBJECTS, "group-" + t)).as("key %d", t)
                        .isEqualTo(t % 2 == 0 ? "v" + t : null);
            }
            long entries = c.status(leader).commitIndex() - before;
            assertThat(entries).as("log entries for %d concurrent writes", writers).isLessThan(writers);
        }
    }

    @Test
    void close_leader_electsNewLeaderKeepsAckedWritesAndOldLeaderCatchesUpOnRestart() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            int leader = c.awaitLeader();
            int follower = c.aFollower(leader);
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                if (c.stores[follower].apply(put(MetaTable.OBJECTS, "before-" + i, "v" + i))) {
                    acked.add("before-" + i);
                }
            }

            c.stop(leader);
            int newLeader = c.awaitLeader();
            for (int i = 0; i < 10; i++) {
                if (c.stores[follower].apply(put(MetaTable.OBJECTS, "after-" + i, "v" + i))) {
                    acked.add("after-" + i);
                }
            }

            assertThat(newLeader).isNotEqualTo(leader);
            assertThat(acked).hasSize(20);
            for (String k : acked) {
                assertThat(value(c.stores[newLeader], MetaTable.OBJECTS, k)).as(k).isNotNull();
            }
            c.start(leader);
            RaftMetadataStore old = c.stores[leader];
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> old.stateMachine().getLastAppliedTermIndex() != null
                            && old.stateMachine().getLastAppliedTermIndex().getIndex()
                                    >= c.status(newLeader).commitIndex());
            assertThat(old.scan(MetaTable.OBJECTS, b(""), null, 100)).hasSize(20);
            assertThat(value(old, MetaTable.OBJECTS, "after-9")).isEqualTo("v9");
        }
    }

    @Test
    void restart_laggingFollowerAfterLogPurge_catchesUpBySnapshotInstall() throws Exception {
        MetadataOptions.LogOptions small = new MetadataOptions.LogOptions(20, 1024);
        try (MetaTestCluster c = MetaTestCluster.started(dir, small)) {
            int leader = c.awaitLeader();
            int lagging = c.aFollower(leader);
            c.stores[leader].apply(put(MetaTable.NODES, "early", "1"));
            c.stop(lagging);

            for (int i = 0; i < 120; i++) {
                c.stores[leader].apply(put(MetaTable.NODES, String.format("k%03d", i), "v" + i));
            }
            Path leaderLog = dir.resolve(c.peers.get(leader).id()).resolve("raft");
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> firstLogIndex(leaderLog) > 10);

            RaftMetadataStore restarted = c.start(lagging);

            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> restarted.stateMachine().getLastAppliedTermIndex() != null
                            && restarted.stateMachine().getLastAppliedTermIndex().getIndex()
                                    >= c.status(leader).commitIndex());
            // It got most entries from the snapshot, not by applying them one by one.
            assertThat(restarted.stateMachine().batchesApplied()).isLessThan(100);
            assertThat(restarted.scan(MetaTable.NODES, b("k"), null, 1000)).hasSize(120);
            assertThat(value(restarted, MetaTable.NODES, "early")).isEqualTo("1");
            restarted.apply(put(MetaTable.NODES, "late", "2"));
            assertThat(value(c.stores[leader], MetaTable.NODES, "late")).isEqualTo("2");
        }
    }

    @Test
    void restart_followerWithItsDataWiped_catchesUpWhileTheSameLeaderLeads() throws Exception {
        // A short log, purged after snapshots: the wiped peer can only be refilled by a snapshot install.
        try (MetaTestCluster c = MetaTestCluster.started(dir, new MetadataOptions.LogOptions(20, 1024))) {
            int leader = c.awaitLeader();
            int wiped = c.aFollower(leader);
            for (int i = 0; i < 60; i++) {
                c.stores[leader].apply(put(MetaTable.NODES, String.format("before-%02d", i), "v" + i));
            }
            Path leaderLog = dir.resolve(c.peers.get(leader).id()).resolve("raft");
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> firstLogIndex(leaderLog) > 10);
            long term = c.status(leader).term();
            c.stop(wiped);
            deleteTree(dir.resolve(c.peers.get(wiped).id()));

            RaftMetadataStore refilled = c.start(wiped);

            // The peer that lost everything it had acknowledged gets the whole state back while the group is idle
            // (a write would break the leader's heartbeat loop by chance), without waiting for the leader to fail.
            // A leadership change for its sake is allowed; losing the data is not.
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> refilled.getLocal(MetaTable.NODES, b("before-59")).isPresent());
            c.stores[leader].apply(put(MetaTable.NODES, "after", "1"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> refilled.getLocal(MetaTable.NODES, b("after")).isPresent());
            assertThat(refilled.scan(MetaTable.NODES, b("before-"), null, 100)).hasSize(60);
            assertThat(refilled.stateMachine().batchesApplied()).as("most of it came as a snapshot").isLessThan(50);
            int nowLeading = c.awaitLeader();
            assertThat(c.status(nowLeading).term()).isGreaterThanOrEqualTo(term);
            assertThat(value(c.stores[nowLeading], MetaTable.NODES, "before-59")).isEqualTo("v59");
        }
    }

    @Test
    void aGroupFormedFromFourPeers_hasThreeVotersAndOneListener_thatFollowsWrites() throws Exception {
        try (MetaTestCluster c = new MetaTestCluster(dir, 4, MetadataOptions.LogOptions.DEFAULTS, (id, p) -> null)) {
            c.startAll();
            int leader = c.awaitLeaderAmong(0, 1, 2);
            assertThat(c.stores[leader].groupConfiguration().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(c.stores[leader].groupConfiguration().listeners()).containsExactly("n4");
            c.stores[leader].apply(put(MetaTable.NODES, "k", "v"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> c.stores[3].getLocal(MetaTable.NODES, b("k")).isPresent());
            assertThat(c.stores[3].status().role()).isEqualTo(RaftStatus.Role.LISTENER);
        }
    }

    @Test
    void join_aPeerAddedAsListener_getsTheMetadataFollowsWritesAndLeavesWhenRemoved() throws Exception {
        try (MetaTestCluster c = new MetaTestCluster(dir, 4, MetadataOptions.LogOptions.DEFAULTS, (id, p) -> null)) {
            c.startFirst(3);
            int leader = c.awaitLeaderAmong(0, 1, 2);
            for (int i = 0; i < 20; i++) {
                c.stores[leader].apply(put(MetaTable.NODES, String.format("before-%02d", i), "v" + i));
            }
            RaftMetadataStore joined = c.startJoining(3);
            // Waiting to be added, it neither campaigns nor disturbs the group.
            Thread.sleep(1500);
            assertThat(c.awaitLeaderAmong(0, 1, 2)).isEqualTo(leader);
            assertThat(joined.getLocal(MetaTable.NODES, b("before-00"))).isEmpty();

            java.util.Set<String> all = new java.util.TreeSet<>(List.of("n1", "n2", "n3", "n4"));
            for (RaftMetadataStore s : c.stores) {
                s.admitPeers(all);
            }
            c.stores[leader].reconfigure(c.peers.subList(0, 3), List.of(c.peers.get(3)))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(c.stores[leader].groupConfiguration().voters()).containsExactly("n1", "n2", "n3");
            assertThat(c.stores[leader].groupConfiguration().listeners()).containsExactly("n4");
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> joined.getLocal(MetaTable.NODES, b("before-19")).isPresent());
            c.stores[leader].apply(put(MetaTable.NODES, "after", "1"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> joined.getLocal(MetaTable.NODES, b("after")).isPresent());
            assertThat(joined.status().role()).isEqualTo(RaftStatus.Role.LISTENER);
            // A listener forwards writes to the leader like any peer.
            assertThat(joined.apply(put(MetaTable.NODES, "from-listener", "1"))).isTrue();
            assertThat(value(c.stores[leader], MetaTable.NODES, "from-listener")).isEqualTo("1");

            c.stores[leader].reconfigure(c.peers.subList(0, 3), List.of())
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(c.stores[leader].groupConfiguration().listeners()).isEmpty();
            c.stores[leader].apply(put(MetaTable.NODES, "after-removal", "1"));
            assertThat(value(c.stores[leader], MetaTable.NODES, "after-removal")).isEqualTo("1");
        }
    }

    @Test
    void join_aListenerAddedToTheRunningGroup_keepsFollowingWhenTheLeaderIsLost() throws Exception {
        try (MetaTestCluster c = new MetaTestCluster(dir, 4, MetadataOptions.LogOptions.DEFAULTS, (id, p) -> null)) {
            c.startFirst(3);
            int leader = c.awaitLeaderAmong(0, 1, 2);
            RaftMetadataStore joined = joinFourthAsListener(c, leader);
            c.stores[leader].apply(put(MetaTable.NODES, "before", "1"));
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> joined.getLocal(MetaTable.NODES, b("before")).isPresent());
            // Ratis keeps the role a peer started in: one started outside the configuration would be a follower here,
            // campaign once the leader is gone and be shut down by the next leader.
            assertThat(joined.status().role()).isEqualTo(RaftStatus.Role.LISTENER);

            c.stop(leader);
            int[] rest = java.util.stream.IntStream.range(0, 3).filter(i -> i != leader).toArray();
            int newLeader = c.awaitLeaderAmong(rest);
            // Several election timeouts pass with the listener in the group.
            Thread.sleep(2000);
            c.stores[newLeader].apply(put(MetaTable.NODES, "after", "1"));
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> joined.getLocal(MetaTable.NODES, b("after")).isPresent());
            assertThat(joined.status().role()).isEqualTo(RaftStatus.Role.LISTENER);
            assertThat(joined.leaderId()).contains(c.peers.get(newLeader).id());
        }
    }

    @Test
    void join_aListenerPromotedToVoter_votes() throws Exception {
        try (MetaTestCluster c = new MetaTestCluster(dir, 4, MetadataOptions.LogOptions.DEFAULTS, (id, p) -> null)) {
            c.startFirst(3);
            int leader = c.awaitLeaderAmong(0, 1, 2);
            RaftMetadataStore joined = joinFourthAsListener(c, leader);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> joined.status().role() == RaftStatus.Role.LISTENER);
            // A voter other than the leader leaves; the listener takes its vote.
            int leaving = java.util.stream.IntStream.range(0, 3).filter(i -> i != leader).findFirst().orElseThrow();
            List<MetaPeerConfig> voters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                if (i != leaving) {
                    voters.add(c.peers.get(i));
                }
            }
            c.stores[leader].reconfigure(voters, List.of()).get(30, java.util.concurrent.TimeUnit.SECONDS);
            c.stop(leaving);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> joined.status().role() == RaftStatus.Role.FOLLOWER);

            // With the leader gone too, the promoted peer's vote is needed for a majority of the three.
            c.stop(leader);
            int other = java.util.stream.IntStream.range(0, 3).filter(i -> i != leader && i != leaving).findFirst()
                    .orElseThrow();
            int newLeader = c.awaitLeaderAmong(other, 3);
            assertThat(c.stores[newLeader].apply(put(MetaTable.NODES, "after", "1"))).isTrue();
        }
    }

    /** Starts peer 4 as a node added to the running group of the first three and has the leader add it. */
    private static RaftMetadataStore joinFourthAsListener(MetaTestCluster c, int leader) throws Exception {
        RaftMetadataStore joined = c.startJoining(3);
        java.util.Set<String> all = new java.util.TreeSet<>(List.of("n1", "n2", "n3", "n4"));
        for (RaftMetadataStore s : c.stores) {
            s.admitPeers(all);
        }
        c.stores[leader].reconfigure(c.peers.subList(0, 3), List.of(c.peers.get(3)))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        return joined;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The first index still in the log: the smallest segment start ({@code log_<start>-<end>}, {@code log_inprogress_<start>}). */
    private static long firstLogIndex(Path raftDir) throws IOException {
        Pattern segment = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");
        try (Stream<Path> files = Files.walk(raftDir)) {
            return files.map(p -> segment.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1))).min().orElse(0);
        }
    }

    @Test
    void restart_wholeCluster_restoresAppliedIndexAndReappliesNothing() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            c.awaitLeader();
            // A counter bumped by compare-and-set: a double apply or a lost apply would show as a wrong count.
            for (int i = 0; i < 15; i++) {
                RaftMetadataStore via = c.stores[i % 3];
                byte[] current = via.get(MetaTable.TOMBSTONES, b("counter")).orElse(null);
                byte[] next = b(Integer.toString(current == null ? 1 : Integer.parseInt(s(current)) + 1));
                assertThat(via.apply(new MetaBatch(
                        List.of(new MetaBatch.Condition(MetaTable.TOMBSTONES, b("counter"), current)),
                        List.of(new MetaBatch.Put(MetaTable.TOMBSTONES, b("counter"), next))))).isTrue();
            }
            long[] appliedBefore = new long[3];
            for (int i = 0; i < 3; i++) {
                int peer = i;
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                        () -> c.stores[peer].stateMachine().batchesApplied() == 15);
                appliedBefore[i] = c.stores[i].stateMachine().getLastAppliedTermIndex().getIndex();
            }

            c.stopAll();
            c.startAll();

            for (int i = 0; i < 3; i++) {
                // Restored from the database; a new leader's no-op entry may already have been applied on top.
                assertThat(c.stores[i].stateMachine().getLastAppliedTermIndex().getIndex())
                        .isBetween(appliedBefore[i], appliedBefore[i] + 3);
            }
            c.awaitLeader();
            assertThat(value(c.stores[2], MetaTable.TOMBSTONES, "counter")).isEqualTo("15");
            for (RaftMetadataStore s : c.stores) {
                assertThat(s.stateMachine().batchesApplied()).isZero();
            }
        }
    }

    @Test
    void apply_withoutQuorum_failsNamingNoLeader() throws Exception {
        MetaTestCluster c = new MetaTestCluster(dir, 3, MetadataOptions.LogOptions.DEFAULTS, (id, peers) -> null);
        try (c) {
            MetadataOptions lonely = new MetadataOptions("test-cluster", "n1", c.peers, dir.resolve("n1"), null,
                    MetaTestCluster.SECRET, new MetadataOptions.Timeouts(Duration.ofMillis(1500),
                            Duration.ofMillis(300), Duration.ofMillis(600)));
            try (RaftMetadataStore alone = RaftMetadataStore.start(lonely)) {
                org.assertj.core.api.Assertions
                        .assertThatThrownBy(() -> alone.apply(put(MetaTable.BUCKETS, "x", "y")))
                        .isInstanceOf(IOException.class).hasMessageContaining("no leader elected yet; retry");
            }
        }
    }
}
