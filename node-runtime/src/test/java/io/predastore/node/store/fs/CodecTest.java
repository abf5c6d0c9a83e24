package io.predastore.node.store.fs;

import io.predastore.node.store.MetaKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.node.store.meta.RecordCodec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static final Instant T = Instant.ofEpochMilli(0x0102030405L);

    private static final RecordCodec<BlobSegment> RECORDS = new RecordCodec<>(BlobSegment.CODEC);

    @Test
    void partRecord_formatOne_decodesToTheSharedRecord() throws Exception {
        String blob = "00112233445566778899aabbccddeeff";
        byte[] formatOne = HexFormat.of().parseHex("01" + "0000000000000003"
                + "00000000000000000000000000000009" + "0000000102030405" + "00" + blob);

        PartRecord<BlobSegment> part = FormatOneRecords.decodePart(formatOne);

        assertThat(part).isEqualTo(new PartRecord<>("00000000000000000000000000000009", 3, T, null,
                new BlobSegment(blob, 3)));
    }

    @Test
    void partRecord_sharedEncoding_exactBytes() throws Exception {
        String blob = "00112233445566778899aabbccddeeff";
        PartRecord<BlobSegment> part = new PartRecord<>("09", 3, T, null, new BlobSegment(blob, 3));

        byte[] bytes = RECORDS.encodePart(part);

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("03" + "00000002" + "3039" + "0000000000000003"
                + "0000000102030405" + "00" + blob + "0000000000000003");
        assertThat(RECORDS.decodePart(bytes)).isEqualTo(part);
    }

    @Test
    void objectRecord_inlineAndSegments_roundTrip() throws Exception {
        ObjectMetadata meta = new ObjectMetadata("text/plain", null, "a\u0000b", null, "\u65e5", "x",
                Map.of("k", "v", "\u00e9", ""));
        ChecksumValue c = new ChecksumValue("SHA256", "abc=", "FULL_OBJECT");
        ObjectRecord<BlobSegment> inline = ObjectRecord.inline(new ObjectHeader(3, "etag", T, meta, 0, c),
                new byte[] {1, 2, 3});
        ObjectRecord<BlobSegment> blobs = ObjectRecord.stored(new ObjectHeader(30, "etag-2", T,
                ObjectMetadata.EMPTY, 2, null), List.of(new BlobSegment("0123456789abcdef0123456789abcdef", 10),
                        new BlobSegment("fedcba9876543210fedcba9876543210", 20)));

        ObjectRecord<BlobSegment> a = RECORDS.decodeObject(RECORDS.encodeObject(inline));
        ObjectRecord<BlobSegment> b = RECORDS.decodeObject(RECORDS.encodeObject(blobs));

        assertThat(a.header()).isEqualTo(inline.header());
        assertThat(a.inline()).containsExactly(1, 2, 3);
        assertThat(b.header()).isEqualTo(blobs.header());
        assertThat(b.segments()).isEqualTo(blobs.segments());
        byte[] encoded = RECORDS.encodeObject(blobs);
        assertThat(RecordCodec.decodeHeader(encoded, 200)).isEqualTo(blobs.header());
        assertThat(RecordCodec.decodeHeader(encoded, 6)).isNull();
    }

    @Test
    void successor_withTrailingFfBytes_carriesAndTruncates() {
        assertThat(MetaKeys.successor(new byte[] {1, 2, 3})).containsExactly(1, 2, 4);
        assertThat(MetaKeys.successor(new byte[] {1, (byte) 0xFF, (byte) 0xFF})).containsExactly(2);
        assertThat(MetaKeys.successor(new byte[] {0, 'a', '/', (byte) 0xFF})).containsExactly(0, 'a', '0');
        assertThat(MetaKeys.successor(new byte[] {(byte) 0xFF, (byte) 0xFF})).isNull();
        assertThat(MetaKeys.successor(new byte[0])).isNull();
    }

    @Test
    void compositeChecksum_mixedOrMissing_isNull() {
        ChecksumValue crc = new ChecksumValue("CRC32", "AAAAAA==", "FULL_OBJECT");
        ChecksumValue sha = new ChecksumValue("SHA256", "AAAAAA==", "FULL_OBJECT");
        ChecksumValue nvme = new ChecksumValue("CRC64NVME", "AAAAAAAAAAA=", "FULL_OBJECT");

        assertThat(io.predastore.node.store.CompositeChecksums.composite(java.util.Arrays.asList(crc, null))).isNull();
        assertThat(io.predastore.node.store.CompositeChecksums.composite(List.of(crc, sha))).isNull();
        assertThat(io.predastore.node.store.CompositeChecksums.composite(List.of(nvme))).isNull();
        assertThat(io.predastore.node.store.CompositeChecksums.composite(List.of(crc)).value()).isEqualTo("IUTfHA==-1");
        assertThat(io.predastore.node.store.CompositeChecksums.composite(List.of(crc)).value()).endsWith("-1");
        assertThat(io.predastore.node.store.CompositeChecksums.composite(List.of(sha, sha)).type()).isEqualTo("COMPOSITE");
    }
}
