package io.predastore.protocol.admin;

import java.util.Objects;

/**
 * The protection of one bucket's objects.
 *
 * @param bucket the bucket's name
 * @param counts its objects by shards lacking
 */
public record BucketProtection(String bucket, ProtectionCounts counts) {
    public BucketProtection {
        Checks.nonBlank(bucket, "bucket");
        Objects.requireNonNull(counts, "counts");
    }
}
