package io.predastore.node.bench;

import io.predastore.client.tls.PemCertificates;
import io.predastore.node.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of an https run: the JDK's default, or one trusting exactly the certificates of a PEM file (a
 * cluster's CA). Either way the JDK checks the chain and, as the connection asks it to, the host name; nothing
 * trusts every certificate. One context per file, shared by the workers. Thread-safe.
 */
final class HttpsTrust {
    private static final Map<Path, SSLContext> CONTEXTS = new ConcurrentHashMap<>();

    private HttpsTrust() {
    }

    /** The context for {@code config}: null for plain HTTP. */
    static SSLContext of(BenchConfig config) throws IOException {
        if (!config.tls()) {
            return null;
        }
        if (config.caCertificate() == null) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IOException("the JDK offers no default TLS context: " + e.getMessage(), e);
            }
        }
        try {
            return CONTEXTS.computeIfAbsent(config.caCertificate().toAbsolutePath().normalize(), HttpsTrust::load);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }

    private static SSLContext load(Path caPem) {
        try {
            List<X509Certificate> anchors = PemCertificates.read(caPem);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("ca-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + caPem + ": " + e.getMessage(), e);
        }
    }
}
