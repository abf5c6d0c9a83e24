package io.predastore.node.store.cluster;

import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.ChecksumValue;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.RecordIo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The versioned binary encodings of the distributed backend's records (each starts with a version byte), stored
 * as values of the metadata tables.
 */
final class ClusterRecords {
    static final int VERSION = 1;

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

    /** A multipart upload in progress. */
    record StoredUpload(Instant initiated, ObjectMetadata metadata) {
    }

    /** One uploaded part and where its shards are. */
    record StoredPart(String etag, long size, Instant lastModified, ChecksumValue checksum, ShardSet shards) {
    }

    static byte[] encodeBucket(BucketInfo b) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeInstant(out, b.created());
            RecordIo.writeString(out, b.region());
        });
    }

    static BucketInfo decodeBucket(String name, byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "bucket");
        return new BucketInfo(name, RecordIo.readInstant(in), RecordIo.readString(in));
    }

    static byte[] encodeObject(StoredObject o) {
        return RecordIo.encode(o.inline() == null ? VERSION : INLINE_OBJECT_VERSION, out -> {
            out.writeLong(o.size());
            RecordIo.writeString(out, o.etag());
            RecordIo.writeInstant(out, o.lastModified());
            RecordIo.writeMetadata(out, o.metadata());
            out.writeInt(o.partsCount());
            RecordIo.writeChecksum(out, o.checksum());
            out.writeInt(o.segments().size());
            for (ShardSet s : o.segments()) {
                writeShardSet(out, s);
            }
            if (o.inline() != null) {
                out.writeInt(o.inline().length);
                out.write(o.inline());
            }
        });
    }

    static StoredObject decodeObject(byte[] bytes) throws IOException {
        boolean inline = bytes.length > 0 && (bytes[0] & 0xFF) == INLINE_OBJECT_VERSION;
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, inline ? INLINE_OBJECT_VERSION : VERSION,
                "object");
        long size = in.readLong();
        String etag = RecordIo.readString(in);
        Instant modified = RecordIo.readInstant(in);
        ObjectMetadata metadata = RecordIo.readMetadata(in);
        int parts = in.readInt();
        ChecksumValue checksum = RecordIo.readChecksum(in);
        int n = RecordIo.readCount(in, SHARD_SET_MIN_BYTES, "shard sets");
        List<ShardSet> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segments.add(readShardSet(in));
        }
        byte[] data = null;
        if (inline) {
            int length = in.readInt();
            if (length < 0 || length != size) {
                throw new IOException("object record: inline length " + length + " does not match size " + size);
            }
            data = in.readNBytes(length);
            if (data.length != length) {
                throw new IOException("object record: inline bytes cut short");
            }
        }
        return new StoredObject(size, etag, modified, metadata, parts, checksum, segments, data);
    }

    static byte[] encodeUpload(StoredUpload u) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeInstant(out, u.initiated());
            RecordIo.writeMetadata(out, u.metadata());
        });
    }

    static StoredUpload decodeUpload(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "upload");
        return new StoredUpload(RecordIo.readInstant(in), RecordIo.readMetadata(in));
    }

    static byte[] encodePart(StoredPart p) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeString(out, p.etag());
            out.writeLong(p.size());
            RecordIo.writeInstant(out, p.lastModified());
            RecordIo.writeChecksum(out, p.checksum());
            writeShardSet(out, p.shards());
        });
    }

    static StoredPart decodePart(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "part");
        return new StoredPart(RecordIo.readString(in), in.readLong(), RecordIo.readInstant(in),
                RecordIo.readChecksum(in), readShardSet(in));
    }

    /** A tombstone: shard sets whose shards are to be deleted from their nodes. */
    /**
     * A shard set stored with shards missing (their nodes were down and the write quorum allowed it), kept for
     * repair under the set's id: which object it was written for, when, and the set itself (with the missing
     * shards as {@link ShardSet#MISSING}). The set may since have been replaced or deleted; a repair checks that
     * it is still referenced.
     */
    record RepairNeeded(String bucket, String key, Instant recorded, ShardSet set) {
    }

    static byte[] encodeRepair(RepairNeeded r) {
        return RecordIo.encode(VERSION, out -> {
            RecordIo.writeString(out, r.bucket());
            RecordIo.writeString(out, r.key());
            RecordIo.writeInstant(out, r.recorded());
            writeShardSet(out, r.set());
        });
    }

    static RepairNeeded decodeRepair(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "repair");
        return new RepairNeeded(RecordIo.readString(in), RecordIo.readString(in), RecordIo.readInstant(in),
                readShardSet(in));
    }

    static byte[] encodeTombstone(List<ShardSet> sets) {
        return RecordIo.encode(VERSION, out -> {
            out.writeInt(sets.size());
            for (ShardSet s : sets) {
                writeShardSet(out, s);
            }
        });
    }

    static List<ShardSet> decodeTombstone(byte[] bytes) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, VERSION, "tombstone");
        int n = RecordIo.readCount(in, SHARD_SET_MIN_BYTES, "shard sets");
        List<ShardSet> sets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sets.add(readShardSet(in));
        }
        return sets;
    }

    private static void writeShardSet(DataOutputStream out, ShardSet s) throws IOException {
        RecordIo.writeString(out, s.objectId());
        out.writeLong(s.length());
        out.writeByte(s.dataShards());
        out.writeByte(s.parityShards());
        out.writeInt(s.chunkSize());
        for (int node : s.nodes()) {
            out.writeInt(node);
        }
    }

    /** The fewest bytes an encoded shard set takes: id length, length, k, m, chunk size. */
    private static final int SHARD_SET_MIN_BYTES = 4 + 8 + 1 + 1 + 4;

    private static ShardSet readShardSet(DataInputStream in) throws IOException {
        String id = RecordIo.readString(in);
        long length = in.readLong();
        int k = in.readUnsignedByte();
        int m = in.readUnsignedByte();
        int chunk = in.readInt();
        int[] nodes = new int[k + m];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = in.readInt();
        }
        return new ShardSet(id, length, k, m, chunk, nodes);
    }
}
