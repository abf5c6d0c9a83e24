package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;

/**
 * The one table from what storage refuses to the S3 error it is answered with. Storage names no S3 code; the front
 * end reads this table wherever a backend's refusal becomes an answer. Stateless and thread-safe.
 */
final class StorageErrors {
    private StorageErrors() {
    }

    /** The S3 error a storage error is answered with; a switch with no default, so a new value must be mapped. */
    static S3Error s3Error(StorageError error) {
        return switch (error) {
            case NO_SUCH_BUCKET -> S3Error.NO_SUCH_BUCKET;
            case NO_SUCH_KEY -> S3Error.NO_SUCH_KEY;
            case NO_SUCH_UPLOAD -> S3Error.NO_SUCH_UPLOAD;
            case BUCKET_NOT_EMPTY -> S3Error.BUCKET_NOT_EMPTY;
            case BUCKET_ALREADY_YOURS -> S3Error.BUCKET_ALREADY_OWNED_BY_YOU;
            case PRECONDITION_FAILED -> S3Error.PRECONDITION_FAILED;
            case WRITE_CONFLICT -> S3Error.CONDITIONAL_REQUEST_CONFLICT;
            case INVALID_PART -> S3Error.INVALID_PART;
            case INVALID_PART_ORDER -> S3Error.INVALID_PART_ORDER;
            case PART_TOO_SMALL -> S3Error.ENTITY_TOO_SMALL;
            case MALFORMED_PART_LIST -> S3Error.MALFORMED_XML;
            case BODY_INCOMPLETE -> S3Error.INCOMPLETE_BODY;
            case BODY_TOO_LONG -> S3Error.INVALID_REQUEST;
            case BODY_DIGEST_MISMATCH -> S3Error.BAD_DIGEST;
            case UNAVAILABLE, OUTCOME_UNKNOWN -> S3Error.SERVICE_UNAVAILABLE;
        };
    }

    /** The S3 answer to a storage refusal: its S3 error, with the message and resource the thrower gave. */
    static S3Exception toS3(StorageException e) {
        return new S3Exception(s3Error(e.error()), e.getMessage(), e.resource(), e);
    }
}
