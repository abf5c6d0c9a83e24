package io.predastore.node.store.meta;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.PartInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * An uploaded part of a multipart upload as every backend stores it: what ListParts reports and where its bytes are.
 * Keyed by {@link io.predastore.node.store.MetaKeys#part}; encoded by {@link RecordCodec}.
 *
 * @param etag the part's MD5 in lower-case hex, without quotes
 * @param checksum the part's flexible checksum, or null
 * @param <L> where a backend keeps a stretch of bytes
 */
public record PartRecord<L>(String etag, long size, Instant lastModified, ChecksumValue checksum, L location) {
    public PartRecord {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(location, "location");
        if (size < 0) {
            throw new IllegalArgumentException("negative part size " + size);
        }
    }

    /** The ListParts view of this record as part {@code partNumber}. */
    public PartInfo info(int partNumber) {
        return new PartInfo(partNumber, etag, size, lastModified, checksum);
    }
}
