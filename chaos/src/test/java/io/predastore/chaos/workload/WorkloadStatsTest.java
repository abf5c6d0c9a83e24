package io.predastore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import org.junit.jupiter.api.Test;

class WorkloadStatsTest {
    private static Op op(OpType type, Outcome outcome, long completedNanos, boolean corrupt) {
        return new Op(0, 0, "n1", type, "k", null, null, 0, completedNanos, outcome, null, corrupt, null, null);
    }

    @Test
    void record_countsByTypeAndOutcome_andPerSecondWithQuietSecondsAsZero() {
        WorkloadStats stats = new WorkloadStats();
        stats.record(op(OpType.PUT, Outcome.OK, 100_000_000L, false));
        stats.record(op(OpType.PUT, Outcome.UNKNOWN, 900_000_000L, false));
        stats.record(op(OpType.GET, Outcome.OK, 1_500_000_000L, true));
        stats.record(op(OpType.CREATE, Outcome.REFUSED, 3_200_000_000L, false));
        stats.record(op(OpType.GET, Outcome.FAILED, 3_900_000_000L, false));

        assertThat(stats.count(OpType.PUT, Outcome.OK)).isEqualTo(1);
        assertThat(stats.count(OpType.PUT, Outcome.UNKNOWN)).isEqualTo(1);
        assertThat(stats.count(OpType.DELETE, Outcome.OK)).isZero();
        assertThat(stats.count(Outcome.OK)).isEqualTo(2);
        assertThat(stats.total()).isEqualTo(5);
        assertThat(stats.corruptReads()).isEqualTo(1);
        assertThat(stats.timeline()).containsExactly(
                new WorkloadStats.Second(0, 1, 0, 0, 1),
                new WorkloadStats.Second(1, 1, 0, 0, 0),
                new WorkloadStats.Second(2, 0, 0, 0, 0),
                new WorkloadStats.Second(3, 0, 1, 1, 0));
    }
}
