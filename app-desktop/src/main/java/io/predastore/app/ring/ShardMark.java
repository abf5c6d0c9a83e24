package io.predastore.app.ring;

import io.predastore.protocol.admin.ShardState;

/**
 * One shard of the shown object: label {@code D0..Dk-1} for data, {@code P0..Pm-1} for parity.
 *
 * @param label  the label
 * @param index  the shard's index in its segment
 * @param parity whether it is a parity shard
 * @param nodeId the node holding it ({@code node-N})
 * @param state  whether it is there
 */
public record ShardMark(String label, int index, boolean parity, String nodeId, ShardState state) {
    /** PRESENT shards are fine; missing, unreachable or corrupt ones are drawn red. */
    public boolean ok() {
        return state == ShardState.PRESENT;
    }
}
