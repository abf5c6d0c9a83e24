package io.predastore.app.format;

import java.util.Locale;

/**
 * The one way the app writes a number of bytes for people: binary units (B, KiB, MiB, GiB, TiB) with one decimal
 * above a kibibyte, in the root locale so the text is the same on every machine. Stateless and thread-safe.
 */
public final class ByteSize {
    /** Bytes in a mebibyte, the unit of the throughput charts. */
    public static final double MEBIBYTE = 1024.0 * 1024.0;

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private ByteSize() {
    }

    /** {@code 10 B}, {@code 1.5 KiB}, {@code 5.0 GiB}; a negative count keeps its sign. */
    public static String format(long bytes) {
        if (bytes > -1024 && bytes < 1024) {
            return bytes + " B";
        }
        double v = Math.abs((double) bytes);
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < UNITS.length - 1);
        return String.format(Locale.ROOT, "%s%.1f %s", bytes < 0 ? "-" : "", v, UNITS[u]);
    }

    /** A rate, e.g. {@code 6.0 MiB/s}. */
    public static String perSecond(long bytesPerSecond) {
        return format(bytesPerSecond) + "/s";
    }
}
