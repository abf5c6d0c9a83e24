package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.RecordIo;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.store.cluster.ClusterRecords.StoredObject;
import io.predastore.node.store.cluster.ClusterRecords.StoredPart;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The record encodings with chunk checksums: their bytes, that every earlier version still decodes, and that a
 * damaged length or count fails the decode instead of sizing an allocation.
 */
class ClusterRecordsTest {
    private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

    /** 100 bytes in RS(2,1) with 32-byte chunks: 2 stripes, so 6 chunk checksums. */
    private static ShardSet set() {
        return new ShardSet("ab", 100, 2, 1, 32, new int[] {1, 2, 3}, new int[] {1, 2, 3, 4, 5, 6});
    }

    /** An object record as version 1 wrote it (shard sets without checksums). */
    static byte[] encodeVersion1(StoredObject o) {
        return RecordIo.encode(1, out -> {
            out.writeLong(o.size());
            RecordIo.writeString(out, o.etag());
            RecordIo.writeInstant(out, o.lastModified());
            RecordIo.writeMetadata(out, o.metadata());
            out.writeInt(o.partsCount());
            RecordIo.writeChecksum(out, o.checksum());
            out.writeInt(o.segments().size());
            for (ShardSet s : o.segments()) {
                RecordIo.writeString(out, s.objectId());
                out.writeLong(s.length());
                out.writeByte(s.dataShards());
                out.writeByte(s.parityShards());
                out.writeInt(s.chunkSize());
                for (int node : s.nodes()) {
                    out.writeInt(node);
                }
            }
        });
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
    void object_roundTripsWithChecksums_andVersion1StillDecodes() throws IOException {
        StoredObject o = new StoredObject(100, "etag", T, ObjectMetadata.EMPTY, 0, null, List.of(set()));
        byte[] bytes = ClusterRecords.encodeObject(o);
        assertThat(bytes[0]).isEqualTo((byte) ClusterRecords.OBJECT_CRC_VERSION);
        assertThat(ClusterRecords.decodeObject(bytes).segments()).containsExactly(set());

        StoredObject old = ClusterRecords.decodeObject(encodeVersion1(o));
        assertThat(old.segments().get(0).hasChunkCrcs()).isFalse();
        assertThat(old.segments().get(0).nodes()).containsExactly(1, 2, 3);
    }

    @Test
    void partAndRepair_roundTrip_andVersion1StillDecodes() throws IOException {
        StoredPart p = new StoredPart("e", 100, T, null, set());
        assertThat(ClusterRecords.decodePart(ClusterRecords.encodePart(p)).shards()).isEqualTo(set());

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
