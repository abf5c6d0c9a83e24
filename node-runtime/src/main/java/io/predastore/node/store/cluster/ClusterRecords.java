package io.predastore.node.store.cluster;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.RecordIo;
import io.predastore.node.store.meta.ObjectHeader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The versioned binary encodings of the distributed backend's own records (each starts with a version byte), stored
 * as values of the metadata tables; bucket and upload records are the ones every backend shares
 * ({@link io.predastore.node.store.meta.BucketCodec}, {@link io.predastore.node.store.meta.UploadCodec}). Every version ever written is still read. Lengths and counts read from a
 * record are checked against the bytes left before anything is allocated for them, so a damaged record fails
 * its decode with an {@link IOException} instead of exhausting memory.
 *
 * <p>Shard sets in records of the {@code *_CRC_VERSION}s carry their chunk checksums: after the nodes, a u8
 * kind (0 none, 1 CRC32C) and, for CRC32C, one u32 per chunk of every shard, stripe by stripe
 * ({@link ShardSet#chunkCrcs()}); the count follows from the set's length, chunk size and shard counts.
 */
final class ClusterRecords {
    static final int VERSION = 1;
    /** Object records whose shard sets carry chunk checksums. */
    static final int OBJECT_CRC_VERSION = 3;
    /** Part records whose shard set carries chunk checksums. */
    static final int PART_CRC_VERSION = 2;
    /** Repair entries whose set carries chunk checksums, with the shards found corrupt. */
    static final int REPAIR_CRC_VERSION = 2;
    /** Tombstones whose shard sets carry chunk checksums. */
    static final int TOMBSTONE_CRC_VERSION = 2;

    private static final int CRC_NONE = 0;
    private static final int CRC32C = 1;
    /** The fewest bytes a shard set takes: empty id, length, counts, chunk size and one node. */
    private static final int MIN_SHARD_SET_BYTES = 4 + 8 + 1 + 1 + 4 + 4;

    private ClusterRecords() {
    }

    /**
     * An object's committed record: what S3 reports about it and where its bytes are: the shard sets holding them,
     * in order, or (for a small object) the bytes themselves, kept in the record on every node.
     *
     * @param inline the object's bytes when kept in the record (then {@code segments} is empty), else null
     */
    record StoredObject(long size, String etag, Instant lastModified, ObjectMetadata metadata, int partsCount,
            ChecksumValue checksum, List<ShardSet> segments, byte[] inline) {
        StoredObject {
            segments = List.copyOf(segments);
            if (inline != null && (!segments.isEmpty() || inline.length != size)) {
                throw new IllegalArgumentException("an inline object has no shard sets and exactly its size in bytes");
            }
        }

        /** An object stored in shard sets. */
        StoredObject(long size, String etag, Instant lastModified, ObjectMetadata metadata, int partsCount,
                ChecksumValue checksum, List<ShardSet> segments) {
            this(size, etag, lastModified, metadata, partsCount, checksum, segments, null);
        }
    }

    /** Object records with their bytes inline use this record version; readers of version 1 only refuse them. */
    static final int INLINE_OBJECT_VERSION = 2;

    /** One uploaded part and where its shards are. */
    record StoredPart(String etag, long size, Instant lastModified, ChecksumValue checksum, ShardSet shards) {
    }

    static byte[] encodeObject(StoredObject o) {
        boolean crcs = o.inline() == null;
        return RecordIo.encode(o.inline() == null ? OBJECT_CRC_VERSION : INLINE_OBJECT_VERSION, out -> {
            new ObjectHeader(o.size(), o.etag(), o.lastModified(), o.metadata(), o.partsCount(), o.checksum())
                    .write(out);
            out.writeInt(o.segments().size());
            for (ShardSet s : o.segments()) {
                writeShardSet(out, s, crcs);
            }
            if (o.inline() != null) {
                out.writeInt(o.inline().length);
                out.write(o.inline());
            }
        });
    }

    static StoredObject decodeObject(byte[] bytes) throws IOException {
        int version = version(bytes, "object", OBJECT_CRC_VERSION);
        boolean inline = version == INLINE_OBJECT_VERSION;
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "object");
        ObjectHeader header = ObjectHeader.read(in);
        long size = header.size();
        int n = RecordIo.readCount(in, MIN_SHARD_SET_BYTES, "shard sets");
        List<ShardSet> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segments.add(readShardSet(in, version == OBJECT_CRC_VERSION));
        }
        byte[] data = null;
        if (inline) {
            int length = in.readInt();
            if (length < 0 || length != size) {
                throw new IOException("object record: inline length " + length + " does not match size " + size);
            }
            RecordIo.requireRemaining(in, length, "inline object bytes");
            data = in.readNBytes(length);
            if (data.length != length) {
                throw new IOException("object record: inline bytes cut short");
            }
        }
        return new StoredObject(size, header.etag(), header.lastModified(), header.metadata(), header.partsCount(),
                header.checksum(), segments, data);
    }

    static byte[] encodePart(StoredPart p) {
        return RecordIo.encode(PART_CRC_VERSION, out -> {
            RecordIo.writeString(out, p.etag());
            out.writeLong(p.size());
            RecordIo.writeInstant(out, p.lastModified());
            RecordIo.writeChecksum(out, p.checksum());
            writeShardSet(out, p.shards(), true);
        });
    }

    static StoredPart decodePart(byte[] bytes) throws IOException {
        int version = version(bytes, "part", PART_CRC_VERSION);
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "part");
        return new StoredPart(RecordIo.readString(in), in.readLong(), RecordIo.readInstant(in),
                RecordIo.readChecksum(in), readShardSet(in, version == PART_CRC_VERSION));
    }

    /**
     * A shard set to repair, kept under the set's id: which object it was written for, when, the set itself (with
     * shards never written as {@link ShardSet#MISSING}: their nodes were down and the write quorum allowed it),
     * and the shards a read found corrupt (their chunks did not match the set's checksums), which are rebuilt in
     * place. The set may since have been replaced or deleted; a repair checks that it is still referenced.
     *
     * @param corrupt indexes of shards found corrupt on the nodes {@code set} names, ascending; may be empty
     */
    record RepairNeeded(String bucket, String key, Instant recorded, ShardSet set, List<Integer> corrupt) {
        RepairNeeded {
            corrupt = List.copyOf(new java.util.TreeSet<>(corrupt));
            for (int i : corrupt) {
                if (i < 0 || i >= set.dataShards() + set.parityShards()) {
                    throw new IllegalArgumentException("corrupt shard index " + i + " outside the set " + set);
                }
            }
        }

        /** A set written with shards missing. */
        RepairNeeded(String bucket, String key, Instant recorded, ShardSet set) {
            this(bucket, key, recorded, set, List.of());
        }
    }

    static byte[] encodeRepair(RepairNeeded r) {
        return RecordIo.encode(REPAIR_CRC_VERSION, out -> {
            RecordIo.writeString(out, r.bucket());
            RecordIo.writeString(out, r.key());
            RecordIo.writeInstant(out, r.recorded());
            writeShardSet(out, r.set(), true);
            out.writeByte(r.corrupt().size());
            for (int i : r.corrupt()) {
                out.writeByte(i);
            }
        });
    }

    static RepairNeeded decodeRepair(byte[] bytes) throws IOException {
        int version = version(bytes, "repair", REPAIR_CRC_VERSION);
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "repair");
        String bucket = RecordIo.readString(in);
        String key = RecordIo.readString(in);
        Instant recorded = RecordIo.readInstant(in);
        ShardSet set = readShardSet(in, version == REPAIR_CRC_VERSION);
        List<Integer> corrupt = new ArrayList<>();
        if (version == REPAIR_CRC_VERSION) {
            int n = in.readUnsignedByte();
            for (int i = 0; i < n; i++) {
                corrupt.add(in.readUnsignedByte());
            }
        }
        try {
            return new RepairNeeded(bucket, key, recorded, set, corrupt);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged repair entry: " + e.getMessage(), e);
        }
    }

    /** A tombstone: shard sets whose shards are to be deleted from their nodes. */
    static byte[] encodeTombstone(List<ShardSet> sets) {
        return RecordIo.encode(TOMBSTONE_CRC_VERSION, out -> {
            out.writeInt(sets.size());
            for (ShardSet s : sets) {
                writeShardSet(out, s, true);
            }
        });
    }

    static List<ShardSet> decodeTombstone(byte[] bytes) throws IOException {
        int version = version(bytes, "tombstone", TOMBSTONE_CRC_VERSION);
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "tombstone");
        int n = RecordIo.readCount(in, MIN_SHARD_SET_BYTES, "shard sets");
        List<ShardSet> sets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sets.add(readShardSet(in, version == TOMBSTONE_CRC_VERSION));
        }
        return sets;
    }

    /** The record's version byte, refusing what this build cannot read. */
    private static int version(byte[] bytes, String kind, int newest) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("empty " + kind + " record");
        }
        int version = bytes[0] & 0xFF;
        if (version < 1 || version > newest) {
            throw new IOException("Unsupported " + kind + " record version " + version + " (this build reads 1 to "
                    + newest + "); the metadata was written by a newer release or is damaged");
        }
        return version;
    }

    private static void writeShardSet(DataOutputStream out, ShardSet s, boolean withCrcs) throws IOException {
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

    private static ShardSet readShardSet(DataInputStream in, boolean withCrcs) throws IOException {
        String id = RecordIo.readString(in);
        long length = in.readLong();
        int k = in.readUnsignedByte();
        int m = in.readUnsignedByte();
        int chunk = in.readInt();
        if (length < 0 || chunk < 1 || k < 1) {
            throw new IOException("damaged shard set " + id + ": length " + length + ", chunk size " + chunk
                    + ", " + k + " data shards");
        }
        RecordIo.requireRemaining(in, 4L * (k + m), "shard nodes");
        int[] nodes = new int[k + m];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = in.readInt();
        }
        int[] crcs = null;
        if (withCrcs) {
            int kind = in.readUnsignedByte();
            if (kind == CRC32C) {
                long count = (length + (long) k * chunk - 1) / ((long) k * chunk) * (k + m);
                RecordIo.requireRemaining(in, 4 * count, "chunk checksums");
                crcs = new int[(int) count];
                for (int i = 0; i < crcs.length; i++) {
                    crcs[i] = in.readInt();
                }
            } else if (kind != CRC_NONE) {
                throw new IOException("shard set " + id + ": unknown chunk checksum kind " + kind);
            }
        }
        try {
            return new ShardSet(id, length, k, m, chunk, nodes, crcs);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged shard set " + id + ": " + e.getMessage(), e);
        }
    }
}
