package io.predastore.node.store;

import java.util.List;
import java.util.Objects;

/** A CompleteMultipartUpload to run: the parts in the order the client listed them, and the write condition. */
public record CompleteMultipartUploadRequest(
        String bucket, String key, String uploadId, List<CompletedPart> parts, WritePrecondition precondition) {
    public CompleteMultipartUploadRequest {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(precondition, "precondition");
        parts = List.copyOf(parts);
    }
}
