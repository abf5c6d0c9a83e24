package io.predastore.node.store;

/** A part named in a CompleteMultipartUpload body: its number and the ETag the client got (quotes removed). */
public record CompletedPart(int partNumber, String etag) {
}
