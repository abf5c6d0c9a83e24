package io.predastore.node.shard;

import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a node keeps shards. Implemented locally by the segment store and, for other nodes, by the shard
 * transports, so the distributed backend reads and writes local and remote shards the same way.
 *
 * <p>Thread-safe. A missing shard is {@link NoSuchShardException}; bytes that fail their checksum are
 * {@link ShardCorruptException}, never returned; a shard refused for lack of space is
 * {@link io.predastore.node.disk.StorageFullException}; creating a shard whose id exists is
 * {@link ShardExistsException} (shards are never rewritten in place).
 *
 * <p>Each operation has a variant that carries a {@link ShardWarrant}: the metadata record that entitles the
 * request. A local store ignores it (its own node needs no permission); a remote store sends it, and the node that
 * serves the request checks it before it reaches that node's own store.
 */
public interface ShardStore extends AutoCloseable {

    /**
     * Starts writing a new shard. Fails with {@link ShardExistsException} when the id exists, at once or (if it
     * appears meanwhile) at commit, which then leaves the existing shard as it was.
     */
    ShardWriter create(ShardId id) throws IOException;

    /** {@link #create(ShardId)}, entitled by {@code warrant}. */
    default ShardWriter create(ShardId id, ShardWarrant warrant) throws IOException {
        return create(id);
    }

    /**
     * Reads {@code length} bytes from {@code offset} of a committed shard. The stream throws
     * {@link ShardCorruptException} rather than return bytes that fail verification.
     */
    InputStream open(ShardId id, long offset, long length) throws IOException;

    /** {@link #open(ShardId, long, long)}, entitled by {@code warrant}. */
    default InputStream open(ShardId id, long offset, long length, ShardWarrant warrant) throws IOException {
        return open(id, offset, length);
    }

    /** The shard's record, or empty if it is absent. */
    Optional<ShardInfo> stat(ShardId id) throws IOException;

    /** {@link #stat(ShardId)}, entitled by {@code warrant}. */
    default Optional<ShardInfo> stat(ShardId id, ShardWarrant warrant) throws IOException {
        return stat(id);
    }

    /** The most shards one {@link #statAll} call may name (one request over the transport). */
    int MAX_STAT_BATCH = io.predastore.protocol.shard.ShardFrameCodec.MAX_STAT_BATCH;

    /**
     * The record of each of {@code ids} (empty where the shard is absent), in the same order: presence and length
     * only, never bytes. A remote store asks for all of them in one round trip, which its node answers only to the
     * node that runs the protection pass (the metadata leader); this default asks one at a time.
     *
     * @param ids at most {@link #MAX_STAT_BATCH} shards
     * @throws IllegalArgumentException if there are more
     */
    default List<Optional<ShardInfo>> statAll(List<ShardId> ids) throws IOException {
        if (ids.size() > MAX_STAT_BATCH) {
            throw new IllegalArgumentException("statAll takes at most " + MAX_STAT_BATCH + " shards, not "
                    + ids.size() + "; split the batch");
        }
        List<Optional<ShardInfo>> out = new ArrayList<>(ids.size());
        for (ShardId id : ids) {
            out.add(stat(id));
        }
        return out;
    }

    /** Deletes a shard; false if it was absent. */
    boolean delete(ShardId id) throws IOException;

    /** {@link #delete(ShardId)}, entitled by {@code warrant}. */
    default boolean delete(ShardId id, ShardWarrant warrant) throws IOException {
        return delete(id);
    }

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
