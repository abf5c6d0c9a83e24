package io.predastore.app.health;

import io.predastore.protocol.admin.BucketProtection;
import io.predastore.protocol.admin.ProtectionCounts;
import java.util.Comparator;

/**
 * One bucket in the health screen: its objects by protection class.
 *
 * @param bucket     the bucket
 * @param objects    its objects
 * @param bytes      their total size
 * @param full       objects with every shard healthy
 * @param degraded   objects lacking shards, more than one loss from unreadable
 * @param atRisk     objects one more lost shard makes unreadable
 * @param unreadable objects with fewer healthy shards than data shards
 */
public record BucketHealthRow(String bucket, long objects, long bytes, long full, long degraded, long atRisk,
        long unreadable) {
    /** Worst first: most unreadable, then most at risk, then most degraded; then by name. */
    static final Comparator<BucketHealthRow> WORST_FIRST = Comparator.comparingLong(BucketHealthRow::unreadable)
            .thenComparingLong(BucketHealthRow::atRisk).thenComparingLong(BucketHealthRow::degraded).reversed()
            .thenComparing(BucketHealthRow::bucket);

    /** The row of a bucket of a cluster with {@code parityShards} parity shards. */
    static BucketHealthRow of(BucketProtection b, int parityShards) {
        ProtectionCounts c = b.counts();
        return new BucketHealthRow(b.bucket(), c.objects(), c.bytes(), c.full(), c.degraded(parityShards),
                c.atRisk(parityShards), c.unreadable(parityShards));
    }
}
