package io.predastore.protocol.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the shards of one object live and whether it can be read ({@code GET /admin/v1/placement}).
 *
 * <p>{@link #health()} and {@link #readable()} are computed from the segments (see {@link PlacementHealth}): the
 * segment with the fewest shards present decides. They are written to JSON and ignored when read.
 *
 * @param bucket bucket name
 * @param key object key
 * @param size object size in bytes
 * @param dataShards data shards per segment (k)
 * @param parityShards parity shards per segment (m)
 * @param segments the object's segments in order; empty for a small object, which the cluster keeps whole in its
 *     metadata on every node instead of in shards
 */
@JsonIgnoreProperties(value = {"health", "readable"}, allowGetters = true)
@JsonPropertyOrder({"bucket", "key", "size", "dataShards", "parityShards", "segments", "health", "readable"})
public record ObjectPlacement(String bucket, String key, long size, int dataShards, int parityShards,
        List<SegmentPlacement> segments) {
    public ObjectPlacement {
        Checks.nonBlank(bucket, "bucket");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        Checks.nonNegative(size, "size");
        if (dataShards < 1 || parityShards < 0) {
            throw new IllegalArgumentException("Need at least 1 data shard and no negative parity shards, not "
                    + dataShards + "+" + parityShards);
        }
        segments = Checks.list(segments, "segments");
        int total = dataShards + parityShards;
        for (SegmentPlacement s : segments) {
            Set<Integer> seen = new HashSet<>();
            for (ShardPlacement shard : s.shards()) {
                if (shard.index() >= total) {
                    throw new IllegalArgumentException("Segment " + s.objectId() + " has shard index "
                            + shard.index() + " but only " + total + " shards per segment");
                }
                if (shard.parity() != (shard.index() >= dataShards)) {
                    throw new IllegalArgumentException("Shard " + shard.index() + " of segment " + s.objectId()
                            + " is a " + (shard.index() >= dataShards ? "parity" : "data") + " shard");
                }
                if (!seen.add(shard.index())) {
                    throw new IllegalArgumentException("Segment " + s.objectId() + " lists shard "
                            + shard.index() + " twice");
                }
            }
        }
    }

    /** The verdict of the worst segment. */
    public PlacementHealth placementHealth() {
        if (segments.isEmpty()) {
            return new PlacementHealth(true, "readable, kept whole in the cluster metadata (small object, no shards)");
        }
        int total = dataShards + parityShards;
        int worstMissing = 0;
        for (SegmentPlacement s : segments) {
            worstMissing = Math.max(worstMissing, total - s.presentShards());
        }
        return PlacementHealth.of(dataShards, parityShards, worstMissing);
    }

    /** A one-line verdict, e.g. {@code "readable, 1 shard missing, 1 more loss tolerated"}. */
    @JsonProperty("health")
    public String health() {
        return placementHealth().verdict();
    }

    /** Whether every segment has at least {@code dataShards} shards present. */
    @JsonProperty("readable")
    public boolean readable() {
        return placementHealth().readable();
    }
}
