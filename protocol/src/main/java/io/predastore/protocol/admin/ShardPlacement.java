package io.predastore.protocol.admin;

import java.util.Objects;

/**
 * Where one shard of a segment lives.
 *
 * @param index shard index: 0 to dataShards-1 are data, the rest parity
 * @param parity whether this is a parity shard
 * @param nodeId the node that should hold it
 * @param state what that node reports
 */
public record ShardPlacement(int index, boolean parity, String nodeId, ShardState state) {
    public ShardPlacement {
        if (index < 0) {
            throw new IllegalArgumentException("Shard index must not be negative, not " + index);
        }
        Checks.nonBlank(nodeId, "nodeId");
        Objects.requireNonNull(state, "state");
    }
}
