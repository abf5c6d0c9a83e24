package io.predastore.node.store.cluster;

import io.predastore.node.store.RecordIo;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.node.store.meta.RecordCodec;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The distributed backend's records, stored as values of the metadata tables, each starting with a version byte.
 * Object and part records are the ones every backend writes ({@link RecordCodec}: object version
 * {@value RecordCodec#OBJECT_VERSION}, part version {@value RecordCodec#PART_VERSION}) with a shard set, chunk
 * checksums included, as the location of their bytes ({@link ShardSetCodec}); so are bucket and upload records
 * ({@link io.predastore.node.store.meta.BucketCodec}, {@link io.predastore.node.store.meta.UploadCodec}).
 * Tombstones and repair entries are this backend's own and encoded here. Stateless and thread-safe.
 *
 * <p>Every version ever written is still read, so that a Raft log or snapshot of an earlier release still applies.
 * Before the shared encoding the cluster wrote:
 * <pre>
 * object 1 = 1 | header | count (int) | set * count              -- sets without chunk checksums
 * object 2 = 2 | header | 0 (int) | length (int) | bytes          -- kept inline
 * object 3 = 3 | header | count (int) | set * count              -- sets with chunk checksums
 * part 1   = 1 | etag (string) | size (long) | lastModified (long epoch ms) | checksum | set   -- no chunk checksums
 * part 2   = 2 | the same, the set with its chunk checksums
 * header   = {@link ObjectHeader}, without its length in front
 * </pre>
 * The shared versions are numbered above all of these. Tombstones and repair entries are at version 2 (sets with
 * chunk checksums; a repair entry then ends with a u8 count and the u8 indexes of shards found corrupt), and
 * version 1 of either (sets without checksums) is still read; repair entries are written at version 3, which adds
 * the shards on lost nodes and the causes ({@link #REPAIR_CAUSES_VERSION}), or at version 4 when they move healthy
 * shards ({@link #REPAIR_MOVES_VERSION}).
 *
 * <p>Lengths and counts read from a record are checked against the bytes left before anything is allocated for
 * them, so a damaged record fails its decode with an {@link IOException} instead of exhausting memory.
 */
final class ClusterRecords {
    /** The shared encoding of object and part records, with shard sets as their locations. */
    static final RecordCodec<ShardSet> CODEC = new RecordCodec<>(ShardSetCodec.WITH_CRCS);

    /** Object records written before the shared encoding whose shard sets have no chunk checksums. */
    static final int LEGACY_OBJECT_VERSION = 1;
    /** Object records written before the shared encoding with their bytes inline. */
    static final int LEGACY_INLINE_OBJECT_VERSION = 2;
    /** Object records written before the shared encoding whose shard sets carry chunk checksums. */
    static final int LEGACY_OBJECT_CRC_VERSION = 3;
    /** Part records written before the shared encoding whose shard set has no chunk checksums. */
    static final int LEGACY_PART_VERSION = 1;
    /** Part records written before the shared encoding whose shard set carries chunk checksums. */
    static final int LEGACY_PART_CRC_VERSION = 2;
    /** Repair entries whose set carries chunk checksums, with the shards found corrupt. */
    static final int REPAIR_CRC_VERSION = 2;
    /**
     * Repair entries that also list shards on lost nodes and the causes: after the version 2 fields, {@code u8
     * count, u8 lost indexes, u8 count, u8 cause codes} ({@link RepairCause}).
     */
    static final int REPAIR_CAUSES_VERSION = 3;
    /**
     * Repair entries that also list healthy shards to move: after the version 3 fields, {@code u8 count, u8 moved
     * indexes}. Written only for entries that move shards.
     */
    static final int REPAIR_MOVES_VERSION = 4;
    /** Tombstones whose shard sets carry chunk checksums. */
    static final int TOMBSTONE_CRC_VERSION = 2;

    private ClusterRecords() {
    }

    /** An object record in the shared encoding, its shard sets with their chunk checksums. */
    static byte[] encodeObject(ObjectRecord<ShardSet> o) {
        return CODEC.encodeObject(o);
    }

    /** Decodes an object record of any version this backend has written. */
    static ObjectRecord<ShardSet> decodeObject(byte[] bytes) throws IOException {
        if (RecordCodec.isCurrentObject(bytes)) {
            return CODEC.decodeObject(bytes);
        }
        return decodeLegacyObject(bytes, version(bytes, "object", LEGACY_OBJECT_CRC_VERSION,
                RecordCodec.OBJECT_VERSION));
    }

    /** A part record in the shared encoding, its shard set with its chunk checksums. */
    static byte[] encodePart(PartRecord<ShardSet> p) {
        return CODEC.encodePart(p);
    }

    /** Decodes a part record of any version this backend has written. */
    static PartRecord<ShardSet> decodePart(byte[] bytes) throws IOException {
        if (RecordCodec.isCurrentPart(bytes)) {
            return CODEC.decodePart(bytes);
        }
        return decodeLegacyPart(bytes, version(bytes, "part", LEGACY_PART_CRC_VERSION, RecordCodec.PART_VERSION));
    }

    /** An object record written before the shared encoding (versions 1 to 3). */
    private static ObjectRecord<ShardSet> decodeLegacyObject(byte[] bytes, int version) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "object");
        try {
            ObjectHeader header = ObjectHeader.read(in);
            int n = RecordIo.readCount(in, ShardSetCodec.MIN_BYTES_WITHOUT_CRCS, "shard sets");
            List<ShardSet> segments = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                segments.add(ShardSetCodec.read(in, version == LEGACY_OBJECT_CRC_VERSION));
            }
            if (version != LEGACY_INLINE_OBJECT_VERSION) {
                return ObjectRecord.stored(header, segments);
            }
            int length = in.readInt();
            if (length < 0 || length != header.size() || n != 0) {
                throw new IOException("damaged object record: " + length + " inline bytes and " + n
                        + " shard sets for an object of " + header.size() + " bytes");
            }
            RecordIo.requireRemaining(in, length, "inline object bytes");
            return ObjectRecord.inline(header, in.readNBytes(length));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("damaged object record: " + e.getMessage(), e);
        }
    }

    /** A part record written before the shared encoding (versions 1 and 2). */
    private static PartRecord<ShardSet> decodeLegacyPart(byte[] bytes, int version) throws IOException {
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "part");
        try {
            return new PartRecord<>(RecordIo.readString(in), in.readLong(), RecordIo.readInstant(in),
                    RecordIo.readChecksum(in), ShardSetCodec.read(in, version == LEGACY_PART_CRC_VERSION));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("damaged part record: " + e.getMessage(), e);
        }
    }

    /**
     * A shard set to repair, kept under the set's id: which object it was written for, when, the set itself (with
     * shards never written as {@link ShardSet#MISSING}: their nodes were down and the write quorum allowed it), the
     * shards to rebuild in place on the node {@code set} names (a read or the scrubber found them corrupt, or the
     * protection pass found them absent from their live node), the shards to rebuild on other nodes because their
     * node is lost, and why. The set may since have been replaced or deleted; a repair checks that it is still
     * referenced.
     *
     * @param corrupt indexes of shards rebuilt in place (corrupt or absent on the nodes {@code set} names), ascending
     * @param lost    indexes of shards on nodes declared lost, rebuilt elsewhere, ascending; never also in place
     * @param causes  why the set is queued; those implied by the other fields are added
     * @param moved   indexes of healthy shards to move to another node ({@link RepairCause#REBALANCE},
     *                {@link RepairCause#DRAIN}), ascending; never also lacking. Their targets are not stored: the
     *                repair engine asks the ring of the members current when it moves them
     */
    record RepairNeeded(String bucket, String key, Instant recorded, ShardSet set, List<Integer> corrupt,
            List<Integer> lost, java.util.Set<RepairCause> causes, List<Integer> moved) {
        RepairNeeded {
            corrupt = List.copyOf(new java.util.TreeSet<>(corrupt));
            lost = List.copyOf(new java.util.TreeSet<>(lost));
            moved = List.copyOf(new java.util.TreeSet<>(moved));
            int width = set.dataShards() + set.parityShards();
            for (int i : corrupt) {
                if (i < 0 || i >= width) {
                    throw new IllegalArgumentException("corrupt shard index " + i + " outside the set " + set);
                }
            }
            for (int i : lost) {
                if (i < 0 || i >= width || set.isMissing(i) || corrupt.contains(i)) {
                    throw new IllegalArgumentException("lost shard index " + i + " is outside the set " + set
                            + ", never written, or also rebuilt in place");
                }
            }
            for (int i : moved) {
                if (i < 0 || i >= width || set.isMissing(i) || corrupt.contains(i) || lost.contains(i)) {
                    throw new IllegalArgumentException("moved shard index " + i + " is outside the set " + set
                            + ", never written, or also rebuilt");
                }
            }
            java.util.EnumSet<RepairCause> all = java.util.EnumSet.noneOf(RepairCause.class);
            all.addAll(causes);
            if (moved.isEmpty()) {
                all.remove(RepairCause.REBALANCE);
                all.remove(RepairCause.DRAIN);
            } else if (!all.contains(RepairCause.REBALANCE) && !all.contains(RepairCause.DRAIN)) {
                all.add(RepairCause.REBALANCE);
            }
            if (set.missing().length > 0) {
                all.add(RepairCause.SKIPPED_AT_WRITE);
            }
            if (!lost.isEmpty()) {
                all.add(RepairCause.NODE_LOST);
            }
            if (!corrupt.isEmpty() && !all.contains(RepairCause.MISSING)) {
                all.add(RepairCause.CORRUPT);
            }
            causes = java.util.Collections.unmodifiableSet(all);
        }

        /** A set with shards to rebuild and none to move. */
        RepairNeeded(String bucket, String key, Instant recorded, ShardSet set, List<Integer> corrupt,
                List<Integer> lost, java.util.Set<RepairCause> causes) {
            this(bucket, key, recorded, set, corrupt, lost, causes, List.of());
        }

        /** A set with shards rebuilt in place (found corrupt by a read). */
        RepairNeeded(String bucket, String key, Instant recorded, ShardSet set, List<Integer> corrupt) {
            this(bucket, key, recorded, set, corrupt, List.of(), java.util.Set.of());
        }

        /** A set written with shards missing. */
        RepairNeeded(String bucket, String key, Instant recorded, ShardSet set) {
            this(bucket, key, recorded, set, List.of());
        }

        /** Shards lacking from the set as this entry records it: never written, to rebuild in place, or lost. */
        int lacking() {
            return set.missing().length + corrupt.size() + lost.size();
        }

        /** Whether the entry only moves healthy shards (nothing to rebuild), so it waits behind every other entry. */
        boolean onlyMoves() {
            return lacking() == 0 && !moved.isEmpty();
        }
    }

    /**
     * An entry in the newest version its fields need: version 3 unless it moves shards, so that entries without
     * moves stay readable by a release before moves.
     */
    static byte[] encodeRepair(RepairNeeded r) {
        return RecordIo.encode(r.moved().isEmpty() ? REPAIR_CAUSES_VERSION : REPAIR_MOVES_VERSION, out -> {
            RecordIo.writeString(out, r.bucket());
            RecordIo.writeString(out, r.key());
            RecordIo.writeInstant(out, r.recorded());
            ShardSetCodec.write(out, r.set(), true);
            writeIndexes(out, r.corrupt());
            writeIndexes(out, r.lost());
            out.writeByte(r.causes().size());
            for (RepairCause c : r.causes()) {
                out.writeByte(c.code());
            }
            if (!r.moved().isEmpty()) {
                writeIndexes(out, r.moved());
            }
        });
    }

    private static void writeIndexes(java.io.DataOutputStream out, List<Integer> indexes) throws IOException {
        out.writeByte(indexes.size());
        for (int i : indexes) {
            out.writeByte(i);
        }
    }

    private static List<Integer> readIndexes(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUnsignedByte());
        }
        return out;
    }

    static RepairNeeded decodeRepair(byte[] bytes) throws IOException {
        int version = version(bytes, "repair", REPAIR_MOVES_VERSION);
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "repair");
        String bucket = RecordIo.readString(in);
        String key = RecordIo.readString(in);
        Instant recorded = RecordIo.readInstant(in);
        ShardSet set = ShardSetCodec.read(in, version >= REPAIR_CRC_VERSION);
        List<Integer> corrupt = version >= REPAIR_CRC_VERSION ? readIndexes(in) : List.of();
        List<Integer> lost = List.of();
        java.util.Set<RepairCause> causes = java.util.EnumSet.noneOf(RepairCause.class);
        if (version >= REPAIR_CAUSES_VERSION) {
            lost = readIndexes(in);
            int n = in.readUnsignedByte();
            for (int i = 0; i < n; i++) {
                causes.add(RepairCause.ofCode(in.readUnsignedByte()));
            }
        }
        List<Integer> moved = version >= REPAIR_MOVES_VERSION ? readIndexes(in) : List.of();
        try {
            return new RepairNeeded(bucket, key, recorded, set, corrupt, lost, causes, moved);
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged repair entry: " + e.getMessage(), e);
        }
    }

    /** A tombstone: shard sets whose shards are to be deleted from their nodes. */
    static byte[] encodeTombstone(List<ShardSet> sets) {
        return RecordIo.encode(TOMBSTONE_CRC_VERSION, out -> {
            out.writeInt(sets.size());
            for (ShardSet s : sets) {
                ShardSetCodec.write(out, s, true);
            }
        });
    }

    static List<ShardSet> decodeTombstone(byte[] bytes) throws IOException {
        int version = version(bytes, "tombstone", TOMBSTONE_CRC_VERSION);
        DataInputStream in = RecordIo.decoder(bytes, bytes.length, version, "tombstone");
        int n = RecordIo.readCount(in, ShardSetCodec.MIN_BYTES_WITHOUT_CRCS, "shard sets");
        List<ShardSet> sets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sets.add(ShardSetCodec.read(in, version == TOMBSTONE_CRC_VERSION));
        }
        return sets;
    }

    /** The record's version byte, refusing what this build cannot read. */
    private static int version(byte[] bytes, String kind, int newest) throws IOException {
        return version(bytes, kind, newest, newest);
    }

    /**
     * The record's version byte if it is one of 1 to {@code newestHere}, the versions read by the caller; above
     * those, this build reads only {@code newest} (in the shared encoding), and any other version is refused.
     */
    private static int version(byte[] bytes, String kind, int newestHere, int newest) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("empty " + kind + " record");
        }
        int version = bytes[0] & 0xFF;
        if (version < 1 || version > newestHere) {
            throw new IOException("Unsupported " + kind + " record version " + version + " (this build reads 1 to "
                    + newest + "); the metadata was written by a newer release or is damaged");
        }
        return version;
    }
}
