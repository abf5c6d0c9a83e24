package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import java.util.Objects;
import java.util.function.Supplier;

/** An UploadPart to run; fields as in {@link PutObjectRequest}. Part numbers are 1..10000. */
public record UploadPartRequest(
        String bucket,
        String key,
        String uploadId,
        int partNumber,
        long contentLength,
        byte[] expectedMd5,
        Supplier<ChecksumValue> checksum) {
    public UploadPartRequest {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(checksum, "checksum");
        if (partNumber < 1 || partNumber > 10_000) {
            throw new IllegalArgumentException("partNumber must be 1..10000: " + partNumber);
        }
        if (contentLength < 0) {
            throw new IllegalArgumentException("contentLength must be >= 0: " + contentLength);
        }
    }
}
