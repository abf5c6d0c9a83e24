package io.predastore.node.it;

import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Changes shards on a stopped node's disk through the node's own segment store code, so that everything the node
 * checks itself (chunk frame, shard and commit checksums, the index entry) still matches: what a faulty node, or
 * someone who can write its disk, could do. Only the checksums the gateway recorded can tell.
 */
final class ShardSurgery implements AutoCloseable {
    private final SegmentShardStore store;

    /** Opens the shard store of a stopped node. */
    ShardSurgery(Path nodeDataDir) throws IOException {
        this.store = SegmentShardStore.open(nodeDataDir.resolve("shards"));
    }

    /** The shard's bytes. */
    byte[] read(String objectId, int index) throws IOException {
        ShardId id = new ShardId(objectId, index);
        ShardInfo info = store.stat(id).orElseThrow(() -> new IOException("no shard " + id + " on this node"));
        try (InputStream in = store.open(id, 0, info.length())) {
            return in.readAllBytes();
        }
    }

    /** Rewrites the shard with the byte at {@code at} changed; returns the original bytes. */
    byte[] flip(String objectId, int index, long at) throws IOException {
        byte[] original = read(objectId, index);
        byte[] changed = original.clone();
        changed[Math.toIntExact(at)] ^= 0x5A;
        store.delete(new ShardId(objectId, index)); // the store never rewrites an id; a faulty disk does
        ShardWriter w = store.create(new ShardId(objectId, index));
        w.write(ByteBuffer.wrap(changed));
        w.commit();
        return original;
    }

    /** Deletes the shard. */
    void delete(String objectId, int index) throws IOException {
        store.delete(new ShardId(objectId, index));
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
