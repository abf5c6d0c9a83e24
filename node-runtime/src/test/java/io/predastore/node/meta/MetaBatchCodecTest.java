package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaBatchCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final MetaBatch SAMPLE = new MetaBatch(
            List.of(new MetaBatch.Condition(MetaTable.BUCKETS, b("k"), null),
                    new MetaBatch.Condition(MetaTable.OBJECTS, b("a"), b("v"))),
            List.of(new MetaBatch.Put(MetaTable.PARTS, b("x"), b("y")),
                    new MetaBatch.Delete(MetaTable.NODES, b("z"))));

    private static final String SAMPLE_HEX = "01" // version
            + "00000002" // conditions
            + "01" + "00000001" + "6b" + "00" // BUCKETS "k" absent
            + "02" + "00000001" + "61" + "01" + "00000001" + "76" // OBJECTS "a" == "v"
            + "00000002" // ops
            + "01" + "04" + "00000001" + "78" + "00000001" + "79" // put PARTS "x" = "y"
            + "02" + "05" + "00000001" + "7a"; // delete NODES "z"

    @Test
    void encode_sampleBatch_producesDocumentedBytes() {
        assertThat(HexFormat.of().formatHex(MetaBatchCodec.encode(SAMPLE))).isEqualTo(SAMPLE_HEX);
    }

    @Test
    void decode_documentedBytes_roundTripsToEqualBatch() {
        MetaBatch decoded = MetaBatchCodec.decode(HexFormat.of().parseHex(SAMPLE_HEX));

        assertThat(MetaBatchCodec.encode(decoded)).isEqualTo(MetaBatchCodec.encode(SAMPLE));
        assertThat(decoded.conditions().get(0).expected()).isNull();
        assertThat(decoded.conditions().get(1).expected()).isEqualTo(b("v"));
        assertThat(decoded.ops().get(1)).isInstanceOf(MetaBatch.Delete.class);
    }

    @Test
    void encode_replace_producesDocumentedBytesAndRoundTrips() {
        MetaBatch batch = MetaBatch.of(new MetaBatch.Replace(MetaTable.OBJECTS, b("o"), b("n"), MetaTable.TOMBSTONES,
                b("t")));
        String hex = "01" + "00000000" + "00000001"
                + "03" + "02" + "00000001" + "6f" + "00000001" + "6e" // replace OBJECTS "o" = "n"
                + "06" + "00000001" + "74"; // keeping the old value as TOMBSTONES "t"

        assertThat(HexFormat.of().formatHex(MetaBatchCodec.encode(batch))).isEqualTo(hex);
        MetaBatch.Replace decoded = (MetaBatch.Replace) MetaBatchCodec.decode(HexFormat.of().parseHex(hex)).ops()
                .get(0);
        assertThat(decoded.table()).isEqualTo(MetaTable.OBJECTS);
        assertThat(decoded.key()).isEqualTo(b("o"));
        assertThat(decoded.value()).isEqualTo(b("n"));
        assertThat(decoded.keepTable()).isEqualTo(MetaTable.TOMBSTONES);
        assertThat(decoded.keepKey()).isEqualTo(b("t"));
    }

    @Test
    void encodeEntry_severalBatches_isAGroupThatDecodesToTheSameBatches() {
        MetaBatch other = MetaBatch.of(new MetaBatch.Delete(MetaTable.OBJECTS, b("gone")));
        byte[] entry = MetaBatchCodec.encodeEntry(List.of(SAMPLE, other));

        assertThat(entry[0]).isEqualTo(MetaBatchCodec.GROUP);
        List<MetaBatch> decoded = MetaBatchCodec.decodeEntry(entry);
        assertThat(decoded).hasSize(2);
        assertThat(MetaBatchCodec.encode(decoded.get(0))).isEqualTo(MetaBatchCodec.encode(SAMPLE));
        assertThat(MetaBatchCodec.encode(decoded.get(1))).isEqualTo(MetaBatchCodec.encode(other));
        // One batch is written as itself, so entries from before grouping existed still decode.
        assertThat(MetaBatchCodec.encodeEntry(List.of(SAMPLE))).isEqualTo(MetaBatchCodec.encode(SAMPLE));
        assertThat(MetaBatchCodec.decodeEntry(HexFormat.of().parseHex(SAMPLE_HEX))).hasSize(1);
    }

    @Test
    void decodeEntry_truncatedOrEmptyGroup_isRejected() {
        byte[] entry = MetaBatchCodec.encodeEntry(List.of(SAMPLE, SAMPLE));
        byte[] truncated = java.util.Arrays.copyOf(entry, entry.length - 3);
        byte[] empty = {MetaBatchCodec.GROUP, 0, 0, 0, 0};

        assertThatThrownBy(() -> MetaBatchCodec.decodeEntry(truncated)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetaBatchCodec.decodeEntry(empty)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decode_everyTable_roundTrips() {
        for (MetaTable t : MetaTable.values()) {
            MetaBatch batch = MetaBatch.of(new MetaBatch.Put(t, new byte[0], new byte[] {(byte) 0xff}));
            assertThat(MetaBatchCodec.decode(MetaBatchCodec.encode(batch)).ops().get(0).table()).isEqualTo(t);
        }
    }

    @Test
    void decode_unknownVersionOrTruncatedOrTrailing_isRejected() {
        byte[] good = MetaBatchCodec.encode(SAMPLE);
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        byte[] hugeLength = HexFormat.of().parseHex("01" + "00000000" + "00000001" + "01" + "01" + "7fffffff");

        for (byte[] bad : List.of(badVersion, truncated, trailing, hugeLength, new byte[0])) {
            assertThatThrownBy(() -> MetaBatchCodec.decode(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void handoverRequest_namesItsPeer_andNoOtherQueryIsOne() {
        byte[] request = MetaBatchCodec.encodeHandover("node-2");
        assertThat(HexFormat.of().formatHex(request)).isEqualTo("0103000000066e6f64652d32");
        assertThat(MetaBatchCodec.handoverRequester(request)).isEqualTo("node-2");
        assertThat(MetaBatchCodec.handoverRequester(MetaBatchCodec.encodeGet(MetaTable.NODES, new byte[] {1})))
                .isNull();
        byte[] truncated = java.util.Arrays.copyOf(request, request.length - 1);
        assertThatThrownBy(() -> MetaBatchCodec.handoverRequester(truncated))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
