package io.predastore.protocol.admin;

import java.util.List;

/**
 * One erasure-coded segment of an object and its shards.
 *
 * @param objectId the segment's storage id
 * @param length bytes of object data in the segment
 * @param shards its shards by index; a shard not listed counts as missing
 */
public record SegmentPlacement(String objectId, long length, List<ShardPlacement> shards) {
    public SegmentPlacement {
        Checks.nonBlank(objectId, "objectId");
        Checks.nonNegative(length, "length");
        shards = Checks.list(shards, "shards");
    }

    /** Number of shards in state PRESENT. */
    public int presentShards() {
        int n = 0;
        for (ShardPlacement s : shards) {
            if (s.state() == ShardState.PRESENT) {
                n++;
            }
        }
        return n;
    }
}
