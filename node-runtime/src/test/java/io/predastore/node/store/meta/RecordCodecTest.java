package io.predastore.node.store.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.RecordIo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The shared object and part record encoding, over a small test location (a named blob and a length): round trips,
 * its bytes, the header read from a prefix, and damaged records failing with an {@link IOException} only.
 */
class RecordCodecTest {
    private static final Instant T = Instant.ofEpochMilli(0x0102030405L);
    private static final ObjectMetadata METADATA = new ObjectMetadata("text/plain", "no-cache", null, null, "en",
            null, Map.of("colour", "blue", "size", "large"));
    private static final ChecksumValue CRC = new ChecksumValue("CRC32C", "AAAAAA==", "FULL_OBJECT");

    /** A test location: a blob's name and how many of its bytes are used. */
    record Blob(String name, long length) {
    }

    /** Writes a blob as its name and length; the fewest bytes are an empty name's 4 and the length's 8. */
    private static final LocationCodec<Blob> BLOBS = new LocationCodec<>() {
        @Override
        public void write(DataOutputStream out, Blob b) throws IOException {
            RecordIo.writeString(out, b.name());
            out.writeLong(b.length());
        }

        @Override
        public Blob read(DataInputStream in) throws IOException {
            String name = RecordIo.readString(in);
            if (name == null) {
                throw new IOException("damaged blob location: no name");
            }
            return new Blob(name, in.readLong());
        }

        @Override
        public int minBytes() {
            return 12;
        }
    };

    private final RecordCodec<Blob> codec = new RecordCodec<>(BLOBS);

    private static ObjectHeader header(long size, int partsCount) {
        return new ObjectHeader(size, "0123456789abcdef0123456789abcdef", T, METADATA, partsCount, CRC);
    }

    private static ObjectRecord<Blob> inline() {
        byte[] bytes = new byte[3000];
        Arrays.fill(bytes, (byte) 7);
        return ObjectRecord.inline(header(bytes.length, 0), bytes);
    }

    private static ObjectRecord<Blob> single() {
        return ObjectRecord.stored(header(5_000_000, 0), List.of(new Blob("blob-1", 5_000_000)));
    }

    private static ObjectRecord<Blob> many() {
        List<Blob> parts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            parts.add(new Blob("part-" + i, 5 << 20));
        }
        return ObjectRecord.stored(header(1000L * (5 << 20), 1000), parts);
    }

    private static PartRecord<Blob> part() {
        return new PartRecord<>("fedcba9876543210fedcba9876543210", 5 << 20, T, CRC, new Blob("part-7", 5 << 20));
    }

    /** Equal as values: ObjectRecord's own equals compares its inline array by identity. */
    private static void assertSameObject(ObjectRecord<Blob> actual, ObjectRecord<Blob> expected) {
        assertThat(actual.header()).isEqualTo(expected.header());
        assertThat(actual.segments()).isEqualTo(expected.segments());
        assertThat(actual.isInline()).isEqualTo(expected.isInline());
        if (expected.isInline()) {
            assertThat(actual.inline()).isEqualTo(expected.inline());
        }
    }

    @Test
    void object_inlineSingleAndManySegments_roundTrip() throws IOException {
        for (ObjectRecord<Blob> o : List.of(inline(), single(), many())) {
            byte[] bytes = codec.encodeObject(o);

            assertThat(bytes[0]).isEqualTo((byte) RecordCodec.OBJECT_VERSION);
            assertThat(RecordCodec.isCurrentObject(bytes)).isTrue();
            assertSameObject(codec.decodeObject(bytes), o);
        }
    }

    @Test
    void part_roundTrips() throws IOException {
        byte[] bytes = codec.encodePart(part());

        assertThat(bytes[0]).isEqualTo((byte) RecordCodec.PART_VERSION);
        assertThat(RecordCodec.isCurrentPart(bytes)).isTrue();
        assertThat(codec.decodePart(bytes)).isEqualTo(part());
        PartRecord<Blob> plain = new PartRecord<>("e", 0, T, null, new Blob("", 0));
        assertThat(codec.decodePart(codec.encodePart(plain))).isEqualTo(plain);
    }

    @Test
    void object_exactBytes() {
        ObjectHeader h = new ObjectHeader(2, "e", T, ObjectMetadata.EMPTY, 0, null);
        String header = "0000000000000002" + "0000000165" + "0000000102030405" + "ffffffff".repeat(6) + "00000000"
                + "00000000" + "00";

        assertThat(HexFormat.of().formatHex(codec.encodeObject(ObjectRecord.inline(h, new byte[] {9, 8}))))
                .isEqualTo("04" + "00000036" + header + "00" + "00000002" + "0908");
        assertThat(HexFormat.of().formatHex(codec.encodeObject(ObjectRecord.stored(h, List.of(new Blob("b", 2))))))
                .isEqualTo("04" + "00000036" + header + "01" + "00000001" + "0000000162" + "0000000000000002");
    }

    @Test
    void part_exactBytes() {
        PartRecord<Blob> p = new PartRecord<>("e", 2, T, null, new Blob("b", 2));

        assertThat(HexFormat.of().formatHex(codec.encodePart(p))).isEqualTo("03" + "0000000165" + "0000000000000002"
                + "0000000102030405" + "00" + "0000000162" + "0000000000000002");
    }

    @Test
    void decodeHeader_nullUntilThePrefixHoldsTheHeader_thenTheHeader() throws IOException {
        for (ObjectRecord<Blob> o : List.of(inline(), many())) {
            byte[] bytes = codec.encodeObject(o);
            int headerEnd = 5 + ByteBuffer.wrap(bytes).getInt(1);
            for (int available = 0; available <= bytes.length; available += available < headerEnd + 8 ? 1 : 997) {
                byte[] prefix = Arrays.copyOf(bytes, available);
                ObjectHeader h = RecordCodec.decodeHeader(prefix, available);
                if (available < headerEnd) {
                    assertThat(h).as("prefix of %d bytes", available).isNull();
                } else {
                    assertThat(h).as("prefix of %d bytes", available).isEqualTo(o.header());
                }
            }
        }
    }

    @Test
    void decodeHeader_ofAnotherVersion_fails() {
        byte[] part = codec.encodePart(part());

        assertThatThrownBy(() -> RecordCodec.decodeHeader(part, part.length)).isInstanceOf(IOException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void truncatedAtEveryLength_failsWithIOException() {
        List<byte[]> records = List.of(codec.encodeObject(inline()), codec.encodeObject(single()),
                codec.encodeObject(ObjectRecord.stored(header(10, 2), List.of(new Blob("a", 5), new Blob("b", 5)))),
                codec.encodePart(part()));
        for (byte[] record : records) {
            boolean object = RecordCodec.isCurrentObject(record);
            for (int length = 0; length < record.length; length++) {
                byte[] cut = Arrays.copyOf(record, length);
                assertThatThrownBy(() -> decode(object, cut)).as("%d of %d bytes", length, record.length)
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void negativeCountsAndLengths_failWithIOException() {
        byte[] stored = codec.encodeObject(single());
        int headerEnd = 5 + ByteBuffer.wrap(stored).getInt(1);
        byte[] inline = codec.encodeObject(inline());

        assertDamaged(with(stored, 1, -1), "negative header length");
        assertDamaged(with(stored, headerEnd + 1, -1), "negative count");
        assertDamaged(with(inline, headerEnd + 1, -1), "inline bytes");
        assertDamaged(with(inline, headerEnd + 1, 2999), "2999 inline bytes for an object of 3000");
    }

    @Test
    void hugeCountsAndLengths_failWithIOException_withoutAllocatingForThem() {
        byte[] stored = codec.encodeObject(single());
        int headerEnd = 5 + ByteBuffer.wrap(stored).getInt(1);
        byte[] inlineHuge = codec.encodeObject(ObjectRecord.inline(header(0, 0), new byte[0]));
        ByteBuffer.wrap(inlineHuge).putLong(5, Integer.MAX_VALUE); // the header's size, to match the length below
        int inlineHeaderEnd = 5 + ByteBuffer.wrap(inlineHuge).getInt(1);

        assertDamaged(with(stored, 1, Integer.MAX_VALUE), "object header");
        assertDamaged(with(stored, headerEnd + 1, Integer.MAX_VALUE), "segments");
        assertDamaged(with(inlineHuge, inlineHeaderEnd + 1, Integer.MAX_VALUE), "inline object bytes");
        assertDamaged(with(stored, 5 + 8, Integer.MAX_VALUE), "string"); // the ETag's length
    }

    @Test
    void aHeaderLengthThatDisagreesWithTheHeader_failsWithIOException() {
        byte[] stored = codec.encodeObject(single());
        int headerLength = ByteBuffer.wrap(stored).getInt(1);

        assertDamaged(with(stored, 1, headerLength - 1), "header took");
        assertDamaged(with(stored, 1, headerLength + 1), "header took");
    }

    @Test
    void aNullWhereTheHeaderNeedsAValue_failsWithIOException() {
        byte[] stored = codec.encodeObject(single());
        int headerEnd = 5 + ByteBuffer.wrap(stored).getInt(1);
        // The header ends with its checksum, whose last string is its type, "FULL_OBJECT".
        byte[] nullType = with(stored, headerEnd - (4 + 11), -1);

        assertThatThrownBy(() -> codec.decodeObject(nullType)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged object record");
        assertThatThrownBy(() -> RecordCodec.decodeHeader(nullType, nullType.length))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged object record");
        // version, ETag, size, lastModified, then the checksum's flag, algorithm and value before its type
        byte[] nullPartType = with(codec.encodePart(part()), 1 + (4 + 32) + 8 + 8 + 1 + (4 + 6) + (4 + 8), -1);
        assertThatThrownBy(() -> codec.decodePart(nullPartType)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged part record");
    }

    @Test
    void anUnknownDataKind_failsWithIOException() {
        byte[] stored = codec.encodeObject(single());
        int headerEnd = 5 + ByteBuffer.wrap(stored).getInt(1);
        stored[headerEnd] = 2;

        assertDamaged(stored, "unknown data kind 2");
    }

    @Test
    void anotherVersion_failsWithIOException() {
        byte[] object = codec.encodeObject(single());
        byte[] part = codec.encodePart(part());

        assertThatThrownBy(() -> codec.decodeObject(part)).isInstanceOf(IOException.class)
                .hasMessageContaining("version 3");
        assertThatThrownBy(() -> codec.decodePart(object)).isInstanceOf(IOException.class)
                .hasMessageContaining("version 4");
        for (int version : new int[] {0, 1, 2, 3, 5, 255}) {
            object[0] = (byte) version;
            part[0] = (byte) version;
            assertThat(RecordCodec.isCurrentObject(object)).isFalse();
            assertThatThrownBy(() -> codec.decodeObject(object)).isInstanceOf(IOException.class)
                    .hasMessageContaining("Unsupported object record version " + version);
            if (version != RecordCodec.PART_VERSION) {
                assertThatThrownBy(() -> codec.decodePart(part)).isInstanceOf(IOException.class)
                        .hasMessageContaining("Unsupported part record version " + version);
            }
        }
        assertThat(RecordCodec.isCurrentObject(new byte[0])).isFalse();
        assertThat(RecordCodec.isCurrentPart(new byte[0])).isFalse();
    }

    @Property(tries = 300)
    void anyDamagedByte_decodesOrFailsWithIOException(@ForAll @IntRange(min = 0, max = 400) int position,
            @ForAll byte value, @ForAll boolean object) {
        byte[] record = object ? codec.encodeObject(ObjectRecord.stored(header(10, 2),
                List.of(new Blob("a", 5), new Blob("b", 5)))) : codec.encodePart(part());
        byte[] damaged = record.clone();
        damaged[position % damaged.length] = value;
        try {
            decode(object, damaged);
        } catch (IOException expected) {
            // refused, as a damaged record should be when it does not decode
        }
    }

    private void decode(boolean object, byte[] bytes) throws IOException {
        if (object) {
            codec.decodeObject(bytes);
            RecordCodec.decodeHeader(bytes, bytes.length);
        } else {
            codec.decodePart(bytes);
        }
    }

    private void assertDamaged(byte[] record, String message) {
        assertThatThrownBy(() -> codec.decodeObject(record)).isInstanceOf(IOException.class)
                .hasMessageContaining(message);
    }

    /** A copy of {@code bytes} with the int at {@code offset} replaced. */
    private static byte[] with(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }
}
