package io.predastore.node.store.cluster;

import java.io.IOException;

/** A node needed for a write could not be reached; answered as UNAVAILABLE (an S3 503) so the client retries. */
final class NodeUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    NodeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
