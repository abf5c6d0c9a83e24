package io.predastore.client;

import io.predastore.protocol.admin.AdminErrorCode;
import java.io.IOException;
import java.util.Optional;

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

    /**
     * The admin API's own error this answer was, e.g. {@link AdminErrorCode#NO_LEADER}; empty for an authentication
     * failure (a SigV4 code) or an answer without a code.
     */
    public Optional<AdminErrorCode> error() {
        return AdminErrorCode.forCode(code);
    }
}
