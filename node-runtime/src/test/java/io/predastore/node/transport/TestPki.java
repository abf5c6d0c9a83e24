package io.predastore.node.transport;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A throw-away cluster CA and node certificates (EC P-256) written as PEM files, for tests and benchmarks. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final Path caFile;

    private TestPki(Path dir, String name) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.name = name;
        this.caKeys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name + " test cluster CA");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject,
                caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.caCert = sign(b, caKeys.getPrivate());
        this.caFile = dir.resolve(name + "-ca.pem");
        writePem(caFile, caCert);
    }

    /** A new CA whose files go under {@code dir} with the given name prefix. */
    public static TestPki create(Path dir, String name) throws IOException {
        try {
            Files.createDirectories(dir);
            return new TestPki(dir, name);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    public Path caFile() {
        return caFile;
    }

    /** A node certificate signed by this CA (usable as TLS server and client), with its key and this CA. */
    public TlsMaterial issue(String node) throws IOException {
        try {
            KeyPair keys = newKeyPair();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + node), keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            // No subject alternative names: peers are identified by the CA, not by host name or address.
            X509Certificate cert = sign(b, caKeys.getPrivate());
            Path certFile = dir.resolve(name + "-" + node + ".pem");
            Path keyFile = dir.resolve(name + "-" + node + ".key");
            writePem(certFile, cert);
            writeKey(keyFile, keys.getPrivate());
            return new TlsMaterial(caFile, certFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writePem(Path file, Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        }
        Files.writeString(file, w.toString());
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted. */
    private static void writeKey(Path file, PrivateKey key) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        }
        Files.writeString(file, w.toString());
    }
}
