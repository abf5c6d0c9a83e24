package io.predastore.node.store;

import java.time.Instant;
import java.util.Objects;

/** A bucket's record: its name, creation time and region. */
public record BucketInfo(String name, Instant created, String region) {
    public BucketInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(region, "region");
    }
}
