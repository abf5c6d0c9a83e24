package io.predastore.node.meta;

import java.util.Objects;

/** One key and its value, as returned by a scan. Arrays are owned by the caller. */
public record MetaEntry(byte[] key, byte[] value) {
    public MetaEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
