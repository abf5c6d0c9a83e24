package io.predastore.app.service;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a HeadObject says about an object.
 *
 * @param bucket       the bucket
 * @param key          the key
 * @param size         bytes
 * @param etag         the ETag without quotes
 * @param contentType  the content type, or an empty string
 * @param lastModified when it was written, or null if the node did not say
 * @param metadata     user metadata ({@code x-amz-meta-*} without the prefix), sorted by name
 */
public record ObjectDetails(String bucket, String key, long size, String etag, String contentType,
        Instant lastModified, Map<String, String> metadata) {
    public ObjectDetails {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        etag = etag == null ? "" : etag.replace("\"", "");
        contentType = contentType == null ? "" : contentType;
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    }
}
