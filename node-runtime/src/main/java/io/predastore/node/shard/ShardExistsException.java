package io.predastore.node.shard;

import java.io.IOException;

/**
 * A shard with this id is already stored. Shards are never rewritten in place: a new version of an object gets a
 * new id, so an existing id can only be a retry, a leftover or a forgery, none of which may replace what is there.
 */
public final class ShardExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public ShardExistsException(ShardId id) {
        super("shard " + id.index() + " of " + id.objectId() + " already exists on this node and is never rewritten;"
                + " a new version of the data needs a new id");
    }

    /** As received from another node, whose message says which shard and why. */
    public ShardExistsException(String message) {
        super(message);
    }
}
