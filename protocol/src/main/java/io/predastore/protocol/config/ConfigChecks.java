package io.predastore.protocol.config;

import java.time.Duration;

/** Shared checks for the records' compact constructors. */
final class ConfigChecks {
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65535;

    private ConfigChecks() {
    }

    static void notBlank(String key, String value) {
        if (value == null) {
            throw ClusterConfigException.key(key, "missing required key");
        }
        if (value.isBlank()) {
            throw ClusterConfigException.invalid(key, ClusterConfigWriter.quote(value), "must not be empty");
        }
    }

    static void port(String key, int port) {
        if (port < MIN_PORT || port > MAX_PORT) {
            throw ClusterConfigException.invalid(key, Integer.toString(port),
                    "must be a port between " + MIN_PORT + " and " + MAX_PORT);
        }
    }

    static void present(String key, Object value) {
        if (value == null) {
            throw ClusterConfigException.key(key, "missing required key");
        }
    }

    /** {@code value} lies in {@code min..max} (inclusive). */
    static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw ClusterConfigException.invalid(key, Long.toString(value),
                    "must be between " + min + " and " + max);
        }
    }

    /** {@code value} is 0 (chosen by the node) or lies in {@code min..max} (inclusive). */
    static void zeroOrRange(String key, long value, long min, long max) {
        if (value != 0 && (value < min || value > max)) {
            throw ClusterConfigException.invalid(key, Long.toString(value),
                    "must be 0 (the node chooses) or between " + min + " and " + max);
        }
    }

    /**
     * {@code value} is present and lies in {@code minMillis..maxMillis} milliseconds; the key names the value in
     * milliseconds, as the cluster file writes it.
     */
    static void millis(String key, Duration value, long minMillis, long maxMillis) {
        present(key, value);
        if (value.compareTo(Duration.ofMillis(minMillis)) < 0 || value.compareTo(Duration.ofMillis(maxMillis)) > 0
                || value.getNano() % 1_000_000 != 0) {
            throw ClusterConfigException.invalid(key, describeMillis(value),
                    "must be a whole number of milliseconds between " + minMillis + " and " + maxMillis);
        }
    }

    private static String describeMillis(Duration value) {
        return value.getNano() % 1_000_000 == 0 ? Long.toString(value.toMillis()) : value.toString();
    }
}
