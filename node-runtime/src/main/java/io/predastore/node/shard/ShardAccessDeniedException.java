package io.predastore.node.shard;

import java.io.IOException;

/**
 * A node refused a shard request from another node: the requesting node's certificate does not entitle it to do
 * that with that shard (it is not the shard's writer, or the metadata record the request named does not list the
 * shard on the refusing node). Not retried: the same request would be refused again.
 */
public final class ShardAccessDeniedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ShardAccessDeniedException(String message) {
        super(message);
    }
}
