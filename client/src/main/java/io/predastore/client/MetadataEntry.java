package io.predastore.client;

import java.util.Objects;

/** One key and value of a metadata table, as the admin API's scan returns them. Arrays are owned by the caller. */
public record MetadataEntry(byte[] key, byte[] value) {
    public MetadataEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
