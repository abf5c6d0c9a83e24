package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A PutObject to run.
 *
 * @param contentLength exact number of body bytes
 * @param expectedMd5 the decoded Content-MD5 (16 bytes) to check against the body, or null → BadDigest
 * @param checksum read after the body reached its end: the verified flexible checksum to store, or null
 * @param precondition If-Match / If-None-Match on the destination key
 */
public record PutObjectRequest(
        String bucket,
        String key,
        long contentLength,
        ObjectMetadata metadata,
        byte[] expectedMd5,
        Supplier<ChecksumValue> checksum,
        WritePrecondition precondition) {
    public PutObjectRequest {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(precondition, "precondition");
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength must be >= 0: " + contentLength);
        }
    }
}
