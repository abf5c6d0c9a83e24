package io.predastore.node.bench;

import java.util.Locale;

/**
 * Parses and formats byte sizes such as {@code 4KiB}, {@code 1MiB}, {@code 64MB} or {@code 512}. Binary suffixes
 * ({@code K}, {@code KiB}, {@code M}, {@code MiB}, {@code G}, {@code GiB}) are powers of 1024; SI suffixes
 * ({@code KB}, {@code MB}, {@code GB}) are powers of 1000; a bare number or {@code B} is bytes. Case-insensitive.
 */
public final class ByteSizes {
    private ByteSizes() {
    }

    /** The size in bytes; throws {@link IllegalArgumentException} with a readable message if malformed. */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 4KiB, 1MiB, 64MiB)");
        }
        String number = s.substring(0, i);
        String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
        long multiplier;
        switch (unit) {
            case "", "b" -> multiplier = 1L;
            case "k", "ki", "kib" -> multiplier = 1L << 10;
            case "m", "mi", "mib" -> multiplier = 1L << 20;
            case "g", "gi", "gib" -> multiplier = 1L << 30;
            case "kb" -> multiplier = 1_000L;
            case "mb" -> multiplier = 1_000_000L;
            case "gb" -> multiplier = 1_000_000_000L;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                    + "' (use B, KiB, MiB, GiB, KB, MB or GB)");
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected e.g. 4KiB, 1MiB)", e);
        }
        double bytes = value * multiplier;
        if (bytes > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        if (bytes != Math.rint(bytes)) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        return (long) bytes;
    }

    /** A compact human form: 4KiB, 1MiB, 1.5MiB, 100B. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (v == Math.rint(v)) {
            return (long) v + units[u];
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }
}
