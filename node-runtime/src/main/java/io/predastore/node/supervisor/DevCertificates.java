package io.predastore.node.supervisor;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.client.tls.PemCertificates;
import io.predastore.node.pki.PemFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** A throwaway cluster CA and node certificates (EC P-256, SHA-256), made with BouncyCastle over the JDK's JCA. */
public final class DevCertificates {
    /** How long dev certificates stay valid. */
    public static final Duration VALIDITY = Duration.ofDays(5 * 365);

    private static final SecureRandom RANDOM = new SecureRandom();

    private DevCertificates() {
    }

    /** A certificate with its private key. */
    public record Issued(X509Certificate certificate, PrivateKey privateKey) {
    }

    /** A new EC P-256 key pair. */
    public static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /** A self-signed CA certificate that may sign node certificates (path length 0). */
    public static Issued newCa(String commonName, Instant now) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create the CA certificate", e);
        }
    }

    /**
     * A node certificate signed by {@code ca}: CN=node-N, a URI SAN naming the node ({@link NodeIdentity}), and
     * {@code host} as an IP or DNS SAN (with {@code 127.0.0.1} and {@code localhost} too when {@code host} is a
     * loopback address), usable as TLS server and client.
     */
    public static Issued newNodeCertificate(Issued ca, NodeIdentity node, String host, Instant now)
            throws GeneralSecurityException {
        return newCertificate(ca, "node-" + node.nodeId(), List.of(node.uri()), host, now);
    }

    /**
     * A TLS server and client certificate signed by {@code ca} with CN={@code commonName}, the given URI SANs and
     * {@code host} as an IP or DNS SAN (plus {@code 127.0.0.1} and {@code localhost} for a loopback host). Node
     * certificates have exactly one URI, their identity; tests use others to check that they are refused.
     */
    public static Issued newCertificate(Issued ca, String commonName, List<String> uris, String host, Instant now)
            throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        Set<String> ips = new LinkedHashSet<>();
        Set<String> dns = new LinkedHashSet<>();
        if (isLoopback(host)) {
            ips.add("127.0.0.1");
            dns.add("localhost");
        }
        if (isIpLiteral(host)) {
            ips.add(host);
        } else {
            dns.add(host);
        }
        List<GeneralName> names = new ArrayList<>();
        uris.forEach(uri -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                    new X500Name("CN=" + commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(ca.certificate()));
            return new Issued(sign(builder, ca.privateKey()), keys.getPrivate());
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create the certificate for " + commonName, e);
        }
    }

    /** A CA from its PEM certificate and key (to issue more node certificates for an existing cluster). */
    public static Issued loadCa(Path certificatePem, Path keyPem) throws IOException {
        return new Issued(PemCertificates.read(certificatePem).get(0), PemFiles.privateKey(keyPem));
    }

    /** PEM text of a certificate. */
    public static String certificatePem(X509Certificate certificate) throws GeneralSecurityException {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    /** PEM text of a private key in PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    /** Whether {@code host} is a loopback address literal or {@code localhost} (no name is looked up). */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return isIpLiteral(host) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isIpLiteral(String host) {
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
