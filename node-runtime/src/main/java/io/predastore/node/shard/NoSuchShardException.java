package io.predastore.node.shard;

import java.io.IOException;

/** The shard is not stored on that node. */
public final class NoSuchShardException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoSuchShardException(ShardId id) {
        super("no shard " + id.index() + " of " + id.objectId() + " on this node");
    }
}
