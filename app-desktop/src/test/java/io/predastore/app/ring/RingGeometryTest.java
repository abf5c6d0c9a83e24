package io.predastore.app.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RingGeometryTest {
    @Test
    void fractionZeroIsAtTheTop() {
        RingGeometry.Point p = RingGeometry.point(100, 100, 50, 0.0);
        assertThat(p.x()).isCloseTo(100, within(1e-9));
        assertThat(p.y()).isCloseTo(50, within(1e-9));
    }

    @Test
    void fractionsGrowClockwiseOnScreen() {
        RingGeometry.Point right = RingGeometry.point(100, 100, 50, 0.25);
        assertThat(right.x()).isCloseTo(150, within(1e-9));
        assertThat(right.y()).isCloseTo(100, within(1e-9));
        RingGeometry.Point bottom = RingGeometry.point(100, 100, 50, 0.5);
        assertThat(bottom.x()).isCloseTo(100, within(1e-9));
        assertThat(bottom.y()).isCloseTo(150, within(1e-9));
        RingGeometry.Point left = RingGeometry.point(100, 100, 50, 0.75);
        assertThat(left.x()).isCloseTo(50, within(1e-9));
        assertThat(left.y()).isCloseTo(100, within(1e-9));
    }

    @Test
    void angleIsLinearInTheFraction() {
        assertThat(RingGeometry.angle(0)).isCloseTo(-Math.PI / 2, within(1e-12));
        assertThat(RingGeometry.angle(0.5) - RingGeometry.angle(0.25)).isCloseTo(Math.PI / 2, within(1e-12));
    }

    @Test
    void everyPointLiesOnTheCircle() {
        for (double f = 0; f < 1; f += 0.013) {
            RingGeometry.Point p = RingGeometry.point(10, 20, 30, f);
            assertThat(Math.hypot(p.x() - 10, p.y() - 20)).isCloseTo(30, within(1e-9));
        }
    }

    @Test
    void evenlySpacedMarks() {
        assertThat(RingGeometry.evenly(0, 5)).isZero();
        assertThat(RingGeometry.evenly(4, 5)).isCloseTo(0.8, within(1e-12));
        assertThatThrownBy(() -> RingGeometry.evenly(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
