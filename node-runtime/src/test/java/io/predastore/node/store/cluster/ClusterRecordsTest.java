package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.RecordIo;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.node.store.meta.RecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The distributed backend's records: objects and parts in the shared encoding with shard sets (checksums included)
 * as locations, every version written before it still decoding to the same values, tombstones and repair entries in
 * their own formats, and damaged lengths, counts and versions failing the decode instead of sizing an allocation.
 */
class ClusterRecordsTest {
    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");
    private static final ObjectMetadata METADATA = new ObjectMetadata("text/plain", null, null, null, null, null,
            Map.of("k", "v"));
    private static final ChecksumValue CRC = new ChecksumValue("CRC32C", "AAAAAA==", "FULL_OBJECT");

    /** 100 bytes in RS(2,1) with 32-byte chunks: 2 stripes, so 6 chunk checksums. */
    private static ShardSet set() {
        return new ShardSet("ab", 100, 2, 1, 32, new int[] {1, 2, 3}, new int[] {1, 2, 3, 4, 5, 6});
    }

    private static ShardSet set(String id) {
        return new ShardSet(id, 100, 2, 1, 32, new int[] {3, 1, 2}, new int[] {6, 5, 4, 3, 2, 1});
    }

    private static ShardSet withoutCrcs(ShardSet s) {
        return new ShardSet(s.objectId(), s.length(), s.dataShards(), s.parityShards(), s.chunkSize(), s.nodes());
    }

    private static ObjectRecord<ShardSet> stored(ShardSet... sets) {
        return ObjectRecord.stored(new ObjectHeader(100L * sets.length, "etag", T, METADATA, sets.length > 1
                ? sets.length : 0, CRC), List.of(sets));
    }

    private static ObjectRecord<ShardSet> inline() {
        return ObjectRecord.inline(new ObjectHeader(3, "etag", T, METADATA, 0, null), new byte[] {1, 2, 3});
    }

    /**
     * An object record as this backend wrote it before the shared encoding: version 1 (sets without checksums),
     * 2 (bytes inline) or 3 (sets with checksums). Kept here, apart from the code under test, as those releases
     * wrote them.
     */
    static byte[] encodeLegacyObject(int version, ObjectRecord<ShardSet> o) {
        return RecordIo.encode(version, out -> {
            o.header().write(out);
            out.writeInt(o.segments().size());
            for (ShardSet s : o.segments()) {
                writeLegacySet(out, s, version == 3);
            }
            if (version == 2) {
                out.writeInt(o.inline().length);
                out.write(o.inline());
            }
        });
    }

    /** An object record of version 1, as the first release wrote it (shard sets without checksums). */
    static byte[] encodeVersion1(ObjectRecord<ShardSet> o) {
        return encodeLegacyObject(1, o);
    }

    /** A part record as this backend wrote it before the shared encoding: version 1 or 2 (with checksums). */
    static byte[] encodeLegacyPart(int version, PartRecord<ShardSet> p) {
        return RecordIo.encode(version, out -> {
            RecordIo.writeString(out, p.etag());
            out.writeLong(p.size());
            RecordIo.writeInstant(out, p.lastModified());
            RecordIo.writeChecksum(out, p.checksum());
            writeLegacySet(out, p.location(), version == 2);
        });
    }

    private static void writeLegacySet(DataOutputStream out, ShardSet s, boolean withCrcs) throws IOException {
        RecordIo.writeString(out, s.objectId());
        out.writeLong(s.length());
        out.writeByte(s.dataShards());
        out.writeByte(s.parityShards());
        out.writeInt(s.chunkSize());
        for (int node : s.nodes()) {
            out.writeInt(node);
        }
        if (withCrcs) {
            out.writeByte(s.hasChunkCrcs() ? 1 : 0);
            for (int crc : s.hasChunkCrcs() ? s.chunkCrcs() : new int[0]) {
                out.writeInt(crc);
            }
        }
    }

    private static void assertSameObject(ObjectRecord<ShardSet> actual, ObjectRecord<ShardSet> expected) {
        assertThat(actual.header()).isEqualTo(expected.header());
        assertThat(actual.segments()).isEqualTo(expected.segments());
        assertThat(actual.inline()).isEqualTo(expected.inline());
    }

    @Test
    void tombstone_bytes() throws IOException {
        byte[] bytes = ClusterRecords.encodeTombstone(List.of(set()));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("02" + "00000001" + "00000002" + "6162"
                + "0000000000000064" + "02" + "01" + "00000020" + "00000001" + "00000002" + "00000003" + "01"
                + "00000001" + "00000002" + "00000003" + "00000004" + "00000005" + "00000006");
        assertThat(ClusterRecords.decodeTombstone(bytes)).containsExactly(set());
    }

    @Test
    void newObjectAndPartRecords_areWrittenAtTheSharedVersions_andRoundTrip() throws IOException {
        for (ObjectRecord<ShardSet> o : List.of(stored(set()), stored(set("a"), set("b"), set("c")), inline())) {
            byte[] bytes = ClusterRecords.encodeObject(o);
            assertThat(bytes[0]).isEqualTo((byte) RecordCodec.OBJECT_VERSION);
            assertSameObject(ClusterRecords.decodeObject(bytes), o);
        }
        PartRecord<ShardSet> p = new PartRecord<>("e", 100, T, CRC, set());
        byte[] bytes = ClusterRecords.encodePart(p);
        assertThat(bytes[0]).isEqualTo((byte) RecordCodec.PART_VERSION);
        assertThat(ClusterRecords.decodePart(bytes)).isEqualTo(p);
        assertThat(ClusterRecords.decodePart(bytes).location().chunkCrcs()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void objectRecord_bytes_carryTheShardSetWithItsChecksums() throws IOException {
        ObjectRecord<ShardSet> o = ObjectRecord.stored(new ObjectHeader(100, "e", T, ObjectMetadata.EMPTY, 0, null),
                List.of(set()));
        String header = "0000000000000064" + "0000000165" + "000001b8dac5b400" + "ffffffff".repeat(6) + "00000000"
                + "00000000" + "00";
        byte[] bytes = ClusterRecords.encodeObject(o);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("04" + "00000036" + header + "01" + "00000001"
                + "00000002" + "6162" + "0000000000000064" + "02" + "01" + "00000020" + "00000001" + "00000002"
                + "00000003" + "01" + "00000001" + "00000002" + "00000003" + "00000004" + "00000005" + "00000006");
        assertThat(RecordCodec.decodeHeader(bytes, bytes.length)).isEqualTo(o.header());
    }

    @Test
    void shardSetCodec_minBytes_isTheSmallestSet() throws IOException {
        ShardSet smallest = new ShardSet("", 0, 1, 0, 1, new int[] {1});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            ShardSetCodec.WITH_CRCS.write(out, smallest);
        }
        assertThat(bytes.size()).isEqualTo(ShardSetCodec.WITH_CRCS.minBytes());
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(ShardSetCodec.WITH_CRCS.read(in)).isEqualTo(smallest);
    }

    @Test
    void objectRecordsOfEveryOlderVersion_stillDecodeToTheSameValues() throws IOException {
        ObjectRecord<ShardSet> many = stored(set("a"), set("b"), set("c"));
        ObjectRecord<ShardSet> v1 = ObjectRecord.stored(many.header(),
                many.segments().stream().map(ClusterRecordsTest::withoutCrcs).toList());

        assertSameObject(ClusterRecords.decodeObject(encodeLegacyObject(1, many)), v1);
        assertSameObject(ClusterRecords.decodeObject(encodeLegacyObject(2, inline())), inline());
        assertSameObject(ClusterRecords.decodeObject(encodeLegacyObject(3, many)), many);
        assertSameObject(ClusterRecords.decodeObject(encodeLegacyObject(3, stored(withoutCrcs(set())))),
                stored(withoutCrcs(set())));
        assertThat(ClusterRecords.decodeObject(encodeLegacyObject(1, stored(set()))).segments().get(0)
                .hasChunkCrcs()).isFalse();
    }

    @Test
    void partRecordsOfEveryOlderVersion_stillDecodeToTheSameValues() throws IOException {
        PartRecord<ShardSet> p = new PartRecord<>("e", 100, T, CRC, set());

        assertThat(ClusterRecords.decodePart(encodeLegacyPart(1, p)))
                .isEqualTo(new PartRecord<>("e", 100, T, CRC, withoutCrcs(set())));
        assertThat(ClusterRecords.decodePart(encodeLegacyPart(2, p))).isEqualTo(p);
    }

    @Test
    void aVersion1ObjectRecord_exactBytes_stillDecode() throws IOException {
        String v1 = "01" + "0000000000000003" + "0000000165" + "000001b8dac5b400" + "ffffffff".repeat(6)
                + "00000000" + "00000000" + "00" + "00000001" + "00000002" + "6162" + "0000000000000003" + "01" + "00"
                + "00000020" + "00000007";

        ObjectRecord<ShardSet> o = ClusterRecords.decodeObject(HexFormat.of().parseHex(v1));
        assertThat(o.header()).isEqualTo(new ObjectHeader(3, "e", T, ObjectMetadata.EMPTY, 0, null));
        assertThat(o.segments()).containsExactly(new ShardSet("ab", 3, 1, 0, 32, new int[] {7}));
    }

    @Test
    void olderRecords_truncatedAtEveryLength_failWithIOException() {
        List<byte[]> records = List.of(encodeLegacyObject(1, stored(set())), encodeLegacyObject(2, inline()),
                encodeLegacyObject(3, stored(set("a"), set("b"))), ClusterRecords.encodeObject(stored(set())),
                ClusterRecords.encodeObject(inline()));
        for (byte[] record : records) {
            for (int length = 0; length < record.length; length++) {
                byte[] cut = Arrays.copyOf(record, length);
                assertThatThrownBy(() -> ClusterRecords.decodeObject(cut)).isInstanceOf(IOException.class);
            }
        }
        PartRecord<ShardSet> p = new PartRecord<>("e", 100, T, CRC, set());
        for (byte[] record : List.of(encodeLegacyPart(1, p), encodeLegacyPart(2, p), ClusterRecords.encodePart(p))) {
            for (int length = 0; length < record.length; length++) {
                byte[] cut = Arrays.copyOf(record, length);
                assertThatThrownBy(() -> ClusterRecords.decodePart(cut)).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aLegacyInlineRecordWithShardSets_failsWithIOException() {
        byte[] bytes = RecordIo.encode(2, out -> {
            inline().header().write(out);
            out.writeInt(1);
            writeLegacySet(out, set(), false);
            out.writeInt(3);
            out.write(new byte[] {1, 2, 3});
        });
        assertThatThrownBy(() -> ClusterRecords.decodeObject(bytes)).isInstanceOf(IOException.class)
                .hasMessageContaining("1 shard sets");
    }

    @Test
    void unknownObjectAndPartVersions_areRefusedWithWhatToDo() {
        byte[] object = ClusterRecords.encodeObject(stored(set()));
        byte[] part = ClusterRecords.encodePart(new PartRecord<>("e", 100, T, null, set()));
        for (int version : new int[] {0, 5, 200}) {
            object[0] = (byte) version;
            assertThatThrownBy(() -> ClusterRecords.decodeObject(object)).isInstanceOf(IOException.class)
                    .hasMessageContaining("version " + version).hasMessageContaining("reads 1 to 4");
        }
        for (int version : new int[] {0, 4, 200}) {
            part[0] = (byte) version;
            assertThatThrownBy(() -> ClusterRecords.decodePart(part)).isInstanceOf(IOException.class)
                    .hasMessageContaining("version " + version).hasMessageContaining("reads 1 to 3");
        }
    }

    @Test
    void damagedShardSets_failWithIOException() {
        byte[] tombstone = ClusterRecords.encodeTombstone(List.of(set()));
        ByteBuffer.wrap(tombstone).putLong(11, Long.MAX_VALUE); // a length whose stripe count would overflow
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(tombstone)).isInstanceOf(IOException.class);

        byte[] nullId = ClusterRecords.encodeTombstone(List.of(set()));
        ByteBuffer.wrap(nullId).putInt(5, -1);
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(nullId)).isInstanceOf(IOException.class);

        byte[] object = ClusterRecords.encodeObject(stored(set()));
        object[object.length - 25] = 9; // the checksum kind
        assertThatThrownBy(() -> ClusterRecords.decodeObject(object)).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown chunk checksum kind 9");
    }

    @Test
    void repair_roundTrips_andVersion1StillDecodes() throws IOException {
        RepairNeeded r = new RepairNeeded("b", "k", T, set(), List.of(2, 0));
        RepairNeeded back = ClusterRecords.decodeRepair(ClusterRecords.encodeRepair(r));
        assertThat(back.corrupt()).containsExactly(0, 2);
        assertThat(back.set()).isEqualTo(set());

        byte[] v1 = RecordIo.encode(1, out -> {
            RecordIo.writeString(out, "b");
            RecordIo.writeString(out, "k");
            RecordIo.writeInstant(out, T);
            RecordIo.writeString(out, "ab");
            out.writeLong(100);
            out.writeByte(2);
            out.writeByte(1);
            out.writeInt(32);
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(3);
        });
        RepairNeeded old = ClusterRecords.decodeRepair(v1);
        assertThat(old.corrupt()).isEmpty();
        assertThat(old.set().missing()).containsExactly(1);
    }

    @Test
    void repair_version3_keepsLostShardsAndCauses_andVersion2StillDecodesWithItsCausesImplied() throws IOException {
        RepairNeeded r = new RepairNeeded("b", "k", T, set(), List.of(0), List.of(2),
                java.util.Set.of(RepairCause.MISSING));
        byte[] bytes = ClusterRecords.encodeRepair(r);
        assertThat(bytes[0]).isEqualTo((byte) ClusterRecords.REPAIR_CAUSES_VERSION);
        // After the set: u8 1, index 0 (in place); u8 1, index 2 (lost); u8 2, causes MISSING(3) and NODE_LOST(4).
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 7, bytes.length))
                .containsExactly(1, 0, 1, 2, 2, 3, 4);
        RepairNeeded back = ClusterRecords.decodeRepair(bytes);
        assertThat(back).isEqualTo(r);
        assertThat(back.causes()).containsExactly(RepairCause.MISSING, RepairCause.NODE_LOST);

        byte[] v2 = RecordIo.encode(ClusterRecords.REPAIR_CRC_VERSION, out -> {
            RecordIo.writeString(out, "b");
            RecordIo.writeString(out, "k");
            RecordIo.writeInstant(out, T);
            ShardSetCodec.write(out, set(), true);
            out.writeByte(1);
            out.writeByte(1);
        });
        RepairNeeded old = ClusterRecords.decodeRepair(v2);
        assertThat(old.corrupt()).containsExactly(1);
        assertThat(old.lost()).isEmpty();
        assertThat(old.causes()).containsExactly(RepairCause.CORRUPT);
    }

    @Test
    void repair_version4_keepsMovedShards_andAnEntryWithoutMovesStaysAtVersion3() throws IOException {
        RepairNeeded r = new RepairNeeded("b", "k", T, set(), List.of(), List.of(),
                java.util.Set.of(RepairCause.DRAIN), List.of(2, 0));
        byte[] bytes = ClusterRecords.encodeRepair(r);
        assertThat(bytes[0]).isEqualTo((byte) ClusterRecords.REPAIR_MOVES_VERSION);
        // After the set: u8 0 (in place); u8 0 (lost); u8 1, cause DRAIN(6); u8 2, moved indexes 0 and 2.
        assertThat(java.util.Arrays.copyOfRange(bytes, bytes.length - 7, bytes.length))
                .containsExactly(0, 0, 1, 6, 2, 0, 2);
        RepairNeeded back = ClusterRecords.decodeRepair(bytes);
        assertThat(back).isEqualTo(r);
        assertThat(back.moved()).containsExactly(0, 2);
        assertThat(back.onlyMoves()).isTrue();

        RepairNeeded noMoves = new RepairNeeded("b", "k", T, set(), List.of(1), List.of(),
                java.util.Set.of(RepairCause.REBALANCE));
        assertThat(noMoves.causes()).as("a move cause without moves is dropped").containsExactly(
                RepairCause.CORRUPT);
        assertThat(ClusterRecords.encodeRepair(noMoves)[0]).isEqualTo((byte) ClusterRecords.REPAIR_CAUSES_VERSION);
        assertThatThrownBy(() -> new RepairNeeded("b", "k", T, set(), List.of(1), List.of(), java.util.Set.of(),
                List.of(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("moved shard index 1");
    }

    @Test
    void aHugeStringLength_failsTheDecode() {
        byte[] bytes = ClusterRecords.encodeTombstone(List.of(set()));
        ByteBuffer.wrap(bytes).putInt(5, Integer.MAX_VALUE - 1); // the set id's length
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(bytes)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged record");
    }

    @Test
    void aHugeCount_failsTheDecode() {
        byte[] bytes = ClusterRecords.encodeTombstone(List.of(set()));
        ByteBuffer.wrap(bytes).putInt(1, Integer.MAX_VALUE);
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(bytes)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged record");
    }

    @Test
    void aLengthThatImpliesHugeChecksumBlock_failsTheDecode() {
        byte[] bytes = ClusterRecords.encodeTombstone(List.of(set()));
        ByteBuffer.wrap(bytes).putLong(11, Long.MAX_VALUE / 4); // the set's length, with 32-byte chunks
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(bytes)).isInstanceOf(IOException.class);
    }

    @Test
    void truncatedChecksums_failTheDecode() {
        byte[] bytes = ClusterRecords.encodeTombstone(List.of(set()));
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(Arrays.copyOf(bytes, bytes.length - 2)))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anUnknownVersion_isRefusedWithWhatToDo() {
        assertThatThrownBy(() -> ClusterRecords.decodeTombstone(new byte[] {9, 0}))
                .isInstanceOf(IOException.class).hasMessageContaining("newer release");
        assertThatThrownBy(() -> ClusterRecords.decodeObject(new byte[0])).isInstanceOf(IOException.class);
    }
}
