package io.predastore.node.transport;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.supervisor.DevCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A throw-away cluster CA for a cluster of the given node ids, writing node certificates (EC P-256, naming their
 * node) as PEM files, for tests and benchmarks.
 */
public final class TestPki {
    private final Path dir;
    private final String cluster;
    private final DevCertificates.Issued ca;
    private final Path caFile;
    private final ClusterTrust trust;

    private TestPki(Path dir, String cluster, int[] nodeIds) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.cluster = cluster;
        this.ca = DevCertificates.newCa(cluster + " test cluster CA", Instant.now());
        this.caFile = dir.resolve(cluster + "-ca.pem");
        Files.writeString(caFile, DevCertificates.certificatePem(ca.certificate()));
        Membership members = new Membership(cluster, Arrays.stream(nodeIds).boxed().collect(Collectors.toSet()),
                Map.of());
        this.trust = ClusterTrust.load(caFile, members);
    }

    /** A new CA for the nodes {@code nodeIds} of cluster {@code cluster}; files go under {@code dir}. */
    public static TestPki create(Path dir, String cluster, int... nodeIds) throws IOException {
        try {
            Files.createDirectories(dir);
            return new TestPki(dir, cluster, nodeIds);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    public Path caFile() {
        return caFile;
    }

    /** Trust in this CA for this cluster's nodes. */
    public ClusterTrust trust() {
        return trust;
    }

    /** The certificate of node {@code nodeId} of this cluster, with its key and this cluster's trust. */
    public TlsMaterial issue(int nodeId) throws IOException {
        return issue("node-" + nodeId, List.of(new NodeIdentity(cluster, nodeId).uri()));
    }

    /** A certificate of this CA with the given common name and URI SANs, with its key and this cluster's trust. */
    public TlsMaterial issue(String commonName, List<String> uris) throws IOException {
        try {
            DevCertificates.Issued cert = DevCertificates.newCertificate(ca, commonName, uris, "127.0.0.1",
                    Instant.now());
            Path certFile = dir.resolve(cluster + "-" + commonName + ".pem");
            Path keyFile = dir.resolve(cluster + "-" + commonName + ".key");
            Files.writeString(certFile, DevCertificates.certificatePem(cert.certificate()));
            Files.writeString(keyFile, DevCertificates.privateKeyPem(cert.privateKey()));
            return new TlsMaterial(trust, certFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
