package io.predastore.node.bench;

import java.time.Duration;
import java.util.Locale;

/** Parses durations such as {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number means seconds. */
public final class Durations {
    private Durations() {
    }

    /** The duration; throws {@link IllegalArgumentException} with a readable message if malformed or negative. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 10s, 500ms, 2m)");
        }
        double value;
        try {
            value = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. 10s, 500ms)", e);
        }
        String unit = s.substring(i).trim();
        double nanosPerUnit = switch (unit) {
            case "", "s", "sec", "secs" -> 1e9;
            case "ms" -> 1e6;
            case "us" -> 1e3;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit
                    + "' (use ms, s, m or h)");
        };
        return Duration.ofNanos(Math.round(value * nanosPerUnit));
    }
}
