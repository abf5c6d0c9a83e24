package io.predastore.bench.scale;

import java.io.PrintStream;

/**
 * Markdown table rows and the number formats of the simulator's report: counts, fractions, bytes and durations
 * short enough for a table cell. Not thread-safe (it writes to one stream).
 */
final class Markdown {
    private final PrintStream out;

    Markdown(PrintStream out) {
        this.out = out;
    }

    /** One table row. */
    void row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        out.println(b);
    }

    /** The rule under a header row, every column right-aligned (they hold numbers). */
    void rule(int columns) {
        out.println("|" + " ---: |".repeat(columns));
    }

    static String f1(double v) {
        return String.format("%.1f", v);
    }

    static String f2(double v) {
        return String.format("%.2f", v);
    }

    static String f3(double v) {
        return String.format("%.3f", v);
    }

    static String pct(double v) {
        return String.format("%.2f %%", v * 100);
    }

    /** Counts in a short, exact-enough form: 271, 3690.0, 1.00e+09. */
    static String e(double v) {
        if (v < 10_000) {
            return v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
        }
        return String.format("%.2e", v);
    }

    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }

    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format("%.0f s", seconds);
        }
        if (seconds < 2 * 3600) {
            return String.format("%.0f min", seconds / 60);
        }
        if (seconds < 2 * 86_400) {
            return String.format("%.1f h", seconds / 3600);
        }
        return String.format("%.1f d", seconds / 86_400);
    }
}
