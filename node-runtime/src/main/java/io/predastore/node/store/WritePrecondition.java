package io.predastore.node.store;

/**
 * A conditional write: {@code If-None-Match: *} (create only if absent) and/or {@code If-Match: etag} (replace
 * only that version). Checked atomically with the commit; failure is PreconditionFailed (412).
 *
 * @param ifMatch the required current ETag without quotes, or null
 * @param ifNoneMatchAny true for {@code If-None-Match: *}
 */
public record WritePrecondition(String ifMatch, boolean ifNoneMatchAny) {
    /** An unconditional write. */
    public static final WritePrecondition NONE = new WritePrecondition(null, false);

    /** True when the write is unconditional. */
    public boolean isNone() {
        return ifMatch == null && !ifNoneMatchAny;
    }
}
