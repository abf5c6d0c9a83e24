package io.predastore.app.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProtectionBarTest {
    @Test
    void widths_proportionalToObjects_fillTheBar() {
        double[] w = ProtectionBar.widths(new long[] {50, 25, 15, 10}, 400);
        assertThat(w).containsExactly(new double[] {200, 100, 60, 40}, within(1e-9));
    }

    @Test
    void widths_oneUnreadableAmongMany_stillVisible_takenFromTheWidest() {
        double[] w = ProtectionBar.widths(new long[] {1_000_000, 0, 0, 1}, 400);
        assertThat(w[3]).isEqualTo(ProtectionBar.MIN_SEGMENT);
        assertThat(w[1]).isZero();
        assertThat(w[0] + w[3]).isCloseTo(400, within(1e-6));
    }

    @Test
    void widths_noObjects_empty() {
        assertThat(ProtectionBar.widths(new long[] {0, 0, 0, 0}, 400)).containsOnly(0.0);
    }
}
