package io.predastore.protocol.admin;

/**
 * One draining node in a {@link RebalanceProgress}: how much of the cluster's data still references it. The
 * membership layer removes the node only once {@link #drained()} holds.
 *
 * @param nodeId       node id, e.g. {@code node-4}
 * @param shardsLeft   shards on it that some object record or some part of a multipart upload in progress still
 *                     names, whether or not they can be moved now
 * @param uploadShards of those, the shards of parts of uploads in progress (moved off like the others, or deleted
 *                     when their upload is aborted)
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
     * What is left, as the CLI and the app show it: {@code 37 shards left}, with how many of them are in uploads in
     * progress, or {@code drained, leaving}.
     */
    public String progress() {
        if (drained()) {
            return "drained, leaving";
        }
        String left = shardsLeft + (shardsLeft == 1 ? " shard" : " shards") + " left";
        return uploadShards == 0 ? left : left + " (" + uploadShards + " in parts of multipart uploads in progress)";
    }

    /** Whether no record or upload part names a shard on the node any more, as of the pass. */
    public boolean drained() {
        return shardsLeft == 0;
    }
}
