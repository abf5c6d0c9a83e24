package io.predastore.app.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.NodeSample;
import io.predastore.protocol.admin.Counters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.scene.chart.XYChart;
import org.junit.jupiter.api.Test;

class ActivityViewModelTest {
    private static Counters counters(long atMillis, long requests, long bytesIn, long bytesOut) {
        return new Counters(atMillis, requests, 0, bytesIn, bytesOut, Map.of());
    }

    @Test
    void rateIsTheDeltaOverTheElapsedTime() {
        ActivityViewModel.Rate r = ActivityViewModel.rate(counters(1_000, 10, 0, 100),
                counters(3_000, 30, 4 * 1024 * 1024, 100 + 2 * 1024 * 1024));
        assertThat(r.requestsPerSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(r.bytesInPerSecond()).isCloseTo(2 * 1024 * 1024, within(1e-9));
        assertThat(r.bytesOutPerSecond()).isCloseTo(1024 * 1024, within(1e-9));
        assertThat(r.megabytesPerSecond()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void noRateWithoutAnEarlierSampleElapsedTimeOrAfterARestart() {
        assertThat(ActivityViewModel.rate(null, counters(1_000, 1, 0, 0))).isNull();
        assertThat(ActivityViewModel.rate(counters(1_000, 1, 0, 0), counters(1_000, 2, 0, 0))).isNull();
        assertThat(ActivityViewModel.rate(counters(1_000, 50, 0, 0), counters(2_000, 3, 0, 0))).isNull();
        assertThat(ActivityViewModel.rate(counters(1_000, 5, 900, 0), counters(2_000, 6, 10, 0))).isNull();
        assertThat(ActivityViewModel.rate(counters(1_000, 5, 0, 900), counters(2_000, 6, 0, 10))).isNull();
    }

    @Test
    void trimKeepsTheLastSixtySeconds() {
        List<XYChart.Data<Number, Number>> points = new ArrayList<>();
        for (int x = 0; x <= 100; x += 10) {
            points.add(new XYChart.Data<>(x, 1));
        }
        ActivityViewModel.trim(points, 100);
        assertThat(points).extracting(p -> p.getXValue().intValue()).containsExactly(40, 50, 60, 70, 80, 90, 100);
    }

    @Test
    void snapshotsFeedOneSeriesPerNodeAndRestartResetsTheBaseline() {
        ActivityViewModel vm = new ActivityViewModel();
        vm.applyAdmin(snapshot(0, counters(0, 0, 0, 0)));
        assertThat(vm.requestSeries()).isEmpty();

        vm.applyAdmin(snapshot(1_000, counters(1_000, 5, 0, 1024 * 1024)));
        vm.applyAdmin(snapshot(2_000, counters(2_000, 1, 0, 0))); // restarted: no point, new baseline
        vm.applyAdmin(snapshot(3_000, counters(3_000, 3, 0, 0)));

        assertThat(vm.requestSeries()).extracting(XYChart.Series::getName).containsExactly("node-1");
        List<XYChart.Data<Number, Number>> req = vm.requestSeries().get(0).getData();
        assertThat(req).extracting(p -> p.getXValue().doubleValue()).containsExactly(1.0, 3.0);
        assertThat(req).extracting(p -> p.getYValue().doubleValue()).containsExactly(5.0, 2.0);
        assertThat(vm.throughputSeries().get(0).getData().get(0).getYValue().doubleValue())
                .isCloseTo(1.0, within(1e-9));

        vm.applyAdmin(snapshot(62_000, counters(62_000, 3, 0, 0)));
        assertThat(vm.requestSeries().get(0).getData()).extracting(p -> p.getXValue().doubleValue())
                .containsExactly(3.0, 62.0);
    }

    private static ClusterSnapshot snapshot(long atMillis, Counters node1) {
        return new ClusterSnapshot(Instant.ofEpochMilli(atMillis),
                List.of(new NodeSample(1, null, node1, null), new NodeSample(2, null, null, "down")), null, null,
                null);
    }

    @Test
    void log_stampsTimeOfDay_keepsTheNewestLines() {
        ActivityViewModel vm = new ActivityViewModel(
                java.time.Clock.fixed(Instant.parse("2026-01-01T09:05:07.900Z"), java.time.ZoneOffset.UTC),
                java.time.ZoneOffset.UTC);
        for (int i = 0; i < ActivityViewModel.LOG_LINES + 5; i++) {
            vm.log("line " + i);
        }
        assertThat(vm.logLines()).hasSize(ActivityViewModel.LOG_LINES);
        assertThat(vm.logLines().get(0)).isEqualTo("09:05:07  line 5");
        assertThat(vm.logLines().get(ActivityViewModel.LOG_LINES - 1)).isEqualTo("09:05:07  line "
                + (ActivityViewModel.LOG_LINES + 4));
    }
}
