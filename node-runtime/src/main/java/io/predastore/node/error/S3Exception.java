package io.predastore.node.error;

import java.util.Objects;

/**
 * A failure that is answered to the client as an S3 error. Thrown by the front end (auth, the S3 router and
 * operations, the admin API) so that one renderer turns it into the XML body; storage never throws it (its refusals
 * are mapped to one in the S3 endpoint), and anything else that escapes becomes {@link S3Error#INTERNAL_ERROR}.
 */
public final class S3Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final S3Error error;
    private final String resource;

    public S3Exception(S3Error error, String message) {
        this(error, message, null, null);
    }

    public S3Exception(S3Error error, String message, String resource, Throwable cause) {
        super(message == null ? error.defaultMessage() : message, cause, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.resource = resource;
    }

    /** The S3 error this failure is answered with. */
    public S3Error error() {
        return error;
    }

    /** The resource (bucket, key, upload) the error is about, or null. */
    public String resource() {
        return resource;
    }
}
