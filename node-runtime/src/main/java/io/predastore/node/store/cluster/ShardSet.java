package io.predastore.node.store.cluster;

import io.predastore.node.erasure.StripeLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * The shards of one erasure-coded byte stream (a whole object, or one part of a multipart object): shard {@code i}
 * is stored under {@code (objectId, i)} on node {@code nodes[i]}.
 *
 * <p>A set written by this release also carries the CRC32C of every chunk of every shard as the writing gateway
 * encoded it ({@link #chunkCrcs()}), so that a read can check each chunk a shard server returns against what was
 * sent to it, whatever that server (or its disk) did since. Sets written before carry none ({@code null}).
 *
 * @param objectId cluster-unique id of this stream of bytes
 * @param length exact number of object bytes (shards are padded to whole stripes)
 * @param nodes node id of each shard, data shards first; length {@code dataShards + parityShards}; {@link #MISSING}
 *     for a shard that was not written (its node was down and the write quorum allowed it; recorded for repair)
 * @param chunkCrcs the CRC32C of chunk {@code s} of shard {@code i} at {@code s * (dataShards + parityShards) + i}
 *     (stripe by stripe), for every stripe, or null for a set written without them
 */
public record ShardSet(String objectId, long length, int dataShards, int parityShards, int chunkSize, int[] nodes,
        int[] chunkCrcs) {
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
        if (chunkCrcs != null) {
            long expected = new StripeLayout(dataShards, parityShards, chunkSize).stripeCount(length) * nodes.length;
            if (chunkCrcs.length != expected) {
                throw new IllegalArgumentException("expected " + expected + " chunk checksums for " + length
                        + " bytes in RS(" + dataShards + "," + parityShards + ") with " + chunkSize
                        + "-byte chunks, got " + chunkCrcs.length);
            }
            chunkCrcs = chunkCrcs.clone();
        }
    }

    /** A set without chunk checksums (as written before they were recorded). */
    public ShardSet(String objectId, long length, int dataShards, int parityShards, int chunkSize, int[] nodes) {
        this(objectId, length, dataShards, parityShards, chunkSize, nodes, null);
    }

    /** The stripe geometry these shards were written with. */
    public StripeLayout layout() {
        return new StripeLayout(dataShards, parityShards, chunkSize);
    }

    @Override
    public int[] nodes() {
        return nodes.clone();
    }

    @Override
    public int[] chunkCrcs() {
        return chunkCrcs == null ? null : chunkCrcs.clone();
    }

    /** Whether the set records the checksum of every chunk. */
    public boolean hasChunkCrcs() {
        return chunkCrcs != null;
    }

    /**
     * The CRC32C of stripe {@code stripe}'s chunk of shard {@code index}.
     *
     * @throws IllegalStateException if the set has no chunk checksums
     */
    public int chunkCrc(int index, long stripe) {
        if (chunkCrcs == null) {
            throw new IllegalStateException("shard set " + objectId + " was written without chunk checksums");
        }
        return chunkCrcs[Math.toIntExact(stripe * nodes.length + index)];
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

    /** This set with other nodes (same shards, same checksums). */
    public ShardSet withNodes(int[] newNodes) {
        return new ShardSet(objectId, length, dataShards, parityShards, chunkSize, newNodes, chunkCrcs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardSet s && s.objectId.equals(objectId) && s.length == length
                && s.dataShards == dataShards && s.parityShards == parityShards && s.chunkSize == chunkSize
                && Arrays.equals(s.nodes, nodes) && Arrays.equals(s.chunkCrcs, chunkCrcs);
    }

    @Override
    public int hashCode() {
        return objectId.hashCode() * 31 + Arrays.hashCode(nodes);
    }

    @Override
    public String toString() {
        return "ShardSet[" + objectId + ", " + length + " bytes, RS(" + dataShards + "," + parityShards + ") on "
                + Arrays.toString(nodes) + (chunkCrcs == null ? ", no chunk checksums" : "") + "]";
    }
}
