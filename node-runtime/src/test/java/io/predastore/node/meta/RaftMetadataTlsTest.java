package io.predastore.node.meta;

import static io.predastore.node.meta.LocalMetadataStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftMetadataTlsTest {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    @TempDir
    Path dir;

    @Test
    void start_peersWithCaSignedCerts_formGroupAndPeerWithForeignCaIsRefused() throws Exception {
        Ca cluster = Ca.create("predastore-test-cluster");
        Ca foreign = Ca.create("someone-else");
        Path certs = dir.resolve("certs");
        for (String id : new String[] {"n1", "n2", "n3"}) {
            cluster.issue(id, certs.resolve(id));
        }
        foreign.issue("n3", certs.resolve("n3-foreign"));

        MetaTestCluster c = new MetaTestCluster(dir.resolve("data"), 3, MetadataOptions.LogOptions.DEFAULTS,
                id -> MetadataOptions.TlsFiles.inDirectory(certs.resolve(id)));
        try (c) {
            c.startAll();
            int leader = c.awaitLeader();
            int follower = c.aFollower(leader);
            assertThat(c.stores[follower].apply(MetaBatch.of(new MetaBatch.Put(MetaTable.BUCKETS, b("b"), b("1")))))
                    .isTrue();
            for (RaftMetadataStore s : c.stores) {
                assertThat(s.get(MetaTable.BUCKETS, b("b"))).isPresent();
            }

            // Replace n3 by an impostor whose certificate comes from another CA (same id, same data).
            c.stop(2);
            MetadataOptions good = c.options(2);
            MetadataOptions impostor = new MetadataOptions(good.clusterName(), good.selfId(), good.peers(),
                    good.dir(), MetadataOptions.TlsFiles.inDirectory(certs.resolve("n3-foreign")),
                    new MetadataOptions.Timeouts(Duration.ofMillis(2500), Duration.ofMillis(300),
                            Duration.ofMillis(600)), good.log());
            int healthy = c.awaitLeaderAmong(0, 1);
            try (RaftMetadataStore rogue = RaftMetadataStore.start(impostor)) {
                assertThatThrownBy(() -> rogue.apply(MetaBatch.of(
                        new MetaBatch.Put(MetaTable.BUCKETS, b("evil"), b("1"))))).isInstanceOf(IOException.class);
                assertThat(c.stores[healthy].apply(MetaBatch.of(
                        new MetaBatch.Put(MetaTable.BUCKETS, b("after"), b("2"))))).isTrue();
                assertThat(c.stores[healthy].get(MetaTable.BUCKETS, b("evil"))).isEmpty();
                // The impostor never hears from the leader, so never learns the new write.
                assertThat(rogue.status().leaderId()).isNull();
                assertThat(rogue.stateMachine().batchesApplied()).isZero();
            }
        }
    }

    /** A throwaway certificate authority writing PEM files: node.crt, node.key (PKCS#8), ca.crt. */
    private record Ca(String name, KeyPair keys, X509Certificate cert) {
        static Ca create(String name) throws GeneralSecurityException, OperatorCreationException {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(),
                    notAfter(), subject, keys.getPublic());
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } catch (IOException e) {
                throw new GeneralSecurityException(e);
            }
            return new Ca(name, keys, sign(builder, keys));
        }

        void issue(String nodeId, Path outDir) throws GeneralSecurityException, OperatorCreationException,
                IOException {
            KeyPair nodeKeys = ecKeys();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(cert, serial(), notBefore(),
                    notAfter(), new X500Name("CN=" + nodeId), nodeKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate nodeCert = sign(builder, keys);
            Files.createDirectories(outDir);
            MetadataOptions.TlsFiles files = MetadataOptions.TlsFiles.inDirectory(outDir);
            writePem(files.certChain(), nodeCert);
            writePem(files.trustedCa(), cert);
            writePem(files.privateKey(), new JcaPKCS8Generator(nodeKeys.getPrivate(), null).generate());
        }

        private static void writePem(Path file, Object object) throws IOException {
            try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
                pem.writeObject(object);
            }
        }

        private static KeyPair ecKeys() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        }

        private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
                throws GeneralSecurityException, OperatorCreationException {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                            .build(signer.getPrivate())));
        }

        private static BigInteger serial() {
            return BigInteger.valueOf(SERIAL.incrementAndGet());
        }

        private static Date notBefore() {
            return Date.from(Instant.now().minus(Duration.ofHours(1)));
        }

        private static Date notAfter() {
            return Date.from(Instant.now().plus(Duration.ofDays(1)));
        }
    }
}
