package io.predastore.node.checksum;

import java.util.Objects;

/**
 * A flexible checksum of an object or part, as S3 carries it: the algorithm name ({@code CRC32}, {@code CRC32C},
 * {@code CRC64NVME}, {@code SHA1}, {@code SHA256}), the base64 value, and whether it covers the whole object
 * ({@code FULL_OBJECT}) or is a checksum of part checksums ({@code COMPOSITE}, value suffixed with {@code -N}).
 */
public record ChecksumValue(String algorithm, String value, String type) {
    public ChecksumValue {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(type, "type");
    }
}
