package io.predastore.node.s3;

import io.predastore.node.error.S3Exception;
import io.predastore.node.error.S3Error;
import io.predastore.node.store.ObjectInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The read preconditions of GetObject/HeadObject (If-Match, If-None-Match, If-Modified-Since,
 * If-Unmodified-Since) and of a copy source (the {@code x-amz-copy-source-if-*} headers), evaluated as S3
 * does: a true If-Match overrides a false If-Unmodified-Since, a false If-None-Match overrides a true
 * If-Modified-Since.
 */
final class ReadConditions {
    private ReadConditions() {
    }

    /** Throws PreconditionFailed (412) or NotModified (304) when the object does not satisfy the request. */
    static void check(S3Request r, ObjectInfo info) {
        check(info, r.header("If-Match"), r.header("If-None-Match"), r.header("If-Modified-Since"),
                r.header("If-Unmodified-Since"), false);
    }

    /** The copy-source conditions; all failures are PreconditionFailed. */
    static void checkCopySource(S3Request r, ObjectInfo info) {
        check(info, r.header("x-amz-copy-source-if-match"), r.header("x-amz-copy-source-if-none-match"),
                r.header("x-amz-copy-source-if-modified-since"), r.header("x-amz-copy-source-if-unmodified-since"),
                true);
    }

    private static void check(ObjectInfo info, String ifMatch, String ifNoneMatch, String ifModifiedSince,
            String ifUnmodifiedSince, boolean copy) {
        Instant modified = info.lastModified().truncatedTo(ChronoUnit.SECONDS);
        if (ifMatch != null) {
            if (!etagMatches(ifMatch, info.etag())) {
                throw S3Error.PRECONDITION_FAILED.exception("If-Match: the object's ETag is \"" + info.etag()
                        + "\", not " + ifMatch.trim() + ".");
            }
        } else {
            Instant since = Dates.parseHttp(ifUnmodifiedSince);
            if (since != null && modified.isAfter(since)) {
                throw S3Error.PRECONDITION_FAILED.exception("If-Unmodified-Since: the object was modified at "
                        + Dates.http(info.lastModified()) + ".");
            }
        }
        if (ifNoneMatch != null) {
            if (etagMatches(ifNoneMatch, info.etag())) {
                throw notModified(copy);
            }
        } else {
            Instant since = Dates.parseHttp(ifModifiedSince);
            if (since != null && !modified.isAfter(since)) {
                throw notModified(copy);
            }
        }
    }

    private static S3Exception notModified(boolean copy) {
        return copy ? S3Error.PRECONDITION_FAILED.exception("The copy source was not modified as required.")
                : S3Error.NOT_MODIFIED.exception();
    }

    private static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || ObjectHeaders.unquote(c).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
