package io.predastore.protocol.admin;

/**
 * An object one more loss (or none) away from being unreadable: its worst segment has at most {@code dataShards}
 * healthy shards.
 *
 * @param bucket        its bucket
 * @param key           its key
 * @param size          its size in bytes
 * @param healthyShards healthy shards of its worst segment
 * @param totalShards   shards that segment is written with ({@code dataShards + parityShards})
 */
public record AtRiskObject(String bucket, String key, long size, int healthyShards, int totalShards) {
    public AtRiskObject {
        Checks.nonBlank(bucket, "bucket");
        Checks.nonBlank(key, "key");
        Checks.nonNegative(size, "size");
        Checks.nonNegative(healthyShards, "healthyShards");
        Checks.nonNegative(totalShards, "totalShards");
    }
}
