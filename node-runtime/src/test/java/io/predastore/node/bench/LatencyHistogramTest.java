package io.predastore.node.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentile_oneToThousand_matchesExactRanksWithinPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.percentile(50)).isCloseTo(500L, within(8L));
        assertThat(h.percentile(90)).isCloseTo(900L, within(15L));
        assertThat(h.percentile(99)).isCloseTo(990L, within(16L));
        assertThat(h.percentile(100)).isEqualTo(1000);
        assertThat(h.percentile(0)).isEqualTo(1);
        assertThat(h.max()).isEqualTo(1000);
        assertThat(h.mean()).isCloseTo(500.5, within(1e-9));
    }

    @Test
    void percentile_smallValues_areExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 0; v < 100; v++) {
            h.record(v);
        }
        assertThat(h.percentile(50)).isEqualTo(49);
        assertThat(h.percentile(99)).isEqualTo(98);
    }

    @Test
    void percentile_randomLogNormalData_staysWithinRelativeErrorOfSortedRank() {
        SplittableRandom random = new SplittableRandom(42);
        long[] values = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(6 + 2 * random.nextDouble() * random.nextDouble() * 5);
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) h.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact / 60.0 + 1));
        }
    }

    @Test
    void merge_twoHalves_equalsOneHistogramOfAll() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        LatencyHistogram all = new LatencyHistogram();
        for (long v = 1; v <= 20_000; v++) {
            (v % 2 == 0 ? a : b).record(v * 37);
            all.record(v * 37);
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(all.count());
        assertThat(a.max()).isEqualTo(all.max());
        assertThat(a.min()).isEqualTo(all.min());
        for (double p : new double[] {1, 50, 90, 99, 100}) {
            assertThat(a.percentile(p)).isEqualTo(all.percentile(p));
        }
    }

    @Test
    void percentile_empty_isZero() {
        assertThat(new LatencyHistogram().percentile(99)).isZero();
        assertThat(new LatencyHistogram().max()).isZero();
    }

    @Test
    void index_bucketBoundaries_areContiguousAndMonotonic() {
        int previous = -1;
        for (long v = 0; v < 1 << 20; v++) {
            int i = LatencyHistogram.index(v);
            assertThat(i).isBetween(previous, previous + 1);
            assertThat(LatencyHistogram.lowest(i)).isLessThanOrEqualTo(v);
            previous = i;
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isPositive();
    }
}
