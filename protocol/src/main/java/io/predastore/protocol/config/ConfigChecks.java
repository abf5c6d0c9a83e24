package io.predastore.protocol.config;

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
}
