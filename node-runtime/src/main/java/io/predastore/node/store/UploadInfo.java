package io.predastore.node.store;

import java.time.Instant;

/** A multipart upload in progress: where it goes, its id, when it started and the metadata it will get. */
public record UploadInfo(String bucket, String key, String uploadId, Instant initiated, ObjectMetadata metadata) {
}
