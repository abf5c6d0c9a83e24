package io.predastore.node.remote;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.apache.sshd.common.config.keys.BuiltinIdentities;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A public key as SSH sends and {@code known_hosts} stores it: the key, its type name ({@code ssh-ed25519},
 * {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}, ...) and its wire encoding (the "blob", base64 in a
 * {@code known_hosts} line). Decoding, encoding, type names and fingerprints are MINA SSHD's; this class only gives
 * them the names the rest of the package uses. Two keys are equal when their encodings are. Immutable.
 */
public final class HostKey {
    private final PublicKey key;
    private final String type;
    private final byte[] blob;

    private HostKey(PublicKey key, String type, byte[] blob) {
        this.key = key;
        this.type = type;
        this.blob = blob;
    }

    /**
     * The key a server presented, or any public key SSH can encode.
     *
     * @throws IllegalArgumentException when SSH has no encoding for it
     */
    public static HostKey of(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        if (type == null) {
            throw new IllegalArgumentException("a " + key.getAlgorithm() + " key is not of a type SSH knows");
        }
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        try {
            buffer.putRawPublicKey(key);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the " + type + " key cannot be encoded for SSH: " + e.getMessage(), e);
        }
        return new HostKey(key, type, buffer.getCompactData());
    }

    /**
     * A key from its wire encoding, whose first field is its type name.
     *
     * @throws IllegalArgumentException when the bytes are not a public key of a type SSH knows
     */
    public static HostKey fromBlob(byte[] blob) {
        PublicKey key;
        try {
            key = new ByteArrayBuffer(blob).getRawPublicKey();
        } catch (Exception e) {
            throw new IllegalArgumentException("the bytes are not an SSH public key (" + e.getMessage() + ")", e);
        }
        return of(key);
    }

    /**
     * A key as a {@code known_hosts} or {@code .pub} line holds it: type name and base64 blob, which must agree.
     *
     * @throws IllegalArgumentException when the base64 is broken, is not a key, or names another type than
     *                                  {@code type}
     */
    public static HostKey parse(String type, String base64) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid base64", e);
        }
        HostKey key = fromBlob(blob);
        if (!key.type().equals(type)) {
            throw new IllegalArgumentException("the key says it is " + type + " but its bytes hold a " + key.type()
                    + " key");
        }
        return key;
    }

    /** The key itself. */
    public PublicKey publicKey() {
        return key;
    }

    /** The SSH type name, e.g. {@code ssh-ed25519}. */
    public String type() {
        return type;
    }

    /** The type as OpenSSH shows it to people: {@code ED25519}, {@code ECDSA}, {@code RSA}, {@code DSA}. */
    public String displayType() {
        BuiltinIdentities identity = BuiltinIdentities.fromKeyTypeName(type);
        return (identity != null ? identity.getName() : type).toUpperCase(Locale.ROOT);
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
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    /**
     * Whether {@code text} names this key's fingerprint: {@code SHA256:...} as OpenSSH prints it, or the base64 part
     * alone; surrounding blanks and base64 padding are ignored. The base64 is compared exactly (it is
     * case-sensitive).
     */
    public boolean hasFingerprint(String text) {
        if (text == null) {
            return false;
        }
        // MINA compares only the exact form "SHA256:<base64 without padding>"; people paste the other forms too.
        String t = text.strip();
        if (t.regionMatches(true, 0, "SHA256:", 0, 7)) {
            t = t.substring(7);
        }
        while (t.endsWith("=")) {
            t = t.substring(0, t.length() - 1);
        }
        return !t.isEmpty() && KeyUtils.checkFingerPrint("SHA256:" + t, BuiltinDigests.sha256, key).getKey();
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
}
