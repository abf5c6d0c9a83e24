package io.predastore.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.cluster.NodeControl;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NemesisTest {
    @TempDir
    Path dir;

    /** Five nodes that only count which are faulty, and the most that ever were at once. */
    static final class FakeCluster implements NodeControl {
        final Set<Integer> killed = new HashSet<>();
        final Set<Integer> paused = new HashSet<>();
        final Set<List<Integer>> cut = new HashSet<>();
        final Set<Integer> full = new HashSet<>();
        final List<Integer> rotted = new ArrayList<>();
        final List<Integer> wiped = new ArrayList<>();
        int mostFaulty;
        int faults;

        @Override
        public List<Integer> nodeIds() {
            return List.of(1, 2, 3, 4, 5);
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
            paused.add(node);
            note();
        }

        @Override
        public synchronized void resume(int node) {
            paused.remove(node);
        }

        @Override
        public synchronized void partition(int a, int b) {
            cut.add(List.of(Math.min(a, b), Math.max(a, b)));
            note();
        }

        @Override
        public synchronized void heal() {
            cut.clear();
        }

        @Override
        public synchronized void fillDisk(int node) {
            full.add(node);
            note();
        }

        @Override
        public synchronized void freeDisk(int node) {
            full.remove(node);
        }

        @Override
        public synchronized int rot(int node, long seed) {
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
