package io.predastore.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.cluster.NodeControl;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NemesisTest {
    @TempDir
    Path dir;

    /**
     * Five nodes that only count which are faulty, and the most that ever were at once. Members change as in a
     * cluster: a node added takes the next id on one of {@code spareHosts} hosts, a removal is refused by the member
     * list's own rule, and a draining member leaves at the next {@link #reapRemoved()}. A fault on a node that is not
     * a member now fails the nemesis.
     */
    static final class FakeCluster implements NodeControl {
        final List<Integer> members = new ArrayList<>(List.of(1, 2, 3, 4, 5));
        final Set<Integer> draining = new HashSet<>();
        final Set<Integer> removed = new HashSet<>();
        final List<Integer> added = new ArrayList<>();
        final List<Integer> replaced = new ArrayList<>();
        final List<Integer> hitNodes = new ArrayList<>();
        int spareHosts = 2;
        boolean refuseReplacement;
        int fewestActive = 5;
        final Set<Integer> killed = new HashSet<>();
        final Set<Integer> paused = new HashSet<>();
        final Set<List<Integer>> cut = new HashSet<>();
        final Set<Integer> full = new HashSet<>();
        final List<Integer> rotted = new ArrayList<>();
        final List<Integer> wiped = new ArrayList<>();
        int mostFaulty;
        int faults;

        @Override
        public synchronized List<Integer> nodeIds() {
            return List.copyOf(members);
        }

        @Override
        public int parity() {
            return 2;
        }

        @Override
        public synchronized OptionalInt leader() {
            return OptionalInt.of(1);
        }

        @Override
        public synchronized void kill(int node) {
            member(node);
            killed.add(node);
            note();
        }

        @Override
        public synchronized void start(int node) {
            if (!killed.remove(node)) {
                throw new IllegalStateException("node " + node + " started while running");
            }
        }

        @Override
        public synchronized void pause(int node) {
            member(node);
            paused.add(node);
            note();
        }

        @Override
        public synchronized void resume(int node) {
            paused.remove(node);
        }

        @Override
        public synchronized void partition(int a, int b) {
            member(a);
            member(b);
            cut.add(List.of(Math.min(a, b), Math.max(a, b)));
            note();
        }

        @Override
        public synchronized void heal() {
            cut.clear();
        }

        @Override
        public synchronized void fillDisk(int node) {
            member(node);
            full.add(node);
            note();
        }

        @Override
        public synchronized void freeDisk(int node) {
            full.remove(node);
        }

        @Override
        public synchronized int rot(int node, long seed) {
            member(node);
            rotted.add(node);
            note();
            return 1;
        }

        @Override
        public synchronized void wipe(int node) {
            if (!killed.contains(node)) {
                throw new IllegalStateException("node " + node + " wiped while running");
            }
            wiped.add(node);
        }

        @Override
        public Duration deadNodeGrace() {
            return Duration.ofMillis(5);
        }

        @Override
        public void awaitServing(int node, Duration timeout) {
        }

        @Override
        public synchronized OptionalInt addNode(Duration timeout) {
            if (members.size() + draining.size() >= 5 + spareHosts) {
                return OptionalInt.empty();
            }
            int id = 1 + Math.max(Collections.max(members), Math.max(draining.stream().max(Integer::compare)
                    .orElse(0), removed.stream().max(Integer::compare).orElse(0)));
            members.add(id);
            added.add(id);
            return OptionalInt.of(id);
        }

        @Override
        public synchronized Optional<String> removeNode(int node) {
            List<ClusterMember> list = new ArrayList<>();
            for (int n : members) {
                list.add(new ClusterMember("node-" + n, "h", 1, 2));
            }
            for (int n : draining) {
                list.add(new ClusterMember("node-" + n, "h", 1, 2).withState(MemberState.DRAINING));
            }
            Optional<String> refusal = new ClusterMembers(1, list).removalRefusal("node-" + node, 5);
            if (refusal.isEmpty()) {
                members.remove(Integer.valueOf(node));
                draining.add(node);
                fewestActive = Math.min(fewestActive, members.size());
            }
            return refusal;
        }

        @Override
        public synchronized Optional<String> replaceNode(int node, Duration timeout) {
            member(node);
            if (refuseReplacement) {
                return Optional.of("1 object(s) at risk");
            }
            replaced.add(node);
            return Optional.empty();
        }

        @Override
        public synchronized List<Integer> reapRemoved() {
            List<Integer> gone = List.copyOf(draining);
            removed.addAll(gone);
            draining.clear();
            return gone;
        }

        private void member(int node) {
            if (!members.contains(node)) {
                throw new IllegalStateException("node " + node + " is not a member now: " + members);
            }
            hitNodes.add(node);
        }

        /** Nodes faulty now: killed, paused, or cut off from most other nodes. */
        synchronized Set<Integer> faulty() {
            Set<Integer> faulty = new HashSet<>(killed);
            faulty.addAll(paused);
            faulty.addAll(full);
            int others = nodeIds().size() - 1;
            for (int n : nodeIds()) {
                long cutFrom = cut.stream().filter(pair -> pair.contains(n)).count();
                if (cutFrom > others / 2) {
                    faulty.add(n);
                }
            }
            return faulty;
        }

        private void note() {
            faults++;
            mostFaulty = Math.max(mostFaulty, faulty().size());
        }
    }

    static List<FaultEvent> runUntil(FakeCluster cluster, NemesisOptions options, Path file, int events)
            throws Exception {
        long t0 = System.nanoTime();
        try (FaultLog log = FaultLog.create(file)) {
            Nemesis nemesis = new Nemesis(cluster, options.withGap(Duration.ZERO, Duration.ofMillis(1))
                    .withDuration(Duration.ZERO, Duration.ofMillis(1)), () -> System.nanoTime() - t0, log);
            nemesis.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (nemesis.events().size() < events && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            return nemesis.stop();
        }
    }

    @Test
    void run_withinTolerance_neverMoreThanParityFaultyAndHealsEverything() throws Exception {
        FakeCluster cluster = new FakeCluster();
        Path file = dir.resolve("faults.jsonl");
        List<FaultEvent> events = runUntil(cluster, NemesisOptions.defaults(11), file, 100);

        assertThat(events).hasSizeGreaterThanOrEqualTo(100);
        assertThat(cluster.mostFaulty).isEqualTo(2);
        assertThat(cluster.faulty()).isEmpty();
        assertThat(FaultLog.read(file)).isEqualTo(events);
        List<FaultEvent> ordered = new ArrayList<>(events);
        for (int i = 0; i < ordered.size(); i++) {
            assertThat(ordered.get(i).end()).isGreaterThanOrEqualTo(ordered.get(i).start());
            if (i > 0) {
                assertThat(ordered.get(i).start()).as("faults never overlap")
                        .isGreaterThanOrEqualTo(ordered.get(i - 1).end());
            }
        }
    }

    @Test
    void run_diskFullAndRot_fillsAndFreesDisksAndRotsOneNodeAtATime() throws Exception {
        FakeCluster cluster = new FakeCluster();
        List<FaultEvent> events = runUntil(cluster, NemesisOptions.defaults(12).withFaults(EnumSet.of(
                FaultKind.DISK_FULL, FaultKind.ROT)), dir.resolve("disk.jsonl"), 60);

        assertThat(events).extracting(FaultEvent::kind).contains(FaultKind.DISK_FULL, FaultKind.ROT);
        assertThat(cluster.full).as("every filled disk freed").isEmpty();
        assertThat(cluster.mostFaulty).isEqualTo(2);
        long rots = events.stream().filter(e -> e.kind() == FaultKind.ROT).count();
        assertThat(cluster.rotted).hasSize((int) rots);
        assertThat(events).filteredOn(e -> e.kind() == FaultKind.ROT).allSatisfy(e -> {
            assertThat(e.nodes()).hasSize(1);
            assertThat(e.detail()).isEqualTo("1 byte flipped");
        });
        assertThat(FaultLog.read(dir.resolve("disk.jsonl"))).isEqualTo(events);
    }

    @Test
    void run_wipeAndLose_killOneNodeAtATime_wipeOnlyWhileDown_andStartItAgain() throws Exception {
        FakeCluster cluster = new FakeCluster();
        List<FaultEvent> events = runUntil(cluster, NemesisOptions.defaults(13).withFaults(EnumSet.of(
                FaultKind.WIPE, FaultKind.LOSE)), dir.resolve("wipe.jsonl"), 40);

        assertThat(events).extracting(FaultEvent::kind).contains(FaultKind.WIPE, FaultKind.LOSE);
        assertThat(events).allSatisfy(e -> assertThat(e.nodes()).hasSize(1));
        assertThat(cluster.wiped).hasSize((int) events.stream().filter(e -> e.kind() == FaultKind.WIPE).count());
        assertThat(cluster.mostFaulty).isEqualTo(1);
        assertThat(cluster.faulty()).as("every node started again").isEmpty();
        // A lost node stays down at least the cluster's grace beyond the fault's own duration (but the last fault,
        // which stopping the nemesis cuts short).
        assertThat(events.subList(0, events.size() - 1)).filteredOn(e -> e.kind() == FaultKind.LOSE)
                .allSatisfy(e -> assertThat(e.end() - e.start()).isGreaterThanOrEqualTo(
                        cluster.deadNodeGrace().toNanos()));
    }

    @Test
    void run_churnWithKillsAndPartitions_followsTheMembers_andRemovesOnlyWhatTheRuleAllows() throws Exception {
        FakeCluster cluster = new FakeCluster();
        List<FaultEvent> events = runUntil(cluster, NemesisOptions.defaults(21).withFaults(EnumSet.of(
                FaultKind.CHURN, FaultKind.KILL, FaultKind.PARTITION)), dir.resolve("churn.jsonl"), 150);

        List<FaultEvent> churns = events.stream().filter(e -> e.kind() == FaultKind.CHURN).toList();
        assertThat(churns).hasSizeGreaterThan(10);
        // Additions and replacements alternate; each addition is answered by a removal when healed.
        assertThat(cluster.added).isNotEmpty();
        assertThat(cluster.replaced).isNotEmpty();
        assertThat(cluster.removed).isNotEmpty();
        assertThat(churns).filteredOn(e -> e.detail().contains("added")).allSatisfy(e -> {
            assertThat(e.detail()).containsPattern("node \\d+ added; node \\d+ removed \\(draining\\)");
            // The node added and the one removed (the same one, when the draw picks it).
            assertThat(e.nodes()).hasSizeBetween(1, 2);
        });
        assertThat(churns).filteredOn(e -> e.detail().contains("replaced"))
                .allSatisfy(e -> assertThat(e.nodes()).hasSize(1));
        // Never below data + parity active members, and the other faults hit nodes added as well (every fault on a
        // node that was no member at that moment would have failed the nemesis).
        assertThat(cluster.fewestActive).isEqualTo(5);
        assertThat(cluster.hitNodes).anyMatch(cluster.added::contains);
        assertThat(cluster.hitNodes).noneMatch(n -> n > 5 && !cluster.added.contains(n));
        assertThat(cluster.mostFaulty).isEqualTo(2);
        assertThat(cluster.faulty()).isEmpty();
        assertThat(FaultLog.read(dir.resolve("churn.jsonl"))).isEqualTo(events);
    }

    @Test
    void run_churnWithoutSpareHostsOrWhileAtRisk_changesNoMember() throws Exception {
        FakeCluster cluster = new FakeCluster();
        cluster.spareHosts = 0;
        cluster.refuseReplacement = true;
        List<FaultEvent> events = runUntil(cluster, NemesisOptions.defaults(22).withFaults(EnumSet.of(
                FaultKind.CHURN)), dir.resolve("refused.jsonl"), 10);

        assertThat(events).hasSizeGreaterThanOrEqualTo(10);
        assertThat(cluster.nodeIds()).containsExactly(1, 2, 3, 4, 5);
        assertThat(cluster.removed).isEmpty();
        assertThat(cluster.replaced).isEmpty();
        assertThat(events).filteredOn(e -> !e.detail().contains("not replaced")).allSatisfy(e -> {
            // The member list's own refusal: five active members are what every object's shards need.
            assertThat(e.detail()).startsWith("no node added: no spare host free; no node removed: ")
                    .contains("would leave 4 active members");
            assertThat(e.nodes()).isEmpty();
        });
        assertThat(events).anySatisfy(e -> assertThat(e.detail()).contains("not replaced: 1 object(s) at risk"));
    }

    @Test
    void run_beyondTolerance_takesDownParityPlusOne() throws Exception {
        FakeCluster cluster = new FakeCluster();
        runUntil(cluster, NemesisOptions.defaults(11).withBeyondTolerance(true), dir.resolve("f.jsonl"), 100);
        assertThat(cluster.mostFaulty).isEqualTo(3);
        assertThat(cluster.faulty()).isEmpty();
    }

    @Test
    void stop_beforeAnyFault_returnsNoEvents() throws Exception {
        FakeCluster cluster = new FakeCluster();
        try (FaultLog log = FaultLog.create(dir.resolve("none.jsonl"))) {
            Nemesis nemesis = new Nemesis(cluster, NemesisOptions.defaults(1), () -> 0L, log);
            nemesis.start();
            assertThat(nemesis.stop()).isEmpty();
        }
        assertThat(cluster.faults).isZero();
    }

    @Test
    void faultLog_roundTripsEvents() throws IOException {
        Path file = dir.resolve("events.jsonl");
        List<FaultEvent> written = List.of(new FaultEvent(FaultKind.KILL, List.of(1, 3), 10, 20),
                new FaultEvent(FaultKind.PARTITION, List.of(2), 30, 45));
        try (FaultLog log = FaultLog.create(file)) {
            for (FaultEvent e : written) {
                log.append(e);
            }
        }
        assertThat(FaultLog.read(file)).isEqualTo(written);
    }
}
