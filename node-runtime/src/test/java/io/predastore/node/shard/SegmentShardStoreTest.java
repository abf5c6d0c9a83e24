package io.predastore.node.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.disk.FakeDisk;
import io.predastore.node.disk.StorageFullException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SegmentShardStoreTest extends ShardStoreContractTest {

    private static final int CHUNK = 4096;

    private SegmentShardStore.Config config = new SegmentShardStore.Config(256 << 10, CHUNK, 0.5);

    @Override
    protected ShardStore newStore(Path dir) throws IOException {
        return SegmentShardStore.open(dir, config);
    }

    @Override
    protected int chunkSize() {
        return CHUNK;
    }

    private SegmentShardStore segStore() {
        return (SegmentShardStore) store;
    }

    private void reopen() throws IOException {
        store.close();
        store = null;
        store = newStore(dir);
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            return s.sorted().toList();
        }
    }

    /** The segment file holding {@code id}'s record and the record's offset in it. */
    private Map.Entry<Path, RecordFormat.Location> locate(ShardId id) throws IOException {
        byte[] bytes = readAll(store, id);
        for (Path file : segmentFiles()) {
            byte[] content = Files.readAllBytes(file);
            byte[] header = RecordFormat.header(id, CHUNK).array();
            for (int at = 0; at + header.length <= content.length; at++) {
                if (java.util.Arrays.equals(content, at, at + header.length, header, 0, header.length)) {
                    long n = Segment.parseNumber(file.getFileName().toString());
                    return Map.entry(file, new RecordFormat.Location(n, at, header.length, bytes.length,
                            crc32c(bytes), CHUNK, RecordFormat.recordSize(id, bytes.length, CHUNK)));
                }
            }
        }
        throw new AssertionError("no record of " + id);
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, position);
        }
    }

    /** The documented record layout, written out independently of {@link RecordFormat}. */
    private static byte[] expectedRecord(String objectId, int index, int chunkSize, String... chunks) {
        byte[] name = objectId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer header = ByteBuffer.allocate(17 + name.length);
        header.putInt(0x50534852).put((byte) 1).put((byte) 1).putShort((short) name.length).put(name)
                .put((byte) index).putInt(chunkSize);
        int headerCrc = crc32c(java.util.Arrays.copyOf(header.array(), header.position()));
        header.putInt(headerCrc);
        ByteBuffer out = ByteBuffer.allocate(1024);
        out.put(header.array());
        StringBuilder all = new StringBuilder();
        for (String chunk : chunks) {
            byte[] b = chunk.getBytes(StandardCharsets.US_ASCII);
            out.putInt(b.length).putInt(crc32c(b)).put(b);
            all.append(chunk);
        }
        byte[] shard = all.toString().getBytes(StandardCharsets.US_ASCII);
        int shardCrc = crc32c(shard);
        byte[] commitInput = ByteBuffer.allocate(16).putInt(headerCrc).putLong(shard.length).putInt(shardCrc)
                .array();
        out.putInt(0).putLong(shard.length).putInt(shardCrc).putInt(crc32c(commitInput));
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void commit_smallShards_writeTheDocumentedRecordBytes() throws IOException {
        store.close();
        config = new SegmentShardStore.Config(1 << 20, 4, 0.5);
        store = newStore(dir);
        // streamed (more than one chunk), then whole (fits in one chunk), then empty
        ShardInfo hello = put(store, id("obj-1", 2), "hello".getBytes(StandardCharsets.US_ASCII), 2);
        put(store, id("obj-1", 3), "hey".getBytes(StandardCharsets.US_ASCII), 1);
        put(store, id("e", 255), new byte[0]);

        byte[] first = expectedRecord("obj-1", 2, 4, "hell", "o");
        byte[] second = expectedRecord("obj-1", 3, 4, "hey");
        byte[] third = expectedRecord("e", 255, 4);
        assertThat(first).hasSize(22 + 8 + 4 + 8 + 1 + 20);
        assertThat(HexFormat.of().formatHex(first, 0, 22)).isEqualTo("50534852" + "01" + "01" + "0005"
                + "6f626a2d31" + "02" + "00000004" + HexFormat.of().formatHex(first, 18, 22));
        ByteBuffer expected = ByteBuffer.allocate(first.length + second.length + third.length)
                .put(first).put(second).put(third);
        assertThat(hello.crc32c()).isEqualTo(crc32c("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(segmentFiles()).hasSize(1);
        assertThat(Files.readAllBytes(segmentFiles().get(0))).isEqualTo(expected.array());
    }

    @Test
    void open_rangeBeyondTheShard_isRejected() throws IOException {
        put(store, id("short", 0), new byte[10]);
        assertThatThrownBy(() -> store.open(id("short", 0), 5, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open(id("short", 0), -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void counters_afterWritesReplacesAndDeletes_trackShardsAndBytes() throws IOException {
        assertThat(segStore().shardCount()).isZero();
        assertThat(segStore().bytesUsed()).isZero();
        put(store, id("a", 0), new byte[1000]);
        put(store, id("b", 0), new byte[2000]);
        store.delete(id("a", 0)); // a shard is replaced by deleting it and writing the id again
        put(store, id("a", 0), new byte[10]);
        assertThat(segStore().shardCount()).isEqualTo(2);
        assertThat(segStore().liveBytes()).isEqualTo(RecordFormat.recordSize(id("a", 0), 10, CHUNK)
                + RecordFormat.recordSize(id("b", 0), 2000, CHUNK));
        long onDisk = segStore().bytesUsed();
        assertThat(onDisk).isEqualTo(RecordFormat.recordSize(id("a", 0), 1000, CHUNK) + segStore().liveBytes());
        store.delete(id("b", 0));
        assertThat(segStore().shardCount()).isEqualTo(1);
        assertThat(segStore().bytesUsed()).isEqualTo(onDisk);
        reopen();
        assertThat(segStore().shardCount()).isEqualTo(1);
        assertThat(segStore().liveBytes()).isEqualTo(RecordFormat.recordSize(id("a", 0), 10, CHUNK));
    }

    @Test
    void abort_ofAStreamedShard_givesItsSpaceBack() throws IOException {
        put(store, id("before", 0), randomBytes(1, 3 * CHUNK));
        long used = segStore().bytesUsed();
        ShardWriter w = store.create(id("streamed", 0));
        w.write(ByteBuffer.wrap(randomBytes(2, 5 * CHUNK)));
        assertThat(segStore().bytesUsed()).isGreaterThan(used);
        w.abort();
        assertThat(segStore().bytesUsed()).isEqualTo(used);
        assertThatThrownBy(() -> w.write(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void create_belowTheReserve_storageFull_whileDeletesAndCompactionFreeSpace() throws IOException {
        FakeDisk space = FakeDisk.roomy();
        try (SegmentShardStore s = SegmentShardStore.open(dir.resolve("reserved"), config, space.disk)) {
            byte[] bytes = randomBytes(1, 3 * CHUNK);
            put(s, id("kept", 0), bytes);
            put(s, id("gone", 0), randomBytes(2, 40 * CHUNK));
            space.full(true);

            assertThat(s.belowReserve()).isTrue();
            assertThatThrownBy(() -> s.create(id("refused", 0))).isInstanceOf(StorageFullException.class)
                    .hasMessageStartingWith("Cannot store shard 0 of refused: this node has 10.0 MiB of free space");
            assertThat(s.delete(id("gone", 0))).isTrue();
            long before = s.bytesUsed();
            assertThat(s.compact().segmentsCompacted()).isPositive();
            assertThat(s.bytesUsed()).isLessThan(before);
            assertThat(readAll(s, id("kept", 0))).isEqualTo(bytes);

            space.full(false);
            assertThat(s.belowReserve()).isFalse();
            put(s, id("after", 0), bytes);
            assertThat(readAll(s, id("after", 0))).isEqualTo(bytes);
        } finally {
            space.disk.close();
        }
    }

    @Test
    void write_reserveReachedWhileStreaming_storageFullAndTheRecordIsTruncatedAway() throws IOException {
        FakeDisk space = FakeDisk.roomy();
        try (SegmentShardStore s = SegmentShardStore.open(dir.resolve("reserved"), config, space.disk)) {
            put(s, id("before", 0), randomBytes(1, 3 * CHUNK));
            long used = s.bytesUsed();
            ShardWriter w = s.create(id("streamed", 0));
            w.write(ByteBuffer.wrap(randomBytes(2, 5 * CHUNK)));
            assertThat(s.bytesUsed()).isGreaterThan(used);

            space.full(true);
            assertThatThrownBy(() -> w.write(ByteBuffer.wrap(randomBytes(3, 5 * CHUNK))))
                    .isInstanceOf(StorageFullException.class);
            assertThat(s.bytesUsed()).isEqualTo(used);
            assertThat(s.stat(id("streamed", 0))).isEmpty();
            assertThatThrownBy(w::commit).isInstanceOf(IllegalStateException.class);
        } finally {
            space.disk.close();
        }
    }

    @Test
    void open_streamOfADeletedShard_keepsReadingItsBytes() throws IOException {
        byte[] bytes = randomBytes(1, 2 * CHUNK + 1);
        put(store, id("gone", 0), bytes);
        try (InputStream in = store.open(id("gone", 0), 0, bytes.length)) {
            assertThat(store.delete(id("gone", 0))).isTrue();
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void reopen_afterTornRecordAndGarbageAtTheTail_dropsTheTailAndKeepsCommittedShards() throws IOException {
        byte[] a = randomBytes(1, 3 * CHUNK + 100);
        byte[] b = randomBytes(2, 500);
        put(store, id("crash-a", 0), a);
        put(store, id("crash-b", 0), b);
        store.close();
        store = null;
        Path segment = segmentFiles().get(segmentFiles().size() - 1);
        long committedSize = Files.size(segment);
        ByteBuffer torn = ByteBuffer.allocate(200);
        torn.put(RecordFormat.header(id("crash-torn", 0), CHUNK)).putInt(CHUNK).putInt(12345)
                .put(randomBytes(3, 100));
        // a complete record whose index write never happened is dead too
        ByteBuffer unindexed = ByteBuffer.allocate(200);
        ShardId ghost = id("crash-ghost", 0);
        ByteBuffer gh = RecordFormat.header(ghost, CHUNK);
        unindexed.put(gh.duplicate()).putInt(2).putInt(crc32c(new byte[2])).put(new byte[2])
                .put(RecordFormat.commitFrame(RecordFormat.headerCrc(gh), 2, crc32c(new byte[2])));
        Files.write(segment, java.util.Arrays.copyOf(unindexed.array(), unindexed.position()),
                StandardOpenOption.APPEND);
        Files.write(segment, java.util.Arrays.copyOf(torn.array(), torn.position()), StandardOpenOption.APPEND);
        Files.write(segment, randomBytes(4, 777), StandardOpenOption.APPEND);

        store = newStore(dir);
        assertThat(Files.size(segment)).isEqualTo(committedSize);
        assertThat(readAll(store, id("crash-a", 0))).isEqualTo(a);
        assertThat(readAll(store, id("crash-b", 0))).isEqualTo(b);
        assertThat(store.stat(ghost)).isEmpty();
        assertThat(store.stat(id("crash-torn", 0))).isEmpty();
        byte[] c = randomBytes(5, 2 * CHUNK);
        put(store, id("crash-c", 0), c);
        reopen();
        assertThat(readAll(store, id("crash-a", 0))).isEqualTo(a);
        assertThat(readAll(store, id("crash-c", 0))).isEqualTo(c);
        assertThat(segStore().scrub()).isEmpty();
    }

    @Test
    void reopen_segmentWithOnlyAnUncommittedRecord_isDeleted() throws IOException {
        put(store, id("lonely", 0), new byte[10]);
        store.close();
        store = null;
        Path orphan = dir.resolve("segments").resolve(Segment.fileName(42));
        Files.write(orphan, randomBytes(1, 300));
        store = newStore(dir);
        assertThat(orphan).doesNotExist();
        put(store, id("next", 0), new byte[20]);
        assertThat(readAll(store, id("lonely", 0))).hasSize(10);
        assertThat(readAll(store, id("next", 0))).hasSize(20);
    }

    @Test
    void open_chunkWithAFlippedByte_throwsCorruptOnlyForRangesTouchingIt() throws IOException {
        byte[] bytes = randomBytes(1, 3 * CHUNK);
        ShardId id = id("flipped", 0);
        put(store, id, bytes);
        Map.Entry<Path, RecordFormat.Location> where = locate(id);
        long chunk1Payload = where.getValue().dataOffset() + (8 + CHUNK) + 8;
        flipByte(where.getKey(), chunk1Payload + 100);

        assertThat(read(store, id, 0, CHUNK)).isEqualTo(java.util.Arrays.copyOf(bytes, CHUNK));
        assertThat(read(store, id, 2 * CHUNK, CHUNK))
                .isEqualTo(java.util.Arrays.copyOfRange(bytes, 2 * CHUNK, 3 * CHUNK));
        assertThatThrownBy(() -> read(store, id, CHUNK + 200, 10)).isInstanceOf(ShardCorruptException.class);
        try (InputStream in = store.open(id, 0, bytes.length)) {
            byte[] first = in.readNBytes(CHUNK);
            assertThat(first).isEqualTo(java.util.Arrays.copyOf(bytes, CHUNK));
            assertThatThrownBy(in::read).isInstanceOf(ShardCorruptException.class);
        }
    }

    @Test
    void open_recordHeaderDamaged_throwsCorrupt() throws IOException {
        ShardId id = id("bad-header", 0);
        put(store, id, randomBytes(1, 100));
        Map.Entry<Path, RecordFormat.Location> where = locate(id);
        flipByte(where.getKey(), where.getValue().recordOffset() + 9);
        assertThatThrownBy(() -> readAll(store, id)).isInstanceOf(ShardCorruptException.class);
    }

    @Test
    void scrub_afterFlippingOneByte_reportsExactlyThatShard() throws IOException {
        for (int i = 0; i < 10; i++) {
            put(store, id("scrub-" + i, 0), randomBytes(i, 2 * CHUNK + i));
        }
        assertThat(segStore().scrub()).isEmpty();
        ShardId victim = id("scrub-6", 0);
        Map.Entry<Path, RecordFormat.Location> where = locate(victim);
        flipByte(where.getKey(), where.getValue().dataOffset() + 8 + 5);
        ShardId commitVictim = id("scrub-3", 0);
        Map.Entry<Path, RecordFormat.Location> commitWhere = locate(commitVictim);
        flipByte(commitWhere.getKey(), commitWhere.getValue().recordEnd() - 3);
        assertThat(segStore().scrub()).containsExactlyInAnyOrder(victim, commitVictim);
    }

    @Test
    void compact_afterDeletingMostShards_keepsLiveShardsAndReclaimsSpace() throws IOException {
        Map<ShardId, byte[]> live = new LinkedHashMap<>();
        List<ShardId> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ShardId id = id("compact-" + i, i % 4);
            byte[] bytes = randomBytes(i, 8 * 1024 + i);
            put(store, id, bytes);
            all.add(id);
            if (i % 5 == 0) {
                live.put(id, bytes);
            }
        }
        for (ShardId id : all) {
            if (!live.containsKey(id)) {
                assertThat(store.delete(id)).isTrue();
            }
        }
        ShardId readWhileCompacting = live.keySet().iterator().next();
        int filesBefore = segmentFiles().size();
        long bytesBefore = segStore().bytesUsed();
        InputStream openReader = store.open(readWhileCompacting, 0, live.get(readWhileCompacting).length);

        SegmentShardStore.CompactionReport report = segStore().compact();

        assertThat(report.segmentsCompacted()).isGreaterThan(0);
        assertThat(report.recordsMoved()).isGreaterThan(0);
        assertThat(segStore().bytesUsed()).isLessThan(bytesBefore / 2);
        assertThat(segStore().bytesUsed()).isEqualTo(bytesBefore - report.bytesReclaimed());
        // the file under the open reader stays until the reader closes
        assertThat(segmentFiles().size()).isGreaterThan(segStore().segmentCount());
        try (InputStream in = openReader) {
            assertThat(in.readAllBytes()).isEqualTo(live.get(readWhileCompacting));
        }
        assertThat(segmentFiles()).hasSize(segStore().segmentCount());
        assertThat(segmentFiles().size()).isLessThan(filesBefore);
        for (Map.Entry<ShardId, byte[]> e : live.entrySet()) {
            assertThat(readAll(store, e.getKey())).isEqualTo(e.getValue());
        }
        segStore().compact(); // may now pick up a segment the copies sealed; must keep everything readable
        reopen();
        assertThat(segStore().shardCount()).isEqualTo(live.size());
        for (Map.Entry<ShardId, byte[]> e : live.entrySet()) {
            assertThat(readAll(store, e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(segStore().scrub()).isEmpty();
    }

    @Test
    void compactAsync_onAnExecutor_compactsLikeCompact() throws Exception {
        for (int i = 0; i < 40; i++) {
            put(store, id("async-" + i, 0), randomBytes(i, 8 * 1024));
        }
        for (int i = 1; i < 40; i++) {
            store.delete(id("async-" + i, 0));
        }
        long before = segStore().bytesUsed();
        SegmentShardStore.CompactionReport report = segStore().compactAsync(Runnable::run).get();
        assertThat(report.segmentsCompacted()).isPositive();
        assertThat(segStore().bytesUsed()).isLessThan(before);
        assertThat(readAll(store, id("async-0", 0))).isEqualTo(randomBytes(0, 8 * 1024));
    }

    @Test
    void compact_whileShardsAreReplacedDeletedAndRead_keepsTheLatestStateOfEveryShard() throws Exception {
        store.close();
        config = new SegmentShardStore.Config(64 << 10, CHUNK, 0.3);
        store = newStore(dir);
        int ids = 40;
        Map<ShardId, byte[]> latest = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < ids; i++) {
            byte[] bytes = randomBytes(i, (i % 3 == 0 ? 2 * CHUNK : 1500) + i);
            put(store, id("race-" + i, 0), bytes);
            latest.put(id("race-" + i, 0), bytes);
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread mutator = new Thread(() -> {
            java.util.Random r = new java.util.Random(5);
            try {
                for (int round = 0; round < 50; round++) {
                    ShardId id = id("race-" + r.nextInt(ids), 0);
                    if (r.nextInt(4) == 0) {
                        store.delete(id);
                        latest.remove(id);
                    } else {
                        byte[] bytes = randomBytes(round + 1000L, r.nextInt(3) == 0 ? 3 * CHUNK : 2000);
                        store.delete(id); // an id is written again only once it is gone
                        put(store, id, bytes);
                        latest.put(id, bytes);
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        Thread reader = new Thread(() -> {
            java.util.Random r = new java.util.Random(6);
            try {
                while (!stop.get()) {
                    ShardId id = id("race-" + r.nextInt(ids), 0);
                    try {
                        readAll(store, id);
                    } catch (NoSuchShardException | java.util.NoSuchElementException gone) {
                        // deleted meanwhile
                    } catch (IllegalArgumentException replaced) {
                        // replaced by a shorter shard between the stat and the open: the range no longer fits
                        assertThat(replaced).hasMessageContaining("is beyond the");
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        mutator.start();
        reader.start();
        int compacted = 0;
        while (mutator.isAlive()) {
            compacted += segStore().compact().segmentsCompacted();
        }
        stop.set(true);
        mutator.join();
        reader.join();
        compacted += segStore().compact().segmentsCompacted();
        assertThat(errors).isEmpty();
        assertThat(compacted).isPositive();
        for (int i = 0; i < ids; i++) {
            ShardId id = id("race-" + i, 0);
            if (latest.containsKey(id)) {
                assertThat(readAll(store, id)).as("%s", id).isEqualTo(latest.get(id));
            } else {
                assertThat(store.stat(id)).isEmpty();
            }
        }
        long live = segStore().liveBytes();
        assertThat(segStore().scrub()).isEmpty();
        reopen();
        assertThat(segStore().liveBytes()).isEqualTo(live);
        assertThat(segStore().shardCount()).isEqualTo(latest.size());
        assertThat(segmentFiles()).hasSize(segStore().segmentCount());
    }

    private void reopenWith(SegmentShardStore.Config newConfig) throws IOException {
        store.close();
        store = null;
        config = newConfig;
        store = newStore(dir);
    }

    @Test
    void compact_sharedSegmentTakenPastTheSegmentSizeThenEmptied_isReclaimed() throws IOException {
        reopenWith(new SegmentShardStore.Config(64 << 10, CHUNK, 0.5));
        // A streamed shard leaves an idle segment just below the segment size; small shards then make it the shared
        // segment and the last of them takes it past the size. No small write comes after that one.
        ShardId big = id("fill-big", 0);
        put(store, big, randomBytes(1, 15 * CHUNK));
        List<ShardId> all = new ArrayList<>(List.of(big));
        for (int i = 0; segStore().bytesUsed() < 64 << 10; i++) {
            ShardId small = id("fill-small-" + i, 0);
            put(store, small, randomBytes(100 + i, 1000));
            all.add(small);
        }
        assertThat(segmentFiles()).hasSize(1);
        for (ShardId id : all) {
            assertThat(store.delete(id)).isTrue();
        }
        long used = segStore().bytesUsed();

        SegmentShardStore.CompactionReport report = segStore().compact();

        assertThat(report.segmentsCompacted()).isEqualTo(1);
        assertThat(report.bytesReclaimed()).isEqualTo(used);
        assertThat(segStore().bytesUsed()).isZero();
        assertThat(segStore().segmentCount()).isZero();
        assertThat(segmentFiles()).isEmpty();
        byte[] after = randomBytes(7, 1000);
        put(store, id("after", 0), after);
        assertThat(readAll(store, id("after", 0))).isEqualTo(after);
    }

    @Test
    void compact_sharedSegmentMostlyDeadBelowTheSegmentSize_movesItsLiveShardsAndSmallWritesCarryOn()
            throws IOException {
        Map<ShardId, byte[]> live = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            ShardId id = id("shared-" + i, 0);
            byte[] bytes = randomBytes(i, 900 + i);
            put(store, id, bytes);
            if (i % 4 == 0) {
                live.put(id, bytes);
            } else {
                assertThat(store.delete(id)).isTrue();
            }
        }
        assertThat(segmentFiles()).hasSize(1);
        long used = segStore().bytesUsed();

        SegmentShardStore.CompactionReport report = segStore().compact();

        assertThat(report.segmentsCompacted()).isEqualTo(1);
        assertThat(report.recordsMoved()).isEqualTo(live.size());
        assertThat(segStore().bytesUsed()).isEqualTo(segStore().liveBytes()).isLessThan(used / 2);
        byte[] next = randomBytes(99, 700);
        put(store, id("shared-next", 0), next);
        live.put(id("shared-next", 0), next);
        for (Map.Entry<ShardId, byte[]> e : live.entrySet()) {
            assertThat(readAll(store, e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(segmentFiles()).hasSize(segStore().segmentCount());
        reopen();
        for (Map.Entry<ShardId, byte[]> e : live.entrySet()) {
            assertThat(readAll(store, e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void compact_idlePartlyFilledSegmentWhoseShardsAreAllDeleted_isReclaimed() throws IOException {
        put(store, id("idle-a", 0), randomBytes(1, 3 * CHUNK));
        put(store, id("idle-b", 0), randomBytes(2, 5 * CHUNK + 7));
        assertThat(segmentFiles()).hasSize(1);
        assertThat(segStore().bytesUsed()).isLessThan(config.segmentSize());
        assertThat(store.delete(id("idle-a", 0))).isTrue();
        assertThat(store.delete(id("idle-b", 0))).isTrue();
        long used = segStore().bytesUsed();

        SegmentShardStore.CompactionReport report = segStore().compact();

        assertThat(report.segmentsCompacted()).isEqualTo(1);
        assertThat(report.recordsMoved()).isZero();
        assertThat(report.bytesReclaimed()).isEqualTo(used);
        assertThat(segStore().bytesUsed()).isZero();
        assertThat(segmentFiles()).isEmpty();
        byte[] again = randomBytes(3, 4 * CHUNK);
        put(store, id("idle-c", 0), again);
        reopen();
        assertThat(readAll(store, id("idle-c", 0))).isEqualTo(again);
    }

    @Test
    void compact_idleSegmentMostlyDead_copiesItsLiveShardIntoAnotherSegment() throws IOException {
        for (int i = 0; i < 4; i++) {
            put(store, id("idle-" + i, 0), randomBytes(i, 3 * CHUNK + i));
        }
        assertThat(segmentFiles()).hasSize(1);
        Path original = segmentFiles().get(0);
        for (int i = 1; i < 4; i++) {
            assertThat(store.delete(id("idle-" + i, 0))).isTrue();
        }

        SegmentShardStore.CompactionReport report = segStore().compact();

        assertThat(report.segmentsCompacted()).isEqualTo(1);
        assertThat(report.recordsMoved()).isEqualTo(1);
        assertThat(segStore().bytesUsed()).isEqualTo(RecordFormat.recordSize(id("idle-0", 0), 3 * CHUNK, CHUNK));
        assertThat(segmentFiles()).hasSize(1).doesNotContain(original);
        assertThat(readAll(store, id("idle-0", 0))).isEqualTo(randomBytes(0, 3 * CHUNK));
        // the segment the shard now lives in takes new writes as before
        put(store, id("idle-4", 0), randomBytes(4, 2 * CHUNK));
        assertThat(segmentFiles()).hasSize(1);
        assertThat(segStore().scrub()).isEmpty();
        reopen();
        assertThat(readAll(store, id("idle-0", 0))).isEqualTo(randomBytes(0, 3 * CHUNK));
        assertThat(readAll(store, id("idle-4", 0))).isEqualTo(randomBytes(4, 2 * CHUNK));
    }

    @Test
    void compact_runningWithWritersReadersAndDeletes_losesNoLiveShardAndLaterReclaimsEverything() throws Exception {
        reopenWith(new SegmentShardStore.Config(32 << 10, CHUNK, 0.2));
        Map<ShardId, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
        List<ShardId> committed = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Set<ShardId> deleted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int thread = t;
            writers.add(new Thread(() -> {
                java.util.Random r = new java.util.Random(thread);
                try {
                    for (int i = 0; i < 150; i++) {
                        ShardId id = id("mixed-" + thread + "-" + i, i % 3);
                        // about half fit one chunk (shared segment), the others stream into segments of their own
                        byte[] bytes = randomBytes(thread * 1000L + i, 100 + r.nextInt(3 * CHUNK));
                        put(store, id, bytes);
                        written.put(id, bytes);
                        committed.add(id);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        Thread deleter = new Thread(() -> {
            // Deletes two shards in three soon after they commit, so segments hold live and dead records mixed.
            int next = 0;
            try {
                while (!stop.get()) {
                    if (next == committed.size()) {
                        Thread.sleep(1);
                        continue;
                    }
                    ShardId victim = committed.get(next++);
                    if (victim.index() > 0) {
                        deleted.add(victim);
                        assertThat(store.delete(victim)).as("%s", victim).isTrue();
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        Thread reader = new Thread(() -> {
            java.util.Random r = new java.util.Random(8);
            try {
                while (!stop.get()) {
                    if (committed.isEmpty()) {
                        Thread.yield();
                        continue;
                    }
                    ShardId id = committed.get(r.nextInt(committed.size()));
                    try {
                        assertThat(readAll(store, id)).as("%s", id).isEqualTo(written.get(id));
                    } catch (NoSuchShardException | java.util.NoSuchElementException gone) {
                        assertThat(deleted).as("%s read as absent", id).contains(id);
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        writers.forEach(Thread::start);
        deleter.start();
        reader.start();
        int compacted = 0;
        while (writers.stream().anyMatch(Thread::isAlive)) {
            compacted += segStore().compact().segmentsCompacted();
            Thread.sleep(1);
        }
        stop.set(true);
        for (Thread w : writers) {
            w.join();
        }
        deleter.join();
        reader.join();
        compacted += segStore().compact().segmentsCompacted();

        assertThat(errors).isEmpty();
        assertThat(compacted).isPositive();
        assertThat(written).hasSize(300);
        for (Map.Entry<ShardId, byte[]> e : written.entrySet()) {
            if (deleted.contains(e.getKey())) {
                assertThat(store.stat(e.getKey())).as("%s", e.getKey()).isEmpty();
            } else {
                assertThat(readAll(store, e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue());
            }
        }
        assertThat(segStore().shardCount()).isEqualTo(written.size() - deleted.size());
        assertThat(segStore().scrub()).isEmpty();
        long live = segStore().liveBytes();
        reopen();
        assertThat(segStore().liveBytes()).isEqualTo(live);
        assertThat(segmentFiles()).hasSize(segStore().segmentCount());
        for (Map.Entry<ShardId, byte[]> e : written.entrySet()) {
            if (!deleted.contains(e.getKey())) {
                assertThat(readAll(store, e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue());
                assertThat(store.delete(e.getKey())).isTrue();
            }
        }
        segStore().compact();
        assertThat(segStore().bytesUsed()).isZero();
        assertThat(segmentFiles()).isEmpty();
    }

    @Test
    void concurrentCommits_shareSegmentFsyncs() throws Exception {
        int threads = 8;
        Thread[] workers = new Thread[threads];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                        put(store, id("gc-" + thread + "-" + i, 0), randomBytes(i, 100));
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(errors).isEmpty();
        SegmentShardStore.Stats stats = segStore().stats();
        assertThat(stats.commits()).isEqualTo(threads * 25);
        assertThat(stats.sharedSegmentCommits()).isEqualTo(threads * 25);
        assertThat(stats.segmentFsyncs()).isPositive().isLessThanOrEqualTo(stats.commits());
    }

    @Test
    void indexProperty_afterACommit_memtableHoldsTheEntry_emptyOnceClosedOrUnknown() throws IOException {
        put(store, new ShardId("obj-metrics", 0), new byte[100], 100);
        assertThat(segStore().indexProperty("rocksdb.cur-size-all-mem-tables").orElseThrow()).isPositive();
        assertThat(segStore().indexProperty("rocksdb.estimate-live-data-size")).isPresent();
        assertThat(segStore().indexProperty("rocksdb.no-such-property")).isEmpty();
        store.close();
        assertThat(segStore().indexProperty("rocksdb.cur-size-all-mem-tables")).isEmpty();
    }
}
