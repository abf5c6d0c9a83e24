package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The checksum of a completed multipart object, computed from its parts' checksums. */
public final class CompositeChecksums {
    public static final String COMPOSITE = "COMPOSITE";

    private CompositeChecksums() {
    }

    /**
     * S3's composite checksum: base64 of the algorithm's digest over the concatenated binary part checksums,
     * suffixed with {@code -N}. Null when a part has no checksum, the parts disagree on the algorithm, or the
     * algorithm is CRC64NVME (S3 combines those as a full-object checksum, which is not implemented here).
     */
    public static ChecksumValue composite(List<ChecksumValue> parts) {
        if (parts.isEmpty() || parts.get(0) == null) {
            return null;
        }
        String algorithm = parts.get(0).algorithm().toUpperCase(java.util.Locale.ROOT);
        for (ChecksumValue c : parts) {
            if (c == null || !c.algorithm().equalsIgnoreCase(algorithm)) {
                return null;
            }
        }
        byte[] digest;
        try {
            switch (algorithm) {
                case "CRC32" -> digest = crc(new CRC32(), parts);
                case "CRC32C" -> digest = crc(new CRC32C(), parts);
                case "SHA1" -> digest = md(MessageDigest.getInstance("SHA-1"), parts);
                case "SHA256" -> digest = md(MessageDigest.getInstance("SHA-256"), parts);
                default -> {
                    return null;
                }
            }
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return null; // a part value that is not base64 cannot be combined
        }
        return new ChecksumValue(algorithm, Base64.getEncoder().encodeToString(digest) + "-" + parts.size(),
                COMPOSITE);
    }

    private static byte[] crc(Checksum crc, List<ChecksumValue> parts) {
        for (ChecksumValue c : parts) {
            crc.update(partBytes(c));
        }
        long v = crc.getValue();
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] md(MessageDigest md, List<ChecksumValue> parts) {
        for (ChecksumValue c : parts) {
            md.update(partBytes(c));
        }
        return md.digest();
    }

    private static byte[] partBytes(ChecksumValue c) {
        String v = c.value();
        int dash = v.indexOf('-');
        return Base64.getDecoder().decode(dash >= 0 ? v.substring(0, dash) : v);
    }
}
