package io.predastore.node.checksum;

import java.util.Base64;
import java.util.Objects;

/**
 * Computes one flexible checksum over bytes fed in order. {@link #digest()} ends the computation; after it, the
 * value is fixed and further updates are refused.
 */
public abstract class StreamingChecksum {
    private final ChecksumAlgorithm algorithm;
    private byte[] result;

    protected StreamingChecksum(ChecksumAlgorithm algorithm) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    /** The algorithm computed. */
    public final ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    /** Feeds one byte (the low 8 bits of {@code b}). */
    public final void update(int b) {
        update(new byte[] {(byte) b}, 0, 1);
    }

    /** Feeds all of {@code b}. */
    public final void update(byte[] b) {
        update(b, 0, b.length);
    }

    /** Feeds {@code len} bytes of {@code b} from {@code off}. */
    public final void update(byte[] b, int off, int len) {
        if (result != null) {
            throw new IllegalStateException("The " + algorithm + " checksum is already final");
        }
        Objects.checkFromIndexSize(off, len, b.length);
        engineUpdate(b, off, len);
    }

    /** The checksum's big-endian bytes; ends the computation (calling it again returns the same value). */
    public final byte[] digest() {
        if (result == null) {
            result = engineDigest();
        }
        return result.clone();
    }

    /** The checksum as S3 carries it in headers and XML: base64 of {@link #digest()}. */
    public final String base64() {
        return Base64.getEncoder().encodeToString(digest());
    }

    protected abstract void engineUpdate(byte[] b, int off, int len);

    protected abstract byte[] engineDigest();
}
