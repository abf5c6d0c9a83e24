package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import java.time.Instant;

/** A stored part: number, ETag (hex MD5, no quotes), size, upload time and its checksum (or null). */
public record PartInfo(int partNumber, String etag, long size, Instant lastModified, ChecksumValue checksum) {
}
