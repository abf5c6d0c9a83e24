package io.predastore.node.store.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.UploadInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bucket and upload records every backend stores, byte for byte. */
class RecordCodecsTest {
    private static final Instant T = Instant.ofEpochMilli(0x0102030405L);

    @Test
    void bucketCodec_oneRecord_exactBytes() throws Exception {
        byte[] bytes = BucketCodec.encode(new BucketInfo("b", T, "us"));

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("01" + "0000000102030405" + "00000002" + "7573");
        assertThat(BucketCodec.decode("b", bytes)).isEqualTo(new BucketInfo("b", T, "us"));
    }

    @Test
    void uploadCodec_oneRecord_exactBytes() throws Exception {
        ObjectMetadata metadata = new ObjectMetadata("t", null, null, null, null, null, Map.of("k", "v"));
        UploadInfo upload = new UploadInfo("b", "k", "0".repeat(32), T, metadata);

        byte[] bytes = UploadCodec.encode(upload);

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("01" + "0000000102030405" + "0000000174"
                + "ffffffff".repeat(5) + "00000001" + "000000016b" + "0000000176");
        assertThat(UploadCodec.decode("b", "k", "0".repeat(32), bytes)).isEqualTo(upload);
    }

    @Test
    void objectHeader_oneHeader_exactBytes() throws Exception {
        ObjectHeader header = new ObjectHeader(3, "e", T, ObjectMetadata.EMPTY, 2, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            header.write(out);
        }

        assertThat(HexFormat.of().formatHex(bytes.toByteArray())).isEqualTo("0000000000000003" + "0000000165"
                + "0000000102030405" + "ffffffff".repeat(6) + "00000000" + "00000002" + "00");
        assertThat(ObjectHeader.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isEqualTo(header);
        assertThat(header.info("b", "k").etag()).isEqualTo("e");
    }

    @Test
    void objectHeader_withUploadId_exactBytesAndReadOnlyWithItsLength() throws Exception {
        ObjectHeader header = new ObjectHeader(3, "e", T, ObjectMetadata.EMPTY, 2, null, "u");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            header.write(out);
        }
        byte[] b = bytes.toByteArray();

        assertThat(HexFormat.of().formatHex(b)).isEqualTo("0000000000000003" + "0000000165"
                + "0000000102030405" + "ffffffff".repeat(6) + "00000000" + "00000002" + "00" + "01" + "0000000175");
        assertThat(ObjectHeader.read(new DataInputStream(new ByteArrayInputStream(b)), b.length)).isEqualTo(header);
        // Without the upload id the fields before it read as the header of a version not completed from an upload.
        assertThat(ObjectHeader.read(new DataInputStream(new ByteArrayInputStream(b))).uploadId()).isNull();
        b[b.length - 6] = 2;
        assertThatThrownBy(() -> ObjectHeader.read(new DataInputStream(new ByteArrayInputStream(b)), b.length))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown header field 2");
    }

    @Test
    void recordCodec_objectWithUploadId_roundTripsWholeAndAsHeader() throws Exception {
        RecordCodec<String> codec = new RecordCodec<>(new LocationCodec<>() {
            @Override
            public void write(DataOutputStream out, String location) throws IOException {
                out.writeUTF(location);
            }

            @Override
            public String read(DataInputStream in) throws IOException {
                return in.readUTF();
            }

            @Override
            public int minBytes() {
                return 2;
            }
        });
        ObjectHeader header = new ObjectHeader(3, "e-2", T, ObjectMetadata.EMPTY, 2, null, "0".repeat(32));

        byte[] record = codec.encodeObject(ObjectRecord.stored(header, java.util.List.of("a", "b")));

        assertThat(codec.decodeObject(record).header()).isEqualTo(header);
        assertThat(codec.decodeObject(record).segments()).containsExactly("a", "b");
        assertThat(RecordCodec.decodeHeader(record, record.length)).isEqualTo(header);
    }

    @Test
    void decode_newerVersion_refusedWithIoException() {
        byte[] bucket = BucketCodec.encode(new BucketInfo("b", T, "us"));
        bucket[0] = 2;

        assertThatThrownBy(() -> BucketCodec.decode("b", bucket)).isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
    }
}
