package io.predastore.node.store;

import java.time.Instant;

/**
 * A conditional delete: the object is deleted only if it is the version the client names, by its ETag
 * ({@code If-Match}, {@code *} for any version), its last-modified time (to the second) and/or its size. Checked
 * atomically with the delete; a version that does not match is PRECONDITION_FAILED. An absent key is NO_SUCH_KEY
 * when an ETag is required, and deleted (nothing to do) when only a time or size is.
 *
 * @param ifMatch the required ETag without quotes, {@code *}, or null
 * @param lastModified the required last-modified time, or null
 * @param size the required size in bytes, or null
 */
public record DeletePrecondition(String ifMatch, Instant lastModified, Long size) {
    /** An unconditional delete. */
    public static final DeletePrecondition NONE = new DeletePrecondition(null, null, null);

    /** True when the delete is unconditional. */
    public boolean isNone() {
        return ifMatch == null && lastModified == null && size == null;
    }
}
