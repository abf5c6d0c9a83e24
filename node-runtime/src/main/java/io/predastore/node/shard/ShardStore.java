package io.predastore.node.shard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where a node keeps shards. Implemented locally by the segment store and, for other nodes, by the shard
 * transports, so the distributed backend reads and writes local and remote shards the same way.
 *
 * <p>Thread-safe. A missing shard is {@link NoSuchShardException}; bytes that fail their checksum are
 * {@link ShardCorruptException}, never returned; a shard refused for lack of space is
 * {@link io.predastore.node.disk.StorageFullException}.
 */
public interface ShardStore extends AutoCloseable {

    /** Starts writing a shard; committing replaces any shard with the same id. */
    ShardWriter create(ShardId id) throws IOException;

    /**
     * Reads {@code length} bytes from {@code offset} of a committed shard. The stream throws
     * {@link ShardCorruptException} rather than return bytes that fail verification.
     */
    InputStream open(ShardId id, long offset, long length) throws IOException;

    /** The shard's record, or empty if it is absent. */
    Optional<ShardInfo> stat(ShardId id) throws IOException;

    /** Deletes a shard; false if it was absent. */
    boolean delete(ShardId id) throws IOException;

    /**
     * Whether this store refuses new shards because free space on its disk is below the node's reserve (then
     * {@link #create} and writes fail with {@link io.predastore.node.disk.StorageFullException}; deletes still
     * work). Cheap: no I/O beyond an occasional {@code statfs}. A remote store answers as of its last ping.
     */
    default boolean belowReserve() {
        return false;
    }

    @Override
    void close() throws IOException;
}
