package io.predastore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.HistoryFile;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The workload against a healthy five-node loopback cluster: every operation type succeeds, no read is corrupt, and
 * after the run every node serves the same write of every key and lists the same keys.
 */
class WorkloadIT {
    @Test
    void run_healthyCluster_everyTypeSucceedsAndFinalReadsAgree() throws Exception {
        // Under target/, not a temporary directory: the history and the nodes' logs are what explains a failure.
        Path dir = Files.createDirectories(Path.of("target", "workload-it", Long.toString(System.currentTimeMillis())));
        Path history = dir.resolve("history.jsonl");
        long began = System.nanoTime();
        try (LoopbackCluster cluster = LoopbackCluster.up(dir.resolve("cluster"), 5, "160m");
                HistoryFile file = HistoryFile.create(history)) {
            long start = System.nanoTime();
            System.out.printf("cluster up in %d s%n", (start - began) / 1_000_000_000L);
            WorkloadConfig config = WorkloadConfig.defaults(NodeEndpoint.fromCluster(cluster.config()),
                    cluster.config().credentials().accessKey(), cluster.config().credentials().secretKey(), 4,
                    20_251_207L).withWeights(Map.of(OpType.PUT, 20, OpType.GET, 20, OpType.HEAD, 10,
                            OpType.DELETE, 10, OpType.CREATE, 10, OpType.REPLACE, 10, OpType.LIST, 4,
                            OpType.MULTIPART, 4));
            List<Op> finals;
            WorkloadStats stats;
            try (Workload workload = new Workload(config, file, () -> System.nanoTime() - start)) {
                workload.createBucket(Duration.ofSeconds(30));
                workload.run(Duration.ofSeconds(20));
                long stopped = System.nanoTime();
                finals = workload.finalReads(5, Duration.ofMillis(500));
                stats = workload.stats();
                System.out.printf("load and stop in %d s, final reads in %d s%n%s%n",
                        (stopped - start) / 1_000_000_000L, (System.nanoTime() - stopped) / 1_000_000_000L, stats);
            }

            for (OpType type : OpType.values()) {
                assertThat(stats.count(type, Outcome.OK)).as("OK %s in\n%s", type, stats).isPositive();
            }
            assertThat(stats.corruptReads()).as(stats.toString()).isZero();

            List<Op> recorded = HistoryFile.read(history);
            assertThat(recorded).hasSize((int) stats.total());
            assertThat(recorded).noneMatch(Op::corrupt);
            assertThat(recorded.stream().map(Op::id).collect(Collectors.toSet())).hasSize(recorded.size());

            List<Op> gets = finals.stream().filter(o -> o.type() == OpType.GET).toList();
            assertThat(gets).hasSize(config.keys() * config.nodes().size());
            List<String> failedReads = gets.stream().filter(o -> o.outcome() != Outcome.OK)
                    .map(o -> o.key() + " through " + o.node() + ": " + o.error()).toList();
            assertThat(failedReads).as("final reads that failed; the history is " + history.toAbsolutePath()
                    + ", the nodes' logs are in " + dir.resolve("cluster").resolve("logs").toAbsolutePath()).isEmpty();
            Map<String, Set<String>> writesByKey = gets.stream().collect(Collectors.groupingBy(Op::key,
                    Collectors.mapping(o -> Objects.requireNonNullElse(o.observed(), "absent"),
                            Collectors.toSet())));
            writesByKey.forEach((key, writes) -> assertThat(writes).as("final reads of " + key).hasSize(1));

            Set<String> present = new TreeSet<>();
            writesByKey.forEach((key, writes) -> {
                if (!writes.contains("absent")) {
                    present.add(key);
                }
            });
            List<Op> lists = finals.stream().filter(o -> o.type() == OpType.LIST).toList();
            assertThat(lists).hasSize(config.nodes().size());
            for (Op list : lists) {
                assertThat(list.outcome()).isEqualTo(Outcome.OK);
                assertThat(new TreeSet<>(new HashSet<>(list.listed()))).as("listing through " + list.node())
                        .isEqualTo(present);
            }
        }
    }
}
