package io.predastore.protocol.config;

import java.nio.file.Path;
import java.util.Objects;

/** The cluster CA certificate (PEM) that every node trusts; each node's own certificate is in its {@code [[node]]}. */
public record TlsConfig(Path caCert) {
    public TlsConfig {
        if (caCert == null) {
            throw ClusterConfigException.key("tls.ca_cert", "missing required key");
        }
        Objects.requireNonNull(caCert);
    }
}
