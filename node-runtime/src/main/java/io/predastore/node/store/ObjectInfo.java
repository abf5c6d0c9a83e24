package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import java.time.Instant;
import java.util.Objects;

/**
 * An object's committed record.
 *
 * @param etag the entity tag without quotes: hex MD5 of the bytes, or {@code md5-of-part-md5s-N} for multipart
 * @param partsCount number of parts for a multipart object, 0 otherwise
 * @param checksum the stored flexible checksum, or null
 */
public record ObjectInfo(
        String bucket,
        String key,
        long size,
        String etag,
        Instant lastModified,
        ObjectMetadata metadata,
        int partsCount,
        ChecksumValue checksum) {
    public ObjectInfo {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(metadata, "metadata");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
    }
}
