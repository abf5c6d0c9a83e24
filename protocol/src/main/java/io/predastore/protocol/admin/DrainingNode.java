package io.predastore.protocol.admin;

/**
 * One draining node in a {@link RebalanceProgress}: how much of the cluster's data still references it. The
 * membership layer removes the node only once {@link #drained()} holds.
 *
 * @param nodeId       node id, e.g. {@code node-4}
 * @param shardsLeft   shards on it that some object record or some part of a multipart upload in progress still
 *                     names, whether or not they can be moved now
 * @param uploadShards of those, the shards of parts of uploads in progress (they leave when the upload is completed,
 *                     and then moved, or aborted)
 */
public record DrainingNode(String nodeId, long shardsLeft, long uploadShards) {
    public DrainingNode {
        Checks.nonBlank(nodeId, "nodeId");
        Checks.nonNegative(shardsLeft, "shardsLeft");
        Checks.nonNegative(uploadShards, "uploadShards");
        if (uploadShards > shardsLeft) {
            throw new IllegalArgumentException("uploadShards " + uploadShards + " exceeds shardsLeft " + shardsLeft);
        }
    }

    /**
     * What is left, as the CLI and the app show it: {@code 37 shards left}, with the shards of uploads in progress
     * and what they wait for, or {@code drained, leaving}.
     */
    public String progress() {
        if (drained()) {
            return "drained, leaving";
        }
        String left = shardsLeft + (shardsLeft == 1 ? " shard" : " shards") + " left";
        return uploadShards == 0 ? left : left + " (" + uploadShards + " in multipart uploads in progress, which wait"
                + " until those uploads are completed or aborted)";
    }

    /** Whether no record or upload part names a shard on the node any more, as of the pass. */
    public boolean drained() {
        return shardsLeft == 0;
    }
}
