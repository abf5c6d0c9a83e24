package io.predastore.node.pki;

import io.predastore.client.tls.PemCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the PEM files of a node's own TLS material: unencrypted private keys (PKCS#8
 * {@code BEGIN PRIVATE KEY}, or the older {@code BEGIN EC/RSA PRIVATE KEY}) and a key manager made of a key and its
 * certificate chain ({@link PemCertificates}). Every
 * failure is an {@link IOException} naming the file and what is wrong with it. Stateless.
 */
public final class PemFiles {
    private PemFiles() {
    }

    /** The private key of a PEM file. */
    public static PrivateKey privateKey(Path pem) throws IOException {
        Object parsed;
        try (Reader reader = new java.io.InputStreamReader(open(pem, "private key"), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            parsed = parser.readObject();
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (parsed instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (parsed instanceof PEMKeyPair pair) {
            return converter.getKeyPair(pair).getPrivate();
        }
        throw new IOException("no unencrypted private key in " + pem + " (expected PEM: -----BEGIN PRIVATE KEY-----"
                + (parsed == null ? "" : "; found " + parsed.getClass().getSimpleName()) + ")");
    }

    /** A key manager presenting the chain of {@code certificatePem} with the key of {@code keyPem}. */
    public static X509KeyManager keyManager(Path certificatePem, Path keyPem) throws IOException {
        List<X509Certificate> chain = PemCertificates.read(certificatePem);
        PrivateKey key = sameFamily(privateKey(keyPem), chain.get(0).getPublicKey());
        if (key == null || !pair(key, chain.get(0).getPublicKey())) {
            throw new IOException("the key in " + keyPem + " does not belong to the certificate in "
                    + certificatePem + " (" + chain.get(0).getPublicKey().getAlgorithm() + ")");
        }
        try {
            // The store lives only in memory; its password protects nothing and is random so nobody relies on it.
            char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("node", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager x509) {
                    return x509;
                }
            }
            throw new IOException("the JDK offers no X.509 key manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key " + keyPem + " with the certificate " + certificatePem + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@code key} as a key of the certificate's key family from the JDK's own providers, or null if it is of another
     * family. The PEM converter names a key after whichever provider is installed first (an EC key reads as
     * "ECDSA" once a library has installed BouncyCastle's provider, as the SSH library does), so names are not
     * compared; re-reading the encoding with the certificate's family is what the TLS stack will do anyway.
     */
    private static PrivateKey sameFamily(PrivateKey key, PublicKey certified) {
        try {
            return KeyFactory.getInstance(certified.getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code key} signs what {@code certified} verifies: the two are one key pair. */
    private static boolean pair(PrivateKey key, PublicKey certified) {
        String algorithm = switch (certified.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a family this check does not know: the TLS handshake is the judge
        }
        try {
            byte[] probe = "predastore key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static InputStream open(Path pem, String what) throws IOException {
        try {
            return Files.newInputStream(pem);
        } catch (NoSuchFileException e) {
            throw new IOException("the " + what + " file " + pem + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("cannot read the " + what + " file " + pem + ": " + e.getMessage(), e);
        }
    }
}
