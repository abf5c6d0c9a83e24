package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardWriter;
import io.predastore.node.testing.TestClock;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ScrubProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrubber on a real {@link SegmentShardStore} and a real {@link LocalMetadataStore} in temporary directories,
 * with a test clock that its sleeper moves forward (so pacing is checked by the sleep asked for, not by timing).
 */
class ShardScrubberTest {
    private static final int CHUNK = 4096;
    private static final int NODE = 3;
    private static final long RATE = 4L << 20;

    @TempDir
    Path dir;

    private SegmentShardStore store;
    private LocalMetadataStore meta;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final AtomicLong slept = new AtomicLong();
    private final ShardScrubber.Sleeper sleeper = millis -> {
        slept.addAndGet(millis);
        clock.advance(Duration.ofMillis(millis));
    };
    private final List<ShardScrubber> scrubbers = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        store = openStore();
        meta = LocalMetadataStore.open(dir.resolve("meta"));
    }

    @AfterEach
    void close() throws IOException {
        for (ShardScrubber s : scrubbers) {
            s.close();
        }
        store.close();
        meta.close();
    }

    private SegmentShardStore openStore() throws IOException {
        return SegmentShardStore.open(dir.resolve("shards"), new SegmentShardStore.Config(256 << 10, CHUNK, 0.5));
    }

    private ShardScrubber scrubber(MetadataStore metadata, long rate, Duration interval) {
        ShardScrubber s = new ShardScrubber(store, metadata, NODE, ShardScrubber.stateFileIn(dir.resolve("shards")),
                rate, interval, clock, sleeper);
        scrubbers.add(s);
        return s;
    }

    private ShardScrubber scrubber() {
        return scrubber(meta, RATE, Duration.ofHours(1));
    }

    private static byte[] bytes(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void put(ShardId id, byte[] bytes) throws IOException {
        ShardWriter w = store.create(id);
        w.write(ByteBuffer.wrap(bytes));
        w.commit();
    }

    private byte[] read(ShardId id) throws IOException {
        try (InputStream in = store.open(id, 0, store.stat(id).orElseThrow().length())) {
            return in.readAllBytes();
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("shards").resolve("segments"))) {
            return s.sorted().toList();
        }
    }

    /**
     * Where the shard's record starts, found by its header as docs of {@link SegmentShardStore} give it (magic,
     * version, type, id length, id, index): the segment file and the offset of its first chunk frame.
     */
    private Record locate(ShardId id) throws IOException {
        byte[] name = id.objectId().getBytes(StandardCharsets.US_ASCII);
        byte[] header = ByteBuffer.allocate(9 + name.length).putInt(0x50534852).put((byte) 1).put((byte) 1)
                .putShort((short) name.length).put(name).put((byte) id.index()).array();
        for (Path file : segmentFiles()) {
            byte[] content = Files.readAllBytes(file);
            for (int at = 0; at + header.length <= content.length; at++) {
                if (Arrays.equals(content, at, at + header.length, header, 0, header.length)) {
                    return new Record(file, at + 17L + name.length);
                }
            }
        }
        throw new AssertionError("no record of " + id);
    }

    /** A record's segment file and where its chunk frames begin. */
    private record Record(Path file, long dataOffset) {
    }

    private static void flip(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, position);
        }
    }

    private List<DamageReport> damage() throws IOException {
        List<DamageReport> reports = new ArrayList<>();
        for (MetaEntry e : meta.scan(MetaTable.DAMAGE, new byte[0], null, 1000)) {
            reports.add(DamageReport.decode(e.key(), e.value()));
        }
        return reports;
    }

    @Test
    void pass_flippedChunkByteAndCommitFrame_reportsBothCorruptAndKeepsThem() throws Exception {
        for (int i = 0; i < 10; i++) {
            put(new ShardId("n1-set" + i, i % 3), bytes(i, 2 * CHUNK + 100 * i));
        }
        ShardId chunkVictim = new ShardId("n1-set6", 0);
        Record r = locate(chunkVictim);
        flip(r.file(), r.dataOffset() + 8 + CHUNK + 8 + 17); // inside the second chunk's payload
        ShardId commitVictim = new ShardId("n1-set3", 0);
        Record c = locate(commitVictim);
        int length = 2 * CHUNK + 300;
        flip(c.file(), c.dataOffset() + 3 * 8 + length + 20 - 3); // in the commit frame's own CRC32C
        ShardScrubber scrubber = scrubber();

        scrubber.runPass();

        assertThat(scrubber.verifications()).isEqualTo(10);
        List<DamageReport> reports = damage();
        assertThat(reports).extracting(DamageReport::setId, DamageReport::index, DamageReport::node,
                DamageReport::cause).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("n1-set6", 0, NODE, DamageReport.Cause.CORRUPT),
                        org.assertj.core.groups.Tuple.tuple("n1-set3", 0, NODE, DamageReport.Cause.CORRUPT));
        assertThat(reports).allSatisfy(d -> assertThat(d.detail()).contains(".seg"));
        // Never deleted: reads keep refusing them until a repair rebuilds them.
        assertThat(store.stat(chunkVictim)).isPresent();
        assertThatThrownBy(() -> read(chunkVictim)).isInstanceOf(ShardCorruptException.class);
        assertThat(store.stat(commitVictim)).isPresent();
        ScrubProgress progress = AdminJson.read(meta.get(MetaTable.HEALTH, ShardScrubber.progressKey(NODE))
                .orElseThrow(), ScrubProgress.class);
        assertThat(progress.nodeId()).isEqualTo("node-3");
        assertThat(progress.passesCompleted()).isEqualTo(1);
        assertThat(progress.corruptionsFound()).isEqualTo(2);
        assertThat(progress.passBytesVerified()).isEqualTo(store.liveBytes()).isEqualTo(progress.passBytesTotal());
        assertThat(progress.bytesPerSecond()).isEqualTo(RATE);
        assertThat(scrubber.pendingReports()).isZero();
    }

    @Test
    void pass_segmentFileDeletedWhileClosed_reportsItsShardsMissing() throws Exception {
        // Bigger than a segment: sealed when it commits, so the next shard goes to another segment.
        put(new ShardId("n1-lost", 1), bytes(2, 300 << 10));
        put(new ShardId("n1-kept", 0), bytes(1, 1000));
        Path lost = locate(new ShardId("n1-lost", 1)).file();
        assertThat(locate(new ShardId("n1-kept", 0)).file()).isNotEqualTo(lost);
        store.close();
        Files.delete(lost);
        store = openStore();

        scrubber().runPass();

        assertThat(damage()).singleElement().satisfies(d -> {
            assertThat(d.setId()).isEqualTo("n1-lost");
            assertThat(d.index()).isEqualTo(1);
            assertThat(d.cause()).isEqualTo(DamageReport.Cause.MISSING);
        });
    }

    @Test
    void pass_segmentFileDeletedWhileOpen_reportsMissingBeforeARestartLosesIt() throws Exception {
        put(new ShardId("n1-lost", 0), bytes(2, 3 * CHUNK));
        Files.delete(locate(new ShardId("n1-lost", 0)).file());

        scrubber().runPass();

        assertThat(damage()).extracting(DamageReport::cause).containsExactly(DamageReport.Cause.MISSING);
    }

    @Test
    void close_midPass_nextScrubberResumesAfterTheCursorWithoutReverifying() throws Exception {
        for (int i = 0; i < 20; i++) {
            put(new ShardId(String.format("n1-r%02d", i), 0), bytes(i, 500 + i));
        }
        AtomicLong sleeps = new AtomicLong();
        ShardScrubber[] first = new ShardScrubber[1];
        // A pace slow enough that every shard asks for a sleep.
        first[0] = new ShardScrubber(store, meta, NODE, ShardScrubber.stateFileIn(dir.resolve("shards")), 1000,
                Duration.ofHours(1), clock, millis -> {
                    clock.advance(Duration.ofMillis(millis));
                    if (sleeps.incrementAndGet() == 7) {
                        try {
                            first[0].close(); // as the node stops: after the 7th shard
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
        first[0].step();
        assertThat(first[0].verifications()).isEqualTo(7);
        assertThat(first[0].progress().passesCompleted()).isZero();

        ShardScrubber second = scrubber();
        assertThat(second.progress().passBytesVerified()).isEqualTo(first[0].progress().passBytesVerified());
        second.runPass();

        assertThat(second.verifications()).isEqualTo(13);
        assertThat(second.progress().passesCompleted()).isEqualTo(1);
        assertThat(second.progress().passBytesVerified()).isEqualTo(store.liveBytes());
    }

    @Test
    void pass_eightMiBAtFourMiBPerSecond_sleepsTwoSeconds() throws Exception {
        for (int i = 0; i < 32; i++) {
            put(new ShardId("n1-pace" + i, 0), bytes(i, 256 << 10));
        }
        long live = store.liveBytes();
        assertThat(live).isBetween(8L << 20, (8L << 20) + 64 * 1024);

        scrubber().runPass();

        assertThat(slept.get()).isEqualTo(live * 1000 / RATE).isBetween(2000L, 2020L);
    }

    @Test
    void pass_afterFullPass_waitsThePassIntervalBeforeTheNext() throws Exception {
        put(new ShardId("n1-a", 0), bytes(1, 100));
        ShardScrubber scrubber = scrubber(meta, RATE, Duration.ofMinutes(5));
        scrubber.runPass();

        assertThat(scrubber.step()).isEqualTo(Duration.ofMinutes(5).toMillis());
        clock.advance(Duration.ofMinutes(5));
        scrubber.runPass();

        assertThat(scrubber.verifications()).isEqualTo(2);
        assertThat(scrubber.progress().passesCompleted()).isEqualTo(2);
    }

    @Test
    void step_passIntervalZero_stillPausesTheMinimumGapBetweenPasses() throws Exception {
        put(new ShardId("n1-a", 0), bytes(1, 100));
        ShardScrubber scrubber = scrubber(meta, RATE, Duration.ZERO);
        scrubber.runPass();

        assertThat(scrubber.step()).isEqualTo(ShardScrubber.MIN_PASS_GAP.toMillis());
        assertThat(scrubber.verifications()).isEqualTo(1);
    }

    @Test
    void reports_metadataUnavailable_keptAcrossRestartAndWrittenAtACheckpoint() throws Exception {
        put(new ShardId("n1-bad", 2), bytes(1, 2 * CHUNK));
        Record r = locate(new ShardId("n1-bad", 2));
        flip(r.file(), r.dataOffset() + 8 + 10);
        Switchable down = new Switchable(meta);
        down.available = false;
        ShardScrubber first = scrubber(down, RATE, Duration.ofHours(1));
        first.runPass();
        assertThat(first.pendingReports()).isEqualTo(1);
        assertThat(damage()).isEmpty();
        first.close();

        // A restarted node: no pass is due for an hour, so only the saved report can reach the metadata.
        ShardScrubber second = scrubber();
        assertThat(second.pendingReports()).isEqualTo(1);
        clock.advance(ShardScrubber.CHECKPOINT_INTERVAL);
        assertThat(second.step()).isPositive();

        assertThat(second.verifications()).isZero();
        assertThat(second.pendingReports()).isZero();
        assertThat(damage()).singleElement().satisfies(d -> {
            assertThat(d.setId()).isEqualTo("n1-bad");
            assertThat(d.index()).isEqualTo(2);
            assertThat(d.cause()).isEqualTo(DamageReport.Cause.CORRUPT);
        });
    }

    @Test
    void open_unreadableStateFile_startsANewPass() throws Exception {
        put(new ShardId("n1-a", 0), bytes(1, 100));
        put(new ShardId("n1-b", 0), bytes(2, 100));
        Files.write(ShardScrubber.stateFileIn(dir.resolve("shards")), new byte[] {1, 2, 3, 4, 5});

        ShardScrubber scrubber = scrubber();
        scrubber.runPass();

        assertThat(scrubber.verifications()).isEqualTo(2);
        assertThat(ScrubState.load(ShardScrubber.stateFileIn(dir.resolve("shards"))).passesCompleted())
                .isEqualTo(1);
    }

    @Test
    void start_realThread_scrubsReportsAndStopsOnCloseLeavingTheStoreReadable() throws Exception {
        for (int i = 0; i < 5; i++) {
            put(new ShardId("n1-t" + i, 0), bytes(i, 3 * CHUNK));
        }
        Record r = locate(new ShardId("n1-t2", 0));
        flip(r.file(), r.dataOffset() + 8 + 10);
        ShardScrubber scrubber = new ShardScrubber(store, meta, NODE, ShardScrubber.stateFileIn(dir.resolve("shards")),
                64L << 20, Duration.ofHours(1), java.time.Clock.systemUTC(), null);
        scrubbers.add(scrubber);

        scrubber.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> damage().size() == 1
                && scrubber.progress().passesCompleted() == 1);
        scrubber.close();

        // Stopping the thread must leave the store's files open for everyone else (no interrupt closed them).
        assertThat(read(new ShardId("n1-t4", 0))).isEqualTo(bytes(4, 3 * CHUNK));
        assertThat(ScrubState.load(ShardScrubber.stateFileIn(dir.resolve("shards"))).passesCompleted())
                .isEqualTo(1);
    }

    @Test
    void step_rateZero_readsNothingAndSaysSo() throws Exception {
        put(new ShardId("n1-a", 0), bytes(1, 100));
        ShardScrubber off = scrubber(meta, 0, Duration.ofHours(1));

        assertThat(off.step()).isEqualTo(Long.MAX_VALUE);
        assertThat(off.publishProgress()).isTrue();

        assertThat(off.verifications()).isZero();
        ScrubProgress p = AdminJson.read(meta.get(MetaTable.HEALTH, ShardScrubber.progressKey(NODE)).orElseThrow(),
                ScrubProgress.class);
        assertThat(p.bytesPerSecond()).isZero();
        assertThat(p.passesCompleted()).isZero();
    }

    @Test
    void bindMeters_afterAPassWithDamage_scrapeShowsTheScrubFigures() throws Exception {
        put(new ShardId("n1-bad", 0), bytes(1, 2 * CHUNK));
        Record r = locate(new ShardId("n1-bad", 0));
        flip(r.file(), r.dataOffset() + 8 + 10);
        ShardScrubber scrubber = scrubber();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        scrubber.bindMeters(registry);

        scrubber.runPass();

        String scrape = registry.scrape();
        assertThat(scrape).contains("predastore_scrub_bytes_verified_total " + (double) store.liveBytes())
                .contains("predastore_scrub_corruptions_total 1.0")
                .contains("predastore_scrub_passes_total 1.0")
                .contains("predastore_scrub_pass_progress_ratio 1.0");
    }

    /** The real metadata store behind a switch that makes it refuse writes, as one without a leader would. */
    private static final class Switchable implements MetadataStore {
        private final MetadataStore delegate;
        volatile boolean available = true;

        Switchable(MetadataStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
            check();
            return delegate.get(table, key);
        }

        @Override
        public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
            check();
            return delegate.applyBatch(batch);
        }

        @Override
        public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
            check();
            return delegate.scan(table, prefix, from, limit);
        }

        private void check() throws IOException {
            if (!available) {
                throw new IOException("no metadata leader (test)");
            }
        }

        @Override
        public void close() {
        }
    }
}
