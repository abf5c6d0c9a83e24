package io.predastore.node.remote;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A public key as SSH sends and {@code known_hosts} stores it: its type name ({@code ssh-ed25519},
 * {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}, ...) and its wire encoding (the "blob", base64 in a
 * {@code known_hosts} line). Two keys are equal when their blobs are. Immutable.
 */
public final class HostKey {
    private final String type;
    private final byte[] blob;

    private HostKey(String type, byte[] blob) {
        this.type = type;
        this.blob = blob;
    }

    /** The key a server presented (or any public key SSH can encode). */
    public static HostKey of(PublicKey key) {
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return fromBlob(buffer.getCompactData());
    }

    /**
     * A key from its wire encoding, whose first field is its type name.
     *
     * @throws IllegalArgumentException when the bytes do not start with a type name
     */
    public static HostKey fromBlob(byte[] blob) {
        return new HostKey(typeIn(blob), blob.clone());
    }

    /**
     * A key as a {@code known_hosts} or {@code .pub} line holds it: type name and base64 blob, which must agree.
     *
     * @throws IllegalArgumentException when the base64 is broken or names another type than {@code type}
     */
    public static HostKey parse(String type, String base64) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid base64", e);
        }
        String inBlob = typeIn(blob);
        if (!inBlob.equals(type)) {
            throw new IllegalArgumentException("the key says it is " + type + " but its bytes hold a " + inBlob
                    + " key");
        }
        return new HostKey(type, blob);
    }

    /** The SSH type name, e.g. {@code ssh-ed25519}. */
    public String type() {
        return type;
    }

    /** The type as OpenSSH shows it to people: {@code ED25519}, {@code ECDSA}, {@code RSA}, {@code DSA}. */
    public String displayType() {
        return displayType(type);
    }

    /** {@link #displayType()} of a type name. */
    static String displayType(String type) {
        if (type.equals("ssh-ed25519")) {
            return "ED25519";
        }
        if (type.startsWith("ecdsa-sha2-")) {
            return "ECDSA";
        }
        if (type.equals("ssh-rsa")) {
            return "RSA";
        }
        if (type.equals("ssh-dss")) {
            return "DSA";
        }
        return type.toUpperCase(Locale.ROOT);
    }

    /** The wire encoding (a copy). */
    public byte[] blob() {
        return blob.clone();
    }

    /** The blob in base64, as in a {@code known_hosts} line. */
    public String base64() {
        return Base64.getEncoder().encodeToString(blob);
    }

    /**
     * The fingerprint OpenSSH prints ({@code ssh-keygen -l}, and when it first meets a host): {@code SHA256:} and the
     * SHA-256 of the blob in base64 without padding.
     */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /**
     * Whether {@code text} names this key's fingerprint: {@code SHA256:...} as OpenSSH prints it, or the base64 part
     * alone; surrounding blanks are ignored. The base64 is compared exactly (it is case-sensitive).
     */
    public boolean hasFingerprint(String text) {
        if (text == null) {
            return false;
        }
        String t = text.strip();
        if (t.regionMatches(true, 0, "SHA256:", 0, 7)) {
            t = t.substring(7);
        }
        while (t.endsWith("=")) {
            t = t.substring(0, t.length() - 1);
        }
        return !t.isEmpty() && fingerprint().substring(7).equals(t);
    }

    /** The type and fingerprint, e.g. {@code ED25519 SHA256:...}. */
    public String describe() {
        return displayType() + " " + fingerprint();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostKey other && Arrays.equals(blob, other.blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String typeIn(byte[] blob) {
        if (blob.length < 5) {
            throw new IllegalArgumentException("the key is too short to be an SSH key (" + blob.length + " bytes)");
        }
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length < 1 || length > 64 || 4 + length > blob.length) {
            throw new IllegalArgumentException("the key's bytes do not start with a key type name");
        }
        String type = new String(blob, 4, length, StandardCharsets.US_ASCII);
        if (!type.matches("[A-Za-z0-9@._-]+")) {
            throw new IllegalArgumentException("the key's bytes do not start with a key type name");
        }
        return type;
    }
}
