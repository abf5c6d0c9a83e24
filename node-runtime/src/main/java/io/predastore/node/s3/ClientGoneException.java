package io.predastore.node.s3;

import java.io.IOException;

/**
 * The client went away before its request body ended: it closed or reset the connection, or stopped sending. An
 * everyday event (a cancelled upload, a killed client), so it is logged as one line, not as a server failure.
 */
final class ClientGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGoneException(String message) {
        super(message);
    }

    ClientGoneException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} or one of its causes says the client went away. */
    static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientGoneException) {
                return true;
            }
        }
        return false;
    }
}
