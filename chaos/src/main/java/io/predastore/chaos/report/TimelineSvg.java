package io.predastore.chaos.report;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.Outcome;
import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultKind;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Draws a run's timeline as a standalone SVG document: operations completed per second, answered (OK or REFUSED)
 * and failed (FAILED or UNKNOWN) as two lines, over shaded fault windows labelled with their kind and nodes. Plain
 * SVG text, readable in any browser. Stateless.
 *
 * <p>Every fault window is shaded and carries its label as a tooltip ({@code <title>}); the label is also written
 * over the window in the first of three rows where it does not overlap the previous label of that row, and left out
 * where it fits in none (a long run with many faults), so the text never smears.
 */
public final class TimelineSvg {
    static final int WIDTH = 1000;
    static final int HEIGHT = 340;
    private static final int LEFT = 60;
    private static final int RIGHT = WIDTH - 20;
    private static final int TOP = 50;
    private static final int BOTTOM = HEIGHT - 45;
    private static final String ANSWERED = "#2ca02c";
    private static final String FAILED = "#d62728";
    /**
     * Fault colours by {@link FaultKind#ordinal()}, wrapping around, so that a kind added to the enum gets one
     * without a change here (kill orange, pause blue, partition purple, then ones distinct from the two lines).
     */
    private static final String[] PALETTE = {"#ff7f0e", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#17becf",
        "#bcbd22", "#7f7f7f"};
    private static final Map<FaultKind, String> SHADE = shades();
    private static final int LABEL_ROWS = 3;
    private static final int LABEL_ROW_HEIGHT = 11;
    /** The estimated width of a character of a label (font size 9), in pixels. */
    static final double LABEL_CHAR_WIDTH = 5.5;
    /** The x offset of a label from the start of its window, in pixels. */
    static final double LABEL_INSET = 2;
    /** The least space between two labels of a row, in pixels. */
    private static final double LABEL_GAP = 3;

    private TimelineSvg() {
    }

    private static Map<FaultKind, String> shades() {
        Map<FaultKind, String> shades = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : FaultKind.values()) {
            shades.put(kind, PALETTE[kind.ordinal() % PALETTE.length]);
        }
        return shades;
    }

    /** The colour of {@code kind}'s windows. */
    static String shade(FaultKind kind) {
        return SHADE.get(kind);
    }

    /** The SVG of {@code ops} (bucketed by completion second) and {@code faults} on the same clock. */
    public static String render(List<Op> ops, List<FaultEvent> faults) {
        long lastNanos = 0;
        for (Op op : ops) {
            lastNanos = Math.max(lastNanos, op.completed());
        }
        for (FaultEvent f : faults) {
            lastNanos = Math.max(lastNanos, f.end());
        }
        int seconds = (int) (lastNanos / 1_000_000_000L) + 1;
        long[] answered = new long[seconds];
        long[] failed = new long[seconds];
        for (Op op : ops) {
            int s = (int) (op.completed() / 1_000_000_000L);
            if (op.outcome() == Outcome.OK || op.outcome() == Outcome.REFUSED) {
                answered[s]++;
            } else {
                failed[s]++;
            }
        }
        long peak = 1;
        for (int s = 0; s < seconds; s++) {
            peak = Math.max(peak, Math.max(answered[s], failed[s]));
        }
        long yMax = niceCeiling(peak);
        Scale scale = new Scale(seconds, yMax);

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH,
                HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
                WIDTH, HEIGHT));
        svg.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\">Operations per second "
                + "(by completion) and fault windows</text>\n");
        legend(svg);
        faults(svg, faults, scale);
        axes(svg, scale, seconds, yMax);
        svg.append(polyline(answered, scale, ANSWERED, "answered (OK or refused)"));
        svg.append(polyline(failed, scale, FAILED, "failed or unknown"));
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Maps seconds and counts to picture coordinates. */
    private record Scale(int seconds, long yMax) {
        double x(double second) {
            return LEFT + (RIGHT - LEFT) * second / Math.max(1, seconds);
        }

        double y(double count) {
            return BOTTOM - (BOTTOM - TOP) * count / yMax;
        }
    }

    private static void legend(StringBuilder svg) {
        int x = LEFT;
        int y = 36;
        for (String[] item : new String[][] {{ANSWERED, "answered (OK or refused)"},
                {FAILED, "failed or unknown"}}) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", x, y - 4, x + 18, y - 4, item[0]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 22, y, item[1]));
            x += 190;
        }
        for (Map.Entry<FaultKind, String> e : SHADE.entrySet()) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\" "
                    + "fill-opacity=\"0.25\"/>%n", x, y - 9, e.getValue()));
            String name = e.getKey().cliName();
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 18, y, name));
            // Every kind of the enum is listed, so a longer name (of a kind added later) moves the next one on.
            x += Math.max(90, 18 + (int) Math.ceil(name.length() * 6.5) + 12);
        }
    }

    private static void faults(StringBuilder svg, List<FaultEvent> faults, Scale scale) {
        // Per row, the x where its last label ended (plus a gap): a label goes in the first row it does not overlap.
        double[] rowFreeFrom = new double[LABEL_ROWS];
        Arrays.fill(rowFreeFrom, Double.NEGATIVE_INFINITY);
        for (FaultEvent f : faults.stream().sorted(Comparator.comparingLong(FaultEvent::start)).toList()) {
            double x1 = scale.x(f.start() / 1e9);
            double x2 = Math.max(x1 + 1, scale.x(f.end() / 1e9));
            String label = (f.kind().cliName() + " " + f.nodes().stream()
                    .map(n -> "n" + n).collect(Collectors.joining(","))).trim();
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"%s\" fill-opacity=\"0.18\"><title>%s</title></rect>%n", x1, TOP, x2 - x1,
                    BOTTOM - TOP, SHADE.get(f.kind()), escape(f.detail() == null ? label
                            : label + ": " + f.detail())));
            double textX = x1 + LABEL_INSET;
            for (int row = 0; row < LABEL_ROWS; row++) {
                if (textX >= rowFreeFrom[row]) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" fill=\"%s\">%s"
                            + "</text>%n", textX, labelBaseline(row), SHADE.get(f.kind()), escape(label)));
                    rowFreeFrom[row] = textX + labelWidth(label) + LABEL_GAP;
                    break;
                }
            }
        }
    }

    /** The y of the baseline of labels in {@code row} (0 is the top one). */
    static int labelBaseline(int row) {
        return TOP + 10 + LABEL_ROW_HEIGHT * row;
    }

    /** The estimated width of {@code label} at font size 9, in pixels. */
    static double labelWidth(String label) {
        return label.length() * LABEL_CHAR_WIDTH;
    }

    private static void axes(StringBuilder svg, Scale scale, int seconds, long yMax) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, BOTTOM, RIGHT, BOTTOM));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, BOTTOM));
        for (int t = 0; t <= 4; t++) {
            long v = yMax * t / 4;
            double y = scale.y(v);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "%n<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", LEFT, y, RIGHT, y, LEFT - 6,
                    y + 4, v));
        }
        long step = tickStep(seconds);
        for (long s = 0; s <= seconds; s += step) {
            double x = scale.x(s);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "%n<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, BOTTOM, x, BOTTOM + 5, x,
                    BOTTOM + 18, s < 60 || step % 60 != 0 ? s + "s" : s / 60 + "m"));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">time since the run "
                + "started</text>%n", (LEFT + RIGHT) / 2, HEIGHT - 8));
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">ops/s</text>%n", (TOP + BOTTOM) / 2, (TOP + BOTTOM) / 2));
    }

    private static String polyline(long[] perSecond, Scale scale, String colour, String title) {
        StringBuilder points = new StringBuilder();
        for (int s = 0; s < perSecond.length; s++) {
            // Each count is drawn at the middle of its second.
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", scale.x(s + 0.5), scale.y(perSecond[s])));
        }
        return String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\">"
                + "<title>%s</title></polyline>%n", colour, points.toString().trim(), escape(title));
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}. */
    static long niceCeiling(long v) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * p >= v) {
                    return m * p;
                }
            }
            p *= 10;
        }
    }

    /** A tick interval giving at most about 12 ticks over {@code seconds}. */
    static long tickStep(long seconds) {
        for (long step : new long[] {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}) {
            if (seconds / step <= 12) {
                return step;
            }
        }
        return 7200;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
