package io.predastore.node.store.cluster;

import io.predastore.node.erasure.StripeLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * The shards of one erasure-coded byte stream (a whole object, or one part of a multipart object): shard {@code i}
 * is stored under {@code (objectId, i)} on node {@code nodes[i]}.
 *
 * @param objectId cluster-unique id of this stream of bytes
 * @param length exact number of object bytes (shards are padded to whole stripes)
 * @param nodes node id of each shard, data shards first; length {@code dataShards + parityShards}; {@link #MISSING}
 *     for a shard that was not written (its node was down and the write quorum allowed it; recorded for repair)
 */
public record ShardSet(String objectId, long length, int dataShards, int parityShards, int chunkSize, int[] nodes) {
    /** The node id of a shard that was never written. Node ids start at 1. */
    public static final int MISSING = 0;

    public ShardSet {
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.length != dataShards + parityShards) {
            throw new IllegalArgumentException("expected " + (dataShards + parityShards) + " nodes, got "
                    + nodes.length);
        }
        nodes = nodes.clone();
    }

    /** The stripe geometry these shards were written with. */
    public StripeLayout layout() {
        return new StripeLayout(dataShards, parityShards, chunkSize);
    }

    @Override
    public int[] nodes() {
        return nodes.clone();
    }

    /** The node holding shard {@code index}, or {@link #MISSING}. */
    public int node(int index) {
        return nodes[index];
    }

    /** Whether shard {@code index} was never written. */
    public boolean isMissing(int index) {
        return nodes[index] == MISSING;
    }

    /** The indexes of the shards never written, ascending; empty for a fully written set. */
    public int[] missing() {
        return java.util.stream.IntStream.range(0, nodes.length).filter(this::isMissing).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardSet s && s.objectId.equals(objectId) && s.length == length
                && s.dataShards == dataShards && s.parityShards == parityShards && s.chunkSize == chunkSize
                && Arrays.equals(s.nodes, nodes);
    }

    @Override
    public int hashCode() {
        return objectId.hashCode() * 31 + Arrays.hashCode(nodes);
    }

    @Override
    public String toString() {
        return "ShardSet[" + objectId + ", " + length + " bytes, RS(" + dataShards + "," + parityShards + ") on "
                + Arrays.toString(nodes) + "]";
    }
}
