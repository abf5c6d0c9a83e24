package io.predastore.node.remote;

import java.time.Duration;
import java.util.Locale;

/** How durations, sizes and long command lines appear in this package's messages. */
final class Text {
    private Text() {
    }

    /** {@code 5 s}, or {@code 1.5 s} when not whole. */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** {@code 512 bytes}, {@code 128.0 KiB} or {@code 60.2 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    /** The first 200 characters of {@code s}, with {@code ...} when there is more. */
    static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
