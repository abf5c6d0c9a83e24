package io.predastore.node.transport;

import io.predastore.client.tls.ClusterTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a node uses for mutual TLS with its peers: which peers it trusts (the cluster CA and the cluster's nodes,
 * see {@link ClusterTrust}), its certificate chain (signed by that CA, naming the node) and its PKCS#8 private key
 * (unencrypted).
 *
 * @param trust            decides which peers are accepted: clients must be nodes of the cluster, and a server
 *                         must be the node a client was made for
 * @param certificateChain the node's certificate chain (PEM), or null for {@link #withoutIdentity}
 * @param privateKey       the node's PKCS#8 private key (PEM), or null for {@link #withoutIdentity}
 */
public record TlsMaterial(ClusterTrust trust, Path certificateChain, Path privateKey) {
    public TlsMaterial {
        Objects.requireNonNull(trust, "trust");
        if ((certificateChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificateChain and privateKey go together");
        }
    }

    /**
     * A client that presents no certificate: servers refuse it (they require client certificates). Only useful to
     * probe that refusal.
     */
    public static TlsMaterial withoutIdentity(ClusterTrust trust) {
        return new TlsMaterial(trust, null, null);
    }

    /** Whether this material has a certificate and key to present. */
    public boolean hasIdentity() {
        return certificateChain != null;
    }

    void checkReadable() throws IOException {
        for (Path p : new Path[] {certificateChain, privateKey}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IOException("TLS file not readable: " + p);
            }
        }
    }
}
