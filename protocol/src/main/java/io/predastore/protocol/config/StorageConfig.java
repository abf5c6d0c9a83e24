package io.predastore.protocol.config;

/**
 * The free space every node keeps for the writes that free space ({@code [storage]} in the cluster file; the
 * table and its key are optional). Below it a node refuses new data and the cluster answers writes with
 * {@code 507 StorageFull} until space is freed; reads, deletes and aborts go on.
 *
 * @param reserveBytes free bytes each node keeps on the file system of its data directory, or null for the
 *                     default: 5% of that file system, at least 64 MiB and at most 1 GiB
 */
public record StorageConfig(Long reserveBytes) {
    /** Lowest accepted {@code reserve_bytes}: less cannot hold even a small RocksDB flush. */
    public static final long MIN_RESERVE_BYTES = 4L << 20;
    /** The default reserve, sized from each node's file system. */
    public static final StorageConfig DEFAULTS = new StorageConfig(null);

    public StorageConfig {
        if (reserveBytes != null && reserveBytes < MIN_RESERVE_BYTES) {
            throw ClusterConfigException.invalid("storage.reserve_bytes", Long.toString(reserveBytes),
                    "must be at least " + MIN_RESERVE_BYTES + " (4 MiB); leave it out for the default");
        }
    }
}
