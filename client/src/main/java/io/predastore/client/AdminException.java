package io.predastore.client;

import java.io.IOException;

/** An admin API request the node answered with an error status. */
public final class AdminException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public AdminException(String message, int status, String code) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, e.g. 403. */
    public int status() {
        return status;
    }

    /** The error code from the body, e.g. {@code SignatureDoesNotMatch}, or null if the body had none. */
    public String code() {
        return code;
    }
}
