package io.predastore.node.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The S3 flexible checksum algorithms, with the header that carries each value. */
public enum ChecksumAlgorithm {
    CRC32(4),
    CRC32C(4),
    CRC64NVME(8),
    SHA1(20),
    SHA256(32);

    /** Prefix shared by every checksum value header. */
    public static final String HEADER_PREFIX = "x-amz-checksum-";

    private final int length;
    private final String headerName;

    ChecksumAlgorithm(int length) {
        this.length = length;
        this.headerName = HEADER_PREFIX + name().toLowerCase(Locale.ROOT);
    }

    /** The header carrying this checksum's value, lower case, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return headerName;
    }

    /** The length in bytes of a checksum value. */
    public int length() {
        return length;
    }

    /** The algorithm whose value header is {@code headerName} (any case), if it is one. */
    public static Optional<ChecksumAlgorithm> fromHeader(String headerName) {
        if (headerName == null) {
            return Optional.empty();
        }
        String lower = headerName.trim().toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm a : values()) {
            if (a.headerName.equals(lower)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The algorithm named {@code name} (any case), as sent in {@code x-amz-sdk-checksum-algorithm} or
     * {@code x-amz-checksum-algorithm}, e.g. {@code CRC32} or {@code crc64nvme}.
     */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (ChecksumAlgorithm a : values()) {
            if (a.name().equals(upper)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** A fresh computer of this checksum. */
    public StreamingChecksum newChecksum() {
        switch (this) {
            case CRC32:
                return new CrcChecksum(this, new CRC32());
            case CRC32C:
                return new CrcChecksum(this, new CRC32C());
            case CRC64NVME:
                return new CrcChecksum(this, new Crc64Nvme());
            case SHA1:
                return new DigestChecksum(this, "SHA-1");
            case SHA256:
                return new DigestChecksum(this, "SHA-256");
            default:
                throw new AssertionError(this);
        }
    }

    private static final class CrcChecksum extends StreamingChecksum {
        private final Checksum crc;

        CrcChecksum(ChecksumAlgorithm algorithm, Checksum crc) {
            super(algorithm);
            this.crc = crc;
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            crc.update(b, off, len);
        }

        @Override
        protected byte[] engineDigest() {
            long v = crc.getValue();
            int n = algorithm().length();
            byte[] out = new byte[n];
            for (int i = n - 1; i >= 0; i--) {
                out[i] = (byte) v;
                v >>>= 8;
            }
            return out;
        }
    }

    private static final class DigestChecksum extends StreamingChecksum {
        private final MessageDigest digest;

        DigestChecksum(ChecksumAlgorithm algorithm, String jcaName) {
            super(algorithm);
            try {
                this.digest = MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("The JVM lacks " + jcaName, e);
            }
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        protected byte[] engineDigest() {
            return digest.digest();
        }
    }
}
