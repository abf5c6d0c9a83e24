package io.predastore.node.runtime;

import io.predastore.client.sigv4.Credentials;
import io.predastore.node.disk.OwnerOnly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The access key pair a node generates on first start and keeps in {@code credentials.properties} in its data
 * directory (owner-readable only, never wider, not even while it is written), so that restarts keep the same keys.
 */
final class StoredCredentials {
    static final String FILE = "credentials.properties";
    private static final char[] ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final char[] SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .toCharArray();

    private StoredCredentials() {
    }

    /**
     * The pair a node uses and whether this call generated it (then, and only then, the node shows the secret).
     */
    record Loaded(Credentials credentials, boolean generated) {
    }

    static Loaded loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            String ak = p.getProperty("access_key");
            String sk = p.getProperty("secret_key");
            if (ak == null || sk == null || ak.isBlank() || sk.isBlank()) {
                throw new IOException(file + " must define access_key and secret_key; fix or delete it");
            }
            return new Loaded(new Credentials(ak.trim(), sk.trim()), false);
        }
        SecureRandom random = new SecureRandom();
        Credentials c = new Credentials("PS" + random(random, ALPHANUM, 18), random(random, SECRET, 40));
        Properties p = new Properties();
        p.setProperty("access_key", c.accessKey());
        p.setProperty("secret_key", c.secretKey());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        p.store(text, "Predastore node credentials (generated on first start)");
        OwnerOnly.writeAtomically(file, text.toByteArray());
        return new Loaded(c, true);
    }

    private static String random(SecureRandom r, char[] alphabet, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
