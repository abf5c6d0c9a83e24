package io.predastore.node.shard;

import java.io.IOException;

/**
 * A node refused a shard request from another node: the requesting node's certificate does not entitle it to do
 * that with that shard (it is not the shard's writer, or the metadata record the request named does not list the
 * shard on the refusing node). Not retried: the same request would be refused again.
 */
public final class ShardAccessDeniedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    /**
     * @param reason  a short fixed name of why (e.g. {@code NOT_WRITER}), for logs and counting
     * @param message what was refused and why, for people
     */
    public ShardAccessDeniedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** As received from another node: its message says why; no reason of ours. */
    public ShardAccessDeniedException(String message) {
        this(null, message);
    }

    /** The short name of why, or null when received from another node. */
    public String reason() {
        return reason;
    }
}
