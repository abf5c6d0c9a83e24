package io.predastore.protocol.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How nodes talk to each other: TCP with TLS, or QUIC. Both use the cluster CA for mutual authentication. */
public enum TransportKind {
    TLS,
    QUIC;

    /** The name used in the cluster file. */
    public String tomlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code tls} or {@code quic}. */
    public static TransportKind fromToml(String text) {
        for (TransportKind kind : values()) {
            if (kind.tomlName().equals(text)) {
                return kind;
            }
        }
        throw ClusterConfigException.invalid("transport", ClusterConfigWriter.quote(text),
                "must be one of " + Arrays.stream(values()).map(k -> '"' + k.tomlName() + '"')
                        .collect(Collectors.joining(", ")));
    }
}
