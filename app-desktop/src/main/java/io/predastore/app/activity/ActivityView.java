package io.predastore.app.activity;

import javafx.geometry.Insets;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Two live line charts, requests/s and MiB/s (in + out) per node over the last minute, and the activity log below
 * them (kept scrolled to its newest line).
 */
public final class ActivityView extends VBox {
    public ActivityView(ActivityViewModel vm) {
        setId("activity-view");
        setSpacing(8);
        setPadding(new Insets(10));
        LineChart<Number, Number> requests = chart("Requests/s per node", "requests/s", vm.requestSeries());
        requests.setId("activity-requests");
        LineChart<Number, Number> throughput = chart("MiB/s in + out per node", "MiB/s", vm.throughputSeries());
        throughput.setId("activity-throughput");
        VBox.setVgrow(requests, Priority.ALWAYS);
        VBox.setVgrow(throughput, Priority.ALWAYS);
        ListView<String> log = new ListView<>(vm.logLines());
        log.setId("activity-log");
        log.setPrefHeight(120);
        log.setPlaceholder(new Label("Faults injected and other actions on the cluster are listed here"));
        vm.logLines().addListener((javafx.collections.ListChangeListener<String>) c ->
                log.scrollTo(Math.max(0, vm.logLines().size() - 1)));
        getChildren().addAll(requests, throughput, new Label("Activity log"), log);
    }

    private static LineChart<Number, Number> chart(String title, String unit,
            javafx.collections.ObservableList<XYChart.Series<Number, Number>> data) {
        NumberAxis x = new NumberAxis();
        x.setLabel("seconds");
        x.setForceZeroInRange(false);
        NumberAxis y = new NumberAxis();
        y.setLabel(unit);
        LineChart<Number, Number> chart = new LineChart<>(x, y, data);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setMinHeight(180);
        return chart;
    }
}
