package io.predastore.node.store.fs;

import io.predastore.node.store.MetaKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectMetadata;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static final Instant T = Instant.ofEpochMilli(0x0102030405L);

    @Test
    void partRecord_oneRecord_exactBytes() throws Exception {
        byte[] md5 = new byte[16];
        md5[15] = 9;
        String blob = "00112233445566778899aabbccddeeff";
        PartRecord part = new PartRecord(4, 3, md5, T, null, blob);

        byte[] bytes = part.encode();

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("01" + "0000000000000003"
                + "00000000000000000000000000000009" + "0000000102030405" + "00" + blob);
        PartRecord back = PartRecord.decode(4, bytes);
        assertThat(back.info()).isEqualTo(part.info());
        assertThat(back.blobId()).isEqualTo(blob);
    }

    @Test
    void objectRecord_inlineAndSegments_roundTrip() throws Exception {
        ObjectMetadata meta = new ObjectMetadata("text/plain", null, "a\u0000b", null, "\u65e5", "x",
                Map.of("k", "v", "\u00e9", ""));
        ChecksumValue c = new ChecksumValue("SHA256", "abc=", "FULL_OBJECT");
        ObjectRecord inline = new ObjectRecord(3, "etag", T, meta, 0, c, new byte[] {1, 2, 3}, null);
        ObjectRecord blobs = new ObjectRecord(30, "etag-2", T, ObjectMetadata.EMPTY, 2, null, null,
                List.of(new ObjectRecord.Segment("0123456789abcdef0123456789abcdef", 10),
                        new ObjectRecord.Segment("fedcba9876543210fedcba9876543210", 20)));

        ObjectRecord a = ObjectRecord.decode(inline.encode());
        ObjectRecord b = ObjectRecord.decode(blobs.encode());

        assertThat(a.info("b", "k")).isEqualTo(inline.info("b", "k"));
        assertThat(a.inline()).containsExactly(1, 2, 3);
        assertThat(b.info("b", "k")).isEqualTo(blobs.info("b", "k"));
        assertThat(b.segments()).isEqualTo(blobs.segments());
        byte[] encoded = blobs.encode();
        assertThat(ObjectRecord.decodeInfo("b", "k", encoded, 200)).isEqualTo(blobs.info("b", "k"));
        assertThat(ObjectRecord.decodeInfo("b", "k", encoded, 6)).isNull();
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
