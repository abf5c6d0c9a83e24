package io.predastore.app.activity;

import io.predastore.app.format.ByteSize;
import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.NodeSample;
import io.predastore.protocol.admin.Counters;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.chart.XYChart;

/**
 * The activity screen: requests per second and MiB per second (in + out) of every node over the last minute,
 * derived from the deltas of two consecutive {@link Counters} samples of each node, and the activity log: what the
 * user did to the cluster that is not a plain start or stop (e.g. an injected fault), newest last, at most
 * {@link #LOG_LINES} lines. UI thread only.
 */
public final class ActivityViewModel {
    /** How much history the charts keep, in seconds. */
    public static final double WINDOW_SECONDS = 60;

    /**
     * A node's rates between two samples.
     *
     * @param requestsPerSecond requests answered per second
     * @param bytesInPerSecond  request body bytes received per second
     * @param bytesOutPerSecond response body bytes sent per second
     */
    public record Rate(double requestsPerSecond, double bytesInPerSecond, double bytesOutPerSecond) {
        /** Megabytes (MiB) per second, in and out together. */
        public double megabytesPerSecond() {
            return (bytesInPerSecond + bytesOutPerSecond) / ByteSize.MEBIBYTE;
        }
    }

    /** Lines the activity log keeps; older ones are dropped. */
    public static final int LOG_LINES = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Clock clock;
    private final ZoneId zone;
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObservableList<String> readOnlyLog = FXCollections.unmodifiableObservableList(log);
    private final Map<Integer, Counters> previous = new HashMap<>();
    private final Map<Integer, XYChart.Series<Number, Number>> requestSeries = new TreeMap<>();
    private final Map<Integer, XYChart.Series<Number, Number>> throughputSeries = new TreeMap<>();
    private final ObservableList<XYChart.Series<Number, Number>> requests = FXCollections.observableArrayList();
    private final ObservableList<XYChart.Series<Number, Number>> throughput = FXCollections.observableArrayList();
    private long originMillis = -1;

    /** A model whose log lines are stamped with the system clock's time of day in the system zone. */
    public ActivityViewModel() {
        this(Clock.systemUTC(), ZoneId.systemDefault());
    }

    /** A model whose log lines are stamped with {@code clock}'s time of day in {@code zone}. */
    public ActivityViewModel(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** Adds a line to the activity log, stamped with the time of day. */
    public void log(String line) {
        LocalTime time = LocalTime.ofInstant(clock.instant(), zone).truncatedTo(ChronoUnit.SECONDS);
        log.add(TIME.format(time) + "  " + line);
        if (log.size() > LOG_LINES) {
            log.remove(0, log.size() - LOG_LINES);
        }
    }

    /** The activity log, oldest first. */
    public ObservableList<String> logLines() {
        return readOnlyLog;
    }

    /**
     * The rates between two samples of one node, or null when there is no rate to show: no earlier sample, no time
     * elapsed, or a counter went down (the node restarted; the later sample becomes the new baseline).
     */
    public static Rate rate(Counters before, Counters after) {
        if (before == null || after == null) {
            return null;
        }
        long millis = after.atMillis() - before.atMillis();
        long requests = after.requests() - before.requests();
        long in = after.bytesIn() - before.bytesIn();
        long out = after.bytesOut() - before.bytesOut();
        if (millis <= 0 || requests < 0 || in < 0 || out < 0) {
            return null;
        }
        double seconds = millis / 1000.0;
        return new Rate(requests / seconds, in / seconds, out / seconds);
    }

    /** Removes the points older than {@link #WINDOW_SECONDS} before {@code now} (x values are seconds). */
    public static void trim(List<XYChart.Data<Number, Number>> points, double now) {
        double oldest = now - WINDOW_SECONDS;
        points.removeIf(p -> p.getXValue().doubleValue() < oldest);
    }

    /** Adds one point per node that answered with counters twice in a row. */
    public void applyAdmin(ClusterSnapshot snapshot) {
        long at = snapshot.at().toEpochMilli();
        if (originMillis < 0) {
            originMillis = at;
        }
        double x = (at - originMillis) / 1000.0;
        for (NodeSample sample : snapshot.nodes()) {
            Counters current = sample.counters();
            if (current == null) {
                continue;
            }
            Rate r = rate(previous.put(sample.nodeId(), current), current);
            if (r == null) {
                continue;
            }
            add(requestSeries, requests, sample.nodeId(), x, r.requestsPerSecond());
            add(throughputSeries, throughput, sample.nodeId(), x, r.megabytesPerSecond());
        }
        for (XYChart.Series<Number, Number> s : requests) {
            trim(s.getData(), x);
        }
        for (XYChart.Series<Number, Number> s : throughput) {
            trim(s.getData(), x);
        }
    }

    private static void add(Map<Integer, XYChart.Series<Number, Number>> byNode,
            ObservableList<XYChart.Series<Number, Number>> all, int nodeId, double x, double y) {
        XYChart.Series<Number, Number> series = byNode.get(nodeId);
        if (series == null) {
            series = new XYChart.Series<>();
            series.setName(ClusterSnapshot.adminId(nodeId));
            byNode.put(nodeId, series);
            all.setAll(byNode.values());
        }
        series.getData().add(new XYChart.Data<>(x, y));
    }

    /** Requests per second, one series per node (x: seconds since the first sample). */
    public ObservableList<XYChart.Series<Number, Number>> requestSeries() {
        return requests;
    }

    /** MiB per second received and sent, one series per node (x: seconds since the first sample). */
    public ObservableList<XYChart.Series<Number, Number>> throughputSeries() {
        return throughput;
    }
}
