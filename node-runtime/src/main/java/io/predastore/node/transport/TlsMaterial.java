package io.predastore.node.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files a node uses for mutual TLS with its peers: the cluster CA certificate (the only trust anchor), the
 * node's certificate chain (signed by that CA) and the node's PKCS#8 private key (unencrypted).
 *
 * @param caCertificate the cluster CA certificate; peers must present a certificate it signed
 * @param certificateChain the node's certificate chain, or null for {@link #withoutIdentity(Path)}
 * @param privateKey the node's PKCS#8 private key, or null for {@link #withoutIdentity(Path)}
 */
public record TlsMaterial(Path caCertificate, Path certificateChain, Path privateKey) {
    public TlsMaterial {
        Objects.requireNonNull(caCertificate, "caCertificate");
        if ((certificateChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificateChain and privateKey go together");
        }
    }

    /**
     * A client that presents no certificate: servers refuse it (they require client certificates). Only useful to
     * probe that refusal.
     */
    public static TlsMaterial withoutIdentity(Path caCertificate) {
        return new TlsMaterial(caCertificate, null, null);
    }

    /** Whether this material has a certificate and key to present. */
    public boolean hasIdentity() {
        return certificateChain != null;
    }

    void checkReadable() throws java.io.IOException {
        for (Path p : new Path[] {caCertificate, certificateChain, privateKey}) {
            if (p != null && !Files.isReadable(p)) {
                throw new java.io.IOException("TLS file not readable: " + p);
            }
        }
    }
}
