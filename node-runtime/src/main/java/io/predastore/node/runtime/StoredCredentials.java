package io.predastore.node.runtime;

import io.predastore.node.auth.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The access key pair a node generates on first start and keeps in {@code credentials.properties} in its data
 * directory (owner-readable only), so that restarts keep the same keys.
 */
final class StoredCredentials {
    static final String FILE = "credentials.properties";
    private static final char[] ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final char[] SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .toCharArray();

    private StoredCredentials() {
    }

    static Credentials loadOrCreate(Path dataDir) throws IOException {
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
            return new Credentials(ak.trim(), sk.trim());
        }
        SecureRandom random = new SecureRandom();
        Credentials c = new Credentials("PS" + random(random, ALPHANUM, 18), random(random, SECRET, 40));
        Properties p = new Properties();
        p.setProperty("access_key", c.accessKey());
        p.setProperty("secret_key", c.secretKey());
        Path tmp = dataDir.resolve(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "Predastore node credentials (generated on first start)");
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the file keeps the platform's default permissions
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return c;
    }

    private static String random(SecureRandom r, char[] alphabet, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
