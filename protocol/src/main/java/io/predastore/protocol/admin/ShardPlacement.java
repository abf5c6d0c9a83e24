package io.predastore.protocol.admin;

import java.util.Objects;

/**
 * Where one shard of a segment lives.
 *
 * @param index shard index: 0 to dataShards-1 are data, the rest parity
 * @param parity whether this is a parity shard
 * @param nodeId the node that should hold it; null exactly when the shard was never written
 * @param state what that node reports, or {@link ShardState#NOT_WRITTEN}
 */
public record ShardPlacement(int index, boolean parity, String nodeId, ShardState state) {
    public ShardPlacement {
        if (index < 0) {
            throw new IllegalArgumentException("Shard index must not be negative, not " + index);
        }
        Objects.requireNonNull(state, "state");
        if (state == ShardState.NOT_WRITTEN) {
            if (nodeId != null) {
                throw new IllegalArgumentException("A shard never written has no node, not " + nodeId);
            }
        } else {
            Checks.nonBlank(nodeId, "nodeId");
        }
    }

    /** A shard that was never written (its node was down; recorded for repair). */
    public static ShardPlacement notWritten(int index, boolean parity) {
        return new ShardPlacement(index, parity, null, ShardState.NOT_WRITTEN);
    }
}
