package io.predastore.node.store.cluster;

import io.predastore.node.store.RecordIo;
import io.predastore.node.store.meta.LocationCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * How the distributed backend writes one shard set inside its records: the location of a stretch of object bytes
 * in the shared object and part records ({@link io.predastore.node.store.meta.RecordCodec}), and the sets its
 * tombstones and repair entries name ({@link ClusterRecords}).
 *
 * <pre>
 * set  = objectId (string) | length (long) | dataShards (u8) | parityShards (u8) | chunkSize (int)
 *        | node (int) * (dataShards + parityShards) [| crcs]
 * crcs = 0                                                   -- none
 *      | 1 | crc32c (u32) * stripes * (dataShards + parityShards)   -- stripe by stripe
 * </pre>
 *
 * The {@code crcs} part is present in every record this release writes and absent from records written before
 * chunk checksums were kept ({@link ShardSet#chunkCrcs()}); the checksum count follows from the set's length,
 * chunk size and shard counts. Stateless and thread-safe.
 */
final class ShardSetCodec implements LocationCodec<ShardSet> {
    /** Shard sets with their chunk checksums: how this release writes every set. */
    static final ShardSetCodec WITH_CRCS = new ShardSetCodec();

    /** The fewest bytes a set without checksums takes: empty id, length, counts, chunk size and one node. */
    static final int MIN_BYTES_WITHOUT_CRCS = 4 + 8 + 1 + 1 + 4 + 4;
    /** The fewest bytes a set with its checksum kind takes: as above, then the kind "none". */
    static final int MIN_BYTES_WITH_CRCS = MIN_BYTES_WITHOUT_CRCS + 1;

    private static final int CRC_NONE = 0;
    private static final int CRC32C = 1;

    private ShardSetCodec() {
    }

    @Override
    public void write(DataOutputStream out, ShardSet set) throws IOException {
        write(out, set, true);
    }

    @Override
    public ShardSet read(DataInputStream in) throws IOException {
        return read(in, true);
    }

    @Override
    public int minBytes() {
        return MIN_BYTES_WITH_CRCS;
    }

    /** Writes {@code s}, with its chunk checksums unless {@code withCrcs} is false (the older layout). */
    static void write(DataOutputStream out, ShardSet s, boolean withCrcs) throws IOException {
        RecordIo.writeString(out, s.objectId());
        out.writeLong(s.length());
        out.writeByte(s.dataShards());
        out.writeByte(s.parityShards());
        out.writeInt(s.chunkSize());
        for (int node : s.nodes()) {
            out.writeInt(node);
        }
        if (!withCrcs) {
            return;
        }
        int[] crcs = s.chunkCrcs();
        out.writeByte(crcs == null ? CRC_NONE : CRC32C);
        if (crcs != null) {
            for (int crc : crcs) {
                out.writeInt(crc);
            }
        }
    }

    /**
     * Reads a set {@link #write} wrote with the same {@code withCrcs}.
     *
     * @throws IOException if the set is cut short or damaged (never another exception, and nothing is allocated
     *     for a length or count the remaining bytes cannot hold)
     */
    static ShardSet read(DataInputStream in, boolean withCrcs) throws IOException {
        String id = RecordIo.readString(in);
        long length = in.readLong();
        int k = in.readUnsignedByte();
        int m = in.readUnsignedByte();
        int chunk = in.readInt();
        if (id == null || length < 0 || chunk < 1 || k < 1) {
            throw new IOException("damaged shard set " + id + ": length " + length + ", chunk size " + chunk
                    + ", " + k + " data shards");
        }
        RecordIo.requireRemaining(in, 4L * (k + m), "shard nodes");
        int[] nodes = new int[k + m];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = in.readInt();
        }
        int[] crcs = withCrcs ? readCrcs(in, id, length, k, m, chunk) : null;
        try {
            return new ShardSet(id, length, k, m, chunk, nodes, crcs);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged shard set " + id + ": " + e.getMessage(), e);
        }
    }

    private static int[] readCrcs(DataInputStream in, String id, long length, int k, int m, int chunk)
            throws IOException {
        int kind = in.readUnsignedByte();
        if (kind == CRC_NONE) {
            return null;
        }
        if (kind != CRC32C) {
            throw new IOException("shard set " + id + ": unknown chunk checksum kind " + kind);
        }
        long stripeBytes = (long) k * chunk;
        // Divided before rounding up, so that no length, however damaged, overflows the count.
        long stripes = length / stripeBytes + (length % stripeBytes == 0 ? 0 : 1);
        if (stripes > Integer.MAX_VALUE) {
            throw new IOException("damaged shard set " + id + ": " + stripes + " stripes of checksums");
        }
        long count = stripes * (k + m);
        RecordIo.requireRemaining(in, 4 * count, "chunk checksums");
        int[] crcs = new int[(int) count];
        for (int i = 0; i < crcs.length; i++) {
            crcs[i] = in.readInt();
        }
        return crcs;
    }
}
