package io.predastore.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bit rot on hand-written segment files: only payload bytes of complete, recent records change. */
class SegmentRotTest {
    @TempDir
    Path dataDir;

    private Path segments;
    private Path older;
    private Path newer;
    /** Payload ranges of complete records in the newer segment, as {offset, length}. */
    private final List<long[]> newerPayloads = new ArrayList<>();
    /** Offsets at which the newer segment's records start. */
    private final List<Long> newerRecords = new ArrayList<>();
    private long olderSize;

    /** Writes records of the on-disk format, remembering where their payloads went. */
    private static final class SegmentWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<long[]> payloads = new ArrayList<>();
        private final List<Long> records = new ArrayList<>();

        /** A complete record of {@code shard} in chunks of {@code chunkSize}. */
        SegmentWriter record(String objectId, int shardIndex, int chunkSize, byte[] shard) {
            records.add((long) out.size());
            int headerCrc = header(objectId, shardIndex, chunkSize);
            for (int at = 0; at < shard.length; at += chunkSize) {
                int len = Math.min(chunkSize, shard.length - at);
                CRC32C crc = new CRC32C();
                crc.update(shard, at, len);
                put(ByteBuffer.allocate(8).putInt(len).putInt((int) crc.getValue()));
                payloads.add(new long[] {out.size(), len});
                out.write(shard, at, len);
            }
            CRC32C shardCrc = new CRC32C();
            shardCrc.update(shard);
            ByteBuffer tail = ByteBuffer.allocate(16).putInt(headerCrc).putLong(shard.length)
                    .putInt((int) shardCrc.getValue());
            CRC32C commitCrc = new CRC32C();
            commitCrc.update(tail.array());
            put(ByteBuffer.allocate(20).putInt(0).putLong(shard.length).putInt((int) shardCrc.getValue())
                    .putInt((int) commitCrc.getValue()));
            return this;
        }

        /** A record still being appended: its header and one whole chunk frame, no commit frame. */
        SegmentWriter incomplete(String objectId, int chunkSize) {
            header(objectId, 0, chunkSize);
            byte[] chunk = new byte[chunkSize];
            put(ByteBuffer.allocate(8).putInt(chunkSize).putInt(0));
            out.write(chunk, 0, chunkSize);
            return this;
        }

        private int header(String objectId, int shardIndex, int chunkSize) {
            byte[] id = objectId.getBytes(StandardCharsets.US_ASCII);
            ByteBuffer h = ByteBuffer.allocate(13 + id.length).putInt(0x50534852).put((byte) 1).put((byte) 1)
                    .putShort((short) id.length).put(id).put((byte) shardIndex).putInt(chunkSize);
            CRC32C crc = new CRC32C();
            crc.update(h.array());
            int headerCrc = (int) crc.getValue();
            put(h);
            put(ByteBuffer.allocate(4).putInt(headerCrc));
            return headerCrc;
        }

        private void put(ByteBuffer b) {
            out.write(b.array(), 0, b.position());
        }

        void writeTo(Path file) throws IOException {
            Files.write(file, out.toByteArray());
        }
    }

    private static byte[] shard(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @BeforeEach
    void writeSegments() throws IOException {
        segments = Files.createDirectories(dataDir.resolve("shards").resolve("segments"));
        older = segments.resolve("0000000000000007.seg");
        newer = segments.resolve("0000000000000012.seg");
        new SegmentWriter().record("old-a", 0, 64, shard(200, 1)).record("old-b", 3, 16, shard(40, 2))
                .writeTo(older);
        SegmentWriter w = new SegmentWriter().record("obj-1", 0, 32, shard(100, 3))
                .record("obj-2", 1, 7, shard(50, 4))
                .record("a-longer-object-id", 2, 1000, shard(300, 5))
                .record("empty", 4, 16, new byte[0])
                .record("obj-3", 5, 64, shard(64, 6))
                .incomplete("still-writing", 24);
        w.writeTo(newer);
        newerPayloads.addAll(w.payloads); // Those of complete records: the incomplete one's chunk is not listed.
        newerRecords.addAll(w.records);
        olderSize = Files.size(older);
        // A file of another name is not a segment.
        Files.write(segments.resolve("0000000000000099.seg.tmp"), new byte[100]);
    }

    private static boolean inAny(List<long[]> ranges, long offset) {
        return ranges.stream().anyMatch(r -> offset >= r[0] && offset < r[0] + r[1]);
    }

    private static List<Long> differences(byte[] before, byte[] after) {
        List<Long> diff = new ArrayList<>();
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) {
                diff.add((long) i);
            }
        }
        return diff;
    }

    @Test
    void flip_newestSegmentWindow_changesExactlyCountPayloadBytesOfCompleteRecordsOnly() throws IOException {
        byte[] olderBefore = Files.readAllBytes(older);
        byte[] newerBefore = Files.readAllBytes(newer);

        List<SegmentRot.Flip> flips = SegmentRot.flip(dataDir, new Random(42), 25, newerBefore.length);

        byte[] newerAfter = Files.readAllBytes(newer);
        assertThat(newerAfter).hasSize(newerBefore.length);
        assertThat(Files.readAllBytes(older)).isEqualTo(olderBefore);
        List<Long> diff = differences(newerBefore, newerAfter);
        assertThat(diff).hasSize(25);
        // Headers, chunk length and checksum fields, commit frames and the incomplete record are outside these.
        assertThat(diff).allMatch(offset -> inAny(newerPayloads, offset));
        assertThat(flips).hasSize(25);
        for (SegmentRot.Flip f : flips) {
            assertThat(f.segment()).isEqualTo(newer);
            assertThat(f.mask()).isNotZero();
            int at = (int) f.offset();
            assertThat((byte) (newerBefore[at] ^ newerAfter[at])).isEqualTo(f.mask());
            assertThat(f.objectId()).isIn("obj-1", "obj-2", "a-longer-object-id", "obj-3");
        }
        assertThat(flips.stream().map(SegmentRot.Flip::offset).toList()).isEqualTo(diff);
        // The object and shard index reported are those of the record the byte is in.
        SegmentRot.Flip first = flips.get(0);
        int record = 0;
        while (record + 1 < newerRecords.size() && newerRecords.get(record + 1) <= first.offset()) {
            record++;
        }
        assertThat(first.objectId()).isEqualTo(List.of("obj-1", "obj-2", "a-longer-object-id", "empty", "obj-3")
                .get(record));
        assertThat(first.shardIndex()).isEqualTo(List.of(0, 1, 2, 4, 5).get(record));
    }

    @Test
    void flip_windowStartingMidSegment_leavesRecordsStartingBeforeItAlone() throws IOException {
        byte[] before = Files.readAllBytes(newer);
        long thirdRecord = newerRecords.get(2);
        // The window reaches back to one byte after the third record's start: only the fifth record qualifies.
        List<SegmentRot.Flip> flips = SegmentRot.flip(dataDir, new Random(7), 10, before.length - thirdRecord - 1);

        List<Long> diff = differences(before, Files.readAllBytes(newer));
        assertThat(diff).hasSize(10);
        assertThat(diff).allMatch(offset -> offset > newerRecords.get(4) && inAny(newerPayloads, offset));
        assertThat(flips).extracting(SegmentRot.Flip::objectId).containsOnly("obj-3");
    }

    @Test
    void flip_windowLongerThanTheNewestSegment_reachesIntoTheOlderOne() throws IOException {
        long newerSize = Files.size(newer);
        byte[] olderBefore = Files.readAllBytes(older);
        byte[] newerBefore = Files.readAllBytes(newer);
        // Covers the whole newer segment and all of the older one: every payload byte is eligible, so asking for
        // more than there are flips each once.
        long eligible = 100 + 50 + 300 + 64 + 200 + 40;
        List<SegmentRot.Flip> flips = SegmentRot.flip(dataDir, new Random(1), 10_000, newerSize + olderSize);

        assertThat(flips).hasSize((int) eligible);
        assertThat(differences(olderBefore, Files.readAllBytes(older))).hasSize(240);
        assertThat(differences(newerBefore, Files.readAllBytes(newer))).hasSize(514);
        assertThat(Files.size(older)).isEqualTo(olderSize);
        assertThat(Files.size(newer)).isEqualTo(newerSize);
    }

    @Test
    void flip_sameSeed_makesTheSameFlips() throws IOException {
        long window = Files.size(newer);
        List<SegmentRot.Flip> a = SegmentRot.flip(dataDir, new Random(99), 12, window);
        List<SegmentRot.Flip> b = SegmentRot.flip(dataDir, new Random(99), 12, window);

        assertThat(b).isEqualTo(a);
        assertThat(SegmentRot.flip(dataDir, new Random(100), 12, window)).isNotEqualTo(a);
    }

    @Test
    void flip_sameSeedTwice_restoresTheFile() throws IOException {
        byte[] before = Files.readAllBytes(newer);
        SegmentRot.flip(dataDir, new Random(5), 30, before.length);
        SegmentRot.flip(dataDir, new Random(5), 30, before.length);

        assertThat(Files.readAllBytes(newer)).isEqualTo(before);
    }

    @Test
    void flip_choosesBytesUniformly_soBiggerRecordsAreHitMoreOften() throws IOException {
        // Only obj-3 (64 payload bytes) and the 300-byte record start in this window: 300 of 364 bytes.
        long window = Files.size(newer) - newerRecords.get(2);
        int big = 0;
        int trials = 2000;
        Random random = new Random(3);
        for (int i = 0; i < trials; i++) {
            List<SegmentRot.Flip> flips = SegmentRot.flip(dataDir, random, 1, window);
            assertThat(flips).hasSize(1);
            big += flips.get(0).objectId().equals("a-longer-object-id") ? 1 : 0;
        }
        assertThat((double) big / trials).isCloseTo(300.0 / 364, within(0.04));
    }

    @Test
    void flip_nothingToFlip_isAnEmptyList(@TempDir Path elsewhere) throws IOException {
        assertThat(SegmentRot.flip(elsewhere, new Random(1), 5, 1 << 20)).isEmpty();
        Files.createDirectories(elsewhere.resolve("shards").resolve("segments"));
        assertThat(SegmentRot.flip(elsewhere, new Random(1), 5, 1 << 20)).isEmpty();
        // Only an incomplete record, or garbage: nothing parses as a complete record.
        Path segs = elsewhere.resolve("shards").resolve("segments");
        new SegmentWriter().incomplete("x", 8).writeTo(segs.resolve("0000000000000001.seg"));
        Files.write(segs.resolve("0000000000000002.seg"), "not a segment at all".getBytes(StandardCharsets.UTF_8));
        byte[] garbage = Files.readAllBytes(segs.resolve("0000000000000002.seg"));
        assertThat(SegmentRot.flip(elsewhere, new Random(1), 5, 1 << 20)).isEmpty();
        assertThat(Files.readAllBytes(segs.resolve("0000000000000002.seg"))).isEqualTo(garbage);
        // No count or no window: nothing either.
        assertThat(SegmentRot.flip(dataDir, new Random(1), 0, 1 << 20)).isEmpty();
        assertThat(SegmentRot.flip(dataDir, new Random(1), 5, 0)).isEmpty();
    }

    @Test
    void flip_recordWithBadHeaderChecksum_stopsParsingThatSegment(@TempDir Path elsewhere) throws IOException {
        Path segs = Files.createDirectories(elsewhere.resolve("shards").resolve("segments"));
        SegmentWriter w = new SegmentWriter().record("good", 0, 16, shard(32, 8)).record("bad", 0, 16, shard(32, 9))
                .record("after", 0, 16, shard(32, 10));
        byte[] bytes = w.out.toByteArray();
        long badHeaderCrcAt = w.records.get(1) + 17 + 3 - 4;
        bytes[(int) badHeaderCrcAt] ^= 1;
        Path file = segs.resolve("0000000000000001.seg");
        Files.write(file, bytes);

        List<SegmentRot.Flip> flips = SegmentRot.flip(elsewhere, new Random(2), 100, bytes.length);

        assertThat(flips).hasSize(32).extracting(SegmentRot.Flip::objectId).containsOnly("good");
    }
}
