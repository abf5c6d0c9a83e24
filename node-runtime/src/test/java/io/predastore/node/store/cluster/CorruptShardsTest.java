package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quiet period of corrupt-shard reports, with a clock the test sets and an executor that only counts. */
class CorruptShardsTest {
    private static final ShardSet SET = new ShardSet("n1-0001", 300_000, 3, 2, 64 * 1024, new int[] {1, 2, 3, 4, 5});

    private final List<Runnable> reports = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

    private CorruptShards corruptShards(Duration quiet) {
        // The metadata store is never reached: the reports are counted, not run.
        return new CorruptShards(null, reports::add, clock, quiet);
    }

    @Test
    void report_sameShardWithinTheQuietPeriod_isReportedOnce() {
        CorruptShards shards = corruptShards(Duration.ofSeconds(30));

        shards.report("b", "k", SET, 1);
        clock.advance(Duration.ofSeconds(29));
        shards.report("b", "k", SET, 1);
        assertThat(reports).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        shards.report("b", "k", SET, 1);
        assertThat(reports).as("reported again once the tuned 30 s have passed").hasSize(2);
    }

    @Test
    void report_anotherShard_isNotHeldBackByTheQuietPeriod() {
        CorruptShards shards = corruptShards(Duration.ofMinutes(10));

        shards.report("b", "k", SET, 1);
        shards.report("b", "k", SET, 2);

        assertThat(reports).hasSize(2);
    }
}
