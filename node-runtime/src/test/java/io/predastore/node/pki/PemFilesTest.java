package io.predastore.node.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.supervisor.DevCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's certificate and key: they load as a TLS key manager when they are one key pair, whichever security
 * providers the process has installed (a library in the same process, such as the SSH client, may install
 * BouncyCastle's first, which names EC keys "ECDSA"), and a key of another certificate is refused.
 */
class PemFilesTest {
    @TempDir
    Path dir;

    @Test
    void aKeyAndItsCertificate_load_evenWithBouncyCastleInstalledFirst() throws Exception {
        Path[] files = issue("one");
        assertThat(PemFiles.keyManager(files[0], files[1])).isNotNull();
        Provider bc = new BouncyCastleProvider();
        boolean added = Security.insertProviderAt(bc, 1) == 1;
        try {
            assertThat(PemFiles.privateKey(files[1]).getAlgorithm()).as("the converter follows the providers")
                    .isIn("EC", "ECDSA");
            assertThat(PemFiles.keyManager(files[0], files[1])).isNotNull();
        } finally {
            if (added) {
                Security.removeProvider(bc.getName());
            }
        }
    }

    @Test
    void theKeyOfAnotherCertificate_isRefused() throws Exception {
        Path[] one = issue("one");
        Path[] two = issue("two");
        assertThatThrownBy(() -> PemFiles.keyManager(one[0], two[1])).isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the certificate in " + one[0]);
    }

    private Path[] issue(String name) throws Exception {
        Instant now = Instant.now();
        DevCertificates.Issued ca = DevCertificates.newCa("pem test CA", now);
        DevCertificates.Issued cert = DevCertificates.newNodeCertificate(ca, new NodeIdentity("dev", 1), "127.0.0.1",
                now);
        return new Path[] {
            Files.writeString(dir.resolve(name + ".pem"), DevCertificates.certificatePem(cert.certificate())),
            Files.writeString(dir.resolve(name + ".key"), DevCertificates.privateKeyPem(cert.privateKey()))};
    }
}
