package io.predastore.node.pki;

import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The secret every node of a cluster shares to prove that a metadata request comes from the node software itself,
 * not merely from someone holding a node's TLS certificate and key. {@code cluster init} generates one and writes it
 * to each node's data directory ({@value #FILE_NAME}, owner-only), apart from the TLS key; a node reads it at
 * start-up and refuses to start without it.
 *
 * <p>The file holds the secret in base64 on one line. Immutable and thread-safe; {@link #toString()} never shows the
 * secret.
 */
public final class ClusterSecret {
    /** The secret's file name in a node's data directory. */
    public static final String FILE_NAME = "cluster.secret";
    /** Bytes of a generated secret (HMAC-SHA256 keys gain nothing beyond the hash's block of 64). */
    public static final int LENGTH = 32;

    private final byte[] key;

    private ClusterSecret(byte[] key) {
        if (key.length < LENGTH) {
            throw new IllegalArgumentException("a cluster secret has at least " + LENGTH + " bytes, not "
                    + key.length);
        }
        this.key = key.clone();
    }

    /** A new random secret. */
    public static ClusterSecret generate(SecureRandom random) {
        byte[] key = new byte[LENGTH];
        random.nextBytes(key);
        return new ClusterSecret(key);
    }

    /** The secret made of {@code key} (tests). */
    public static ClusterSecret of(byte[] key) {
        return new ClusterSecret(key);
    }

    /** Where the secret of the node whose data directory is {@code dataDir} is kept. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * Reads the secret of {@code file}.
     *
     * @throws NoSuchFileException if there is none (a cluster created before nodes had one: see
     *     {@code cluster add-secret})
     * @throws IOException if it cannot be read or does not hold a secret, saying which file
     */
    public static ClusterSecret read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return new ClusterSecret(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("the cluster secret " + file + " is damaged (" + e.getMessage() + "); copy it "
                    + "from another node of the cluster", e);
        }
    }

    /** Writes this secret to {@code file}, owner-only, replacing it atomically. */
    public void write(Path file) throws IOException {
        OwnerOnly.writeAtomically(file, (Base64.getEncoder().encodeToString(key) + "\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** A copy of the key bytes. */
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterSecret other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "ClusterSecret[hidden]";
    }
}
