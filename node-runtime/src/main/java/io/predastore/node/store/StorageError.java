package io.predastore.node.store;

/**
 * What a storage backend refuses or cannot do, named in storage terms. The S3 front end maps each value to the
 * S3 error it answers with, in one table; storage itself never names an S3 code. A full disk is not here: it is
 * {@link io.predastore.node.disk.StorageFullException}.
 */
public enum StorageError {
    /** The bucket does not exist (or was deleted while the request ran). */
    NO_SUCH_BUCKET,
    /** The key does not exist in the bucket. */
    NO_SUCH_KEY,
    /** The multipart upload does not exist: never created, aborted or completed. */
    NO_SUCH_UPLOAD,
    /** The bucket still holds objects or multipart uploads, so it cannot be deleted. */
    BUCKET_NOT_EMPTY,
    /** The bucket to create exists already, and belongs to the caller. */
    BUCKET_ALREADY_YOURS,
    /** A write condition (If-Match, If-None-Match) did not hold against the current object. */
    PRECONDITION_FAILED,
    /** Another write changed the same key, part or upload at the same time; the caller may retry. */
    WRITE_CONFLICT,
    /** A part listed for completion was never stored, or has another ETag. */
    INVALID_PART,
    /** The parts listed for completion are not in ascending order of part number. */
    INVALID_PART_ORDER,
    /** A part other than the last is smaller than the minimum part size. */
    PART_TOO_SMALL,
    /** The completion list itself is unusable (e.g. it names no part). */
    MALFORMED_PART_LIST,
    /** The body ended before its declared length. */
    BODY_INCOMPLETE,
    /** The body went on past its declared length. */
    BODY_TOO_LONG,
    /** The MD5 of the body is not the one the caller declared. */
    BODY_DIGEST_MISMATCH,
    /** Too few nodes, shards or metadata peers are reachable now; the same request may succeed later. */
    UNAVAILABLE,
    /**
     * A metadata write failed without an answer (a timeout, a lost leader): it may have been applied, or may still be
     * (a Raft client resends it). Answered like {@link #UNAVAILABLE}; a backend must not undo what the write would
     * refer to.
     */
    OUTCOME_UNKNOWN
}
