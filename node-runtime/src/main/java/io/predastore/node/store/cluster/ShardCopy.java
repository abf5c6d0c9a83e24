package io.predastore.node.store.cluster;

import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardWriter;
import io.predastore.node.store.MetaKeys;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Copies one healthy shard, byte for byte, from the node that holds it to another: how the rebalancer moves a
 * shard. A copy reads one shard's bytes; rebuilding it by decoding would read k shards' worth (the whole object) to
 * write the same bytes, so the copy is k times cheaper on the disks and the network, which matters when a new node
 * takes a sixth of every object. Each chunk read is checked against the CRC32C the writer recorded in the set (when
 * it has them) before it is written, so a copy never spreads a corrupt shard: it fails instead, and the caller falls
 * back to rebuilding the shard from the set's other shards. Both ends act under the set's repair entry (reads need
 * the entry to list the shard on the source, writes need it to list the shard as moved), so the shard servers'
 * access rules need nothing new. Memory is one chunk. Stateless: one call per shard.
 */
final class ShardCopy {
    private ShardCopy() {
    }

    /**
     * Copies shard {@code index} of {@code set} from its node to {@code target} and commits it there; on any failure
     * nothing is left committed on the target.
     *
     * @param pace the repair engine's pace, which the copy's reads take their bytes from
     * @throws IOException if either node fails, or a chunk does not match its recorded checksum
     */
    static void copy(ShardRouter router, Pace pace, ShardSet set, int index, int target) throws IOException {
        ShardId id = new ShardId(set.objectId(), index);
        ShardWarrant warrant = ShardWarrant.of(ShardWarrant.Kind.REPAIR, MetaKeys.utf8(set.objectId()));
        long length = set.layout().shardLength(set.length());
        int chunk = set.chunkSize();
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[chunk];
        try (InputStream in = pace.paced(router.store(set.node(index)).open(id, 0, length, warrant));
                ShardWriter out = router.store(target).create(id, warrant)) {
            for (long stripe = 0; stripe * chunk < length; stripe++) {
                int n = in.readNBytes(buf, 0, chunk);
                if (n != chunk) {
                    throw new IOException("shard " + index + " of " + set.objectId() + " on node " + set.node(index)
                            + " ended after " + (stripe * chunk + n) + " of " + length + " bytes");
                }
                if (set.hasChunkCrcs()) {
                    crc.reset();
                    crc.update(buf, 0, n);
                    if ((int) crc.getValue() != set.chunkCrc(index, stripe)) {
                        throw new IOException("chunk " + stripe + " of shard " + index + " of " + set.objectId()
                                + " on node " + set.node(index) + " does not match its recorded checksum");
                    }
                }
                out.write(ByteBuffer.wrap(buf, 0, n));
            }
            out.commit();
        } catch (IOException e) {
            throw new IOException("copying shard " + index + " of " + set.objectId() + " from node "
                    + set.node(index) + " to node " + target + " failed: " + e.getMessage(), e);
        }
    }
}
