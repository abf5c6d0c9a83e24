package io.predastore.app.health;

import io.predastore.app.format.ByteSize;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

/**
 * A stacked bar of the cluster's objects by protection: full, degraded, at risk, unreadable, left to right, each
 * segment as wide as its share of the objects (a class with any object gets at least a sliver, so one unreadable
 * object among millions still shows). Colours come from the theme ({@code .protection-full} and siblings).
 */
public final class ProtectionBar extends Region {
    /** The narrowest a segment with any object is drawn, in pixels. */
    static final double MIN_SEGMENT = 4;
    private static final String[] CLASSES = {"protection-full", "protection-degraded", "protection-at-risk",
        "protection-unreadable"};
    private static final String[] NAMES = {"full", "degraded", "at risk", "unreadable"};

    private final Region[] segments = new Region[CLASSES.length];
    private final Tooltip[] tips = new Tooltip[CLASSES.length];
    private ProtectionClasses classes = ProtectionClasses.NONE;

    public ProtectionBar(ObservableValue<ProtectionClasses> source) {
        getStyleClass().add("protection-bar");
        setMinHeight(22);
        setPrefHeight(22);
        for (int i = 0; i < CLASSES.length; i++) {
            segments[i] = new Region();
            segments[i].setId("bar-" + CLASSES[i]);
            segments[i].getStyleClass().addAll("protection-segment", CLASSES[i]);
            tips[i] = new Tooltip();
            Tooltip.install(segments[i], tips[i]);
            getChildren().add(segments[i]);
        }
        source.addListener((o, a, b) -> update(b));
        update(source.getValue());
    }

    private void update(ProtectionClasses next) {
        classes = next == null ? ProtectionClasses.NONE : next;
        long[] objects = counts(classes);
        long[] bytes = {classes.fullBytes(), classes.degradedBytes(), classes.atRiskBytes(), classes.unreadableBytes()};
        for (int i = 0; i < segments.length; i++) {
            tips[i].setText(HealthText.objects(objects[i]) + " " + NAMES[i] + " (" + ByteSize.format(bytes[i]) + ")");
            segments[i].setVisible(objects[i] > 0);
        }
        requestLayout();
    }

    private static long[] counts(ProtectionClasses c) {
        return new long[] {c.full(), c.degraded(), c.atRisk(), c.unreadable()};
    }

    @Override
    protected void layoutChildren() {
        double[] widths = widths(counts(classes), getWidth() - snappedLeftInset() - snappedRightInset());
        double x = snappedLeftInset();
        double h = getHeight() - snappedTopInset() - snappedBottomInset();
        for (int i = 0; i < segments.length; i++) {
            segments[i].resizeRelocate(x, snappedTopInset(), widths[i], h);
            x += widths[i];
        }
    }

    /**
     * The widths of the segments for these counts on a bar {@code width} wide: proportional, any class with
     * objects at least {@link #MIN_SEGMENT}, the difference taken from the widest.
     */
    static double[] widths(long[] counts, double width) {
        double[] out = new double[counts.length];
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0 || width <= 0) {
            return out;
        }
        double extra = 0;
        int widest = 0;
        for (int i = 0; i < counts.length; i++) {
            out[i] = width * counts[i] / total;
            if (counts[i] > 0 && out[i] < MIN_SEGMENT) {
                extra += MIN_SEGMENT - out[i];
                out[i] = MIN_SEGMENT;
            }
            if (out[i] > out[widest]) {
                widest = i;
            }
        }
        out[widest] = Math.max(MIN_SEGMENT, out[widest] - extra);
        return out;
    }
}
