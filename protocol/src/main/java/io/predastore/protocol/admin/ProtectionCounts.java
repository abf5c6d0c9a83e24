package io.predastore.protocol.admin;

import java.util.List;

/**
 * How many objects (and bytes) have how many healthy shards, for a cluster or one bucket. An object is counted by
 * its worst segment: element {@code i} of the lists counts objects that lack {@code i} shards of the
 * {@code dataShards + parityShards} their sets are written with (a shard is lacking when it was never written, is
 * on a node that is down or declared lost, is absent from its node, or was found corrupt).
 *
 * @param objects         objects counted
 * @param bytes           their total size
 * @param objectsByMissing objects by shards lacking, index 0 (full protection) to {@code dataShards + parityShards}
 * @param bytesByMissing  the same, in bytes of object size
 */
public record ProtectionCounts(long objects, long bytes, List<Long> objectsByMissing, List<Long> bytesByMissing) {
    public ProtectionCounts {
        Checks.nonNegative(objects, "objects");
        Checks.nonNegative(bytes, "bytes");
        objectsByMissing = Checks.list(objectsByMissing, "objectsByMissing");
        bytesByMissing = Checks.list(bytesByMissing, "bytesByMissing");
        if (objectsByMissing.size() != bytesByMissing.size()) {
            throw new IllegalArgumentException("objectsByMissing and bytesByMissing differ in length");
        }
    }

    /** Counts of nothing, for a set width of {@code width} shards. */
    public static ProtectionCounts empty(int width) {
        List<Long> zeros = java.util.Collections.nCopies(width + 1, 0L);
        return new ProtectionCounts(0, 0, zeros, zeros);
    }

    /** Objects with every shard healthy. */
    public long full() {
        return at(objectsByMissing, 0, 0);
    }

    /** Objects lacking at least one shard but fewer than {@code parityShards}: still one loss or more away from risk. */
    public long degraded(int parityShards) {
        return at(objectsByMissing, 1, parityShards - 1);
    }

    /** Objects with exactly as many healthy shards as data shards: one more loss makes them unreadable. */
    public long atRisk(int parityShards) {
        return parityShards == 0 ? 0 : at(objectsByMissing, parityShards, parityShards);
    }

    /** Objects with fewer healthy shards than data shards. */
    public long unreadable(int parityShards) {
        return at(objectsByMissing, parityShards + 1, objectsByMissing.size() - 1);
    }

    /** The same four classes in bytes: full, degraded, at risk, unreadable. */
    public long[] bytesByClass(int parityShards) {
        return new long[] {at(bytesByMissing, 0, 0), at(bytesByMissing, 1, parityShards - 1),
            parityShards == 0 ? 0 : at(bytesByMissing, parityShards, parityShards),
            at(bytesByMissing, parityShards + 1, bytesByMissing.size() - 1)};
    }

    private static long at(List<Long> values, int from, int to) {
        long sum = 0;
        for (int i = Math.max(0, from); i <= to && i < values.size(); i++) {
            sum += values.get(i);
        }
        return sum;
    }
}
