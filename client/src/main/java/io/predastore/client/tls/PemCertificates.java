package io.predastore.client.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the certificates of a PEM file (the cluster CA, a node's chain) with the JDK alone. Every failure is an
 * {@link IOException} naming the file and what is wrong with it. Stateless.
 */
public final class PemCertificates {
    private PemCertificates() {
    }

    /** The certificates of a PEM file, in file order (a chain starts with the end entity). */
    public static List<X509Certificate> read(Path pem) throws IOException {
        try (InputStream in = open(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IOException("no certificate in " + pem + " (expected PEM: -----BEGIN CERTIFICATE-----)");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificates in " + pem + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path pem) throws IOException {
        try {
            return Files.newInputStream(pem);
        } catch (NoSuchFileException e) {
            throw new IOException("the certificate file " + pem + " does not exist", e);
        } catch (IOException e) {
            throw new IOException("cannot read the certificate file " + pem + ": " + e.getMessage(), e);
        }
    }
}
