package io.predastore.node.store.meta;

import io.predastore.node.store.ObjectInfo;
import java.util.List;
import java.util.Objects;

/**
 * A committed object version as every backend stores it: the S3 header and where its bytes are, either inline in
 * the record or as an ordered list of locations (one for a plain PUT, one per part for a completed multipart upload).
 * Encoded by {@link RecordCodec}.
 *
 * @param inline the object's bytes when kept in the record (then {@code segments} is empty), else null
 * @param <L> where a backend keeps a stretch of bytes
 */
public record ObjectRecord<L>(ObjectHeader header, List<L> segments, byte[] inline) {
    public ObjectRecord {
        Objects.requireNonNull(header, "header");
        segments = List.copyOf(segments);
        if (inline != null && (!segments.isEmpty() || inline.length != header.size())) {
            throw new IllegalArgumentException("an inline object has no segments and exactly its size in bytes");
        }
    }

    /** An object whose bytes are kept in its record. */
    public static <L> ObjectRecord<L> inline(ObjectHeader header, byte[] bytes) {
        return new ObjectRecord<>(header, List.of(), bytes);
    }

    /** An object whose bytes are at {@code segments}, in order. */
    public static <L> ObjectRecord<L> stored(ObjectHeader header, List<L> segments) {
        return new ObjectRecord<>(header, segments, null);
    }

    public boolean isInline() {
        return inline != null;
    }

    /** The S3 view of this version of {@code bucket/key}. */
    public ObjectInfo info(String bucket, String key) {
        return header.info(bucket, key);
    }
}
