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
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
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
        PrivateKey key = privateKey(keyPem);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IOException("the key in " + keyPem + " (" + key.getAlgorithm() + ") does not belong to the "
                    + "certificate in " + certificatePem + " (" + chain.get(0).getPublicKey().getAlgorithm() + ")");
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
