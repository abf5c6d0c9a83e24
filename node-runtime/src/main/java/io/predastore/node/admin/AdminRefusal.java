package io.predastore.node.admin;

import io.predastore.protocol.admin.AdminErrorCode;

/**
 * An admin request that cannot be answered as asked: thrown by the checks of a request and its route, and rendered
 * once as the error body of its {@link AdminErrorCode}. Carries no stack trace, as it is an answer, not a fault.
 */
public final class AdminRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final AdminErrorCode error;
    private final String allow;

    /** A refusal with the error's default message. */
    AdminRefusal(AdminErrorCode error) {
        this(error, error.defaultMessage(), null);
    }

    /** A refusal with {@code message}, which says what was wrong and what to do. */
    public AdminRefusal(AdminErrorCode error, String message) {
        this(error, message, null);
    }

    AdminRefusal(AdminErrorCode error, String message, String allow) {
        super(message, null, false, false);
        this.error = error;
        this.allow = allow;
    }

    /** The entry of the error table. */
    AdminErrorCode error() {
        return error;
    }

    /** The methods the route answers, for the {@code Allow} header of a 405; null otherwise. */
    String allow() {
        return allow;
    }
}
