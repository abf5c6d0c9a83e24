package io.predastore.node.store.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.NoSuchShardException;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardId;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ScrubProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads this node's own shards continuously, one at a time in index order, and checks every checksum of each
 * ({@link SegmentShardStore#verify}), so that a shard whose bytes rotted on disk is found and rebuilt while its set
 * still has the other shards to rebuild it from, rather than when a read needs it.
 *
 * <h2>Pace</h2> It reads at most {@code scrub_bytes_per_second} on average ({@link ScrubPacer}); after a full pass
 * it waits {@code scrub_pass_interval_ms} before the next. A rate of 0 turns it off: nothing is read, and its
 * progress (published once) says {@code bytesPerSecond} 0.
 *
 * <h2>Thread</h2> It runs on a daemon thread of its own rather than as a {@link io.predastore.node.jobs.BackgroundJob}
 * slice on a scheduler: a pass is one long, paced walk that spends most of its time asleep, and a thread of its own
 * keeps that walk (its cursor, its pacer) in one place, holds up no other job, and needs no slicing. The thread is
 * never interrupted: an interrupt would close the segment files' {@code FileChannel}s under every reader of the
 * store. It sleeps on a latch that {@link #close()} opens, and checks between shards whether to stop.
 *
 * <h2>Resume</h2> Its {@link ScrubState} (cursor = the last shard verified, pass figures, totals, reports not yet
 * written) is saved atomically to its state file every {@link #CHECKPOINT_BYTES} verified or
 * {@link #CHECKPOINT_INTERVAL}, at the end of a pass and on close; a restarted node goes on after the cursor. A
 * state file that cannot be read is logged and a new pass starts.
 *
 * <h2>Damage</h2> A shard that fails is logged (WARN: the shard, its segment, what failed) and a {@link DamageReport}
 * (CORRUPT, or MISSING when its record or segment is gone) is written to {@link MetaTable#DAMAGE} through Raft, for
 * the metadata leader's protection pass to turn into a repair. Reports that cannot be written (no metadata leader)
 * stay pending in its {@link DamageOutbox}, in memory and in the state file, bounded by
 * {@link ScrubState#MAX_PENDING}, and are retried at each checkpoint. The scrubber never deletes or rewrites a shard: reads keep refusing a damaged one until the repair
 * rebuilds it in place.
 *
 * <h2>Progress</h2> A {@link ScrubProgress} in JSON ({@link AdminJson}) is written to {@link MetaTable#HEALTH} under
 * {@code "scrub/" + nodeId} (the admin API's node name, {@code node-N}) at most every {@link #PROGRESS_INTERVAL}
 * and at the end of each pass; {@link #bindMeters} exposes the same figures to Prometheus.
 *
 * <p>Thread-safe: the figures are guarded by {@code this}, held briefly; verification runs outside it.
 */
public final class ShardScrubber implements AutoCloseable {
    /** How often the state is saved, at the latest, while a pass runs or waits. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(30);
    /** How many bytes verified, at most, between two saves of the state. */
    static final long CHECKPOINT_BYTES = 64L << 20;
    /** How often progress is written to the metadata, at most (besides the end of each pass). */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
    /** The shortest pause between two passes, whatever {@code scrub_pass_interval_ms} says. */
    static final Duration MIN_PASS_GAP = Duration.ofSeconds(1);
    /** Shards listed from the index at a time (their ids and sizes: a few tens of KiB). */
    static final int PAGE = 256;
    /** How long a failed step (store closed, index unreadable) waits before the next try. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(10);
    /** Shards in a row that may fail with an I/O error (not a failed check) before the scrubber backs off. */
    static final int MAX_UNREADABLE_IN_A_ROW = 3;
    private static final int MAX_DETAIL = 300;
    private static final Logger LOG = LoggerFactory.getLogger(ShardScrubber.class);

    /** How the scrubber waits; a test's sleeper moves a test clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Waits about {@code millis} (less if the scrubber is closing).
         *
         * @throws InterruptedException if the wait is interrupted
         */
        void sleep(long millis) throws InterruptedException;
    }

    private final SegmentShardStore store;
    private final MetadataStore meta;
    private final int node;
    private final String nodeName;
    private final Path stateFile;
    private final long bytesPerSecond;
    private final Duration passInterval;
    private final Clock clock;
    private final Sleeper sleeper;
    private final ScrubPacer pacer;
    private final DamageOutbox outbox;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean closed;
    private Thread thread;

    // Guarded by this.
    private boolean inPass;
    private ShardId cursor;
    private long passesCompleted;
    private long passBytesVerified;
    private long passBytesTotal;
    private long passStartMillis;
    private long lastFullPassMillis;
    private long corruptionsFound;
    private long lastCheckpointMillis;
    private long bytesSinceCheckpoint;
    private long lastProgressMillis = -1;
    /** Only the scrubber's thread uses it. */
    private int unreadableInARow;

    // Since this process started, for the Prometheus counters.
    private final AtomicLong bytesVerified = new AtomicLong();
    private final AtomicLong corruptions = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong verifications = new AtomicLong();

    /**
     * Makes a scrubber of {@code store} for node {@code node}, resuming from {@code stateFile} if it holds a usable
     * state (else starting a new pass, and saying why). Nothing runs until {@link #start()}.
     *
     * @param bytesPerSecond {@code scrub_bytes_per_second}; 0 turns scrubbing off
     * @param passInterval   {@code scrub_pass_interval_ms}: the pause after a full pass
     * @param sleeper        how to wait, or null for real sleeps that {@link #close()} cuts short
     */
    public ShardScrubber(SegmentShardStore store, MetadataStore meta, int node, Path stateFile, long bytesPerSecond,
            Duration passInterval, Clock clock, Sleeper sleeper) {
        this.store = Objects.requireNonNull(store, "store");
        this.meta = Objects.requireNonNull(meta, "meta");
        this.node = node;
        this.nodeName = MetaPeerConfig.peerIdOf(node);
        this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("scrub_bytes_per_second must be 0 (off) or more, not "
                    + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.passInterval = Objects.requireNonNull(passInterval, "passInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = sleeper != null ? sleeper : millis -> stop.await(millis, TimeUnit.MILLISECONDS);
        this.pacer = bytesPerSecond > 0 ? new ScrubPacer(bytesPerSecond, clock, this.sleeper) : null;
        ScrubState state;
        try {
            state = ScrubState.load(stateFile);
        } catch (IOException e) {
            LOG.warn("{}; the scrubber starts a new pass (its totals start from 0)", e.getMessage());
            state = ScrubState.fresh();
        }
        restore(state);
        outbox = new DamageOutbox(meta, state.pending(), CHECKPOINT_INTERVAL);
        lastCheckpointMillis = clock.millis();
    }

    /** The key of node {@code node}'s progress in {@link MetaTable#HEALTH}: UTF-8 {@code "scrub/node-N"}. */
    public static byte[] progressKey(int node) {
        return ("scrub/" + MetaPeerConfig.peerIdOf(node)).getBytes(StandardCharsets.UTF_8);
    }

    /** The state file of the shard store in {@code shardDir}: {@code <shardDir>/scrub-state}. */
    public static Path stateFileIn(Path shardDir) {
        return shardDir.resolve("scrub-state");
    }

    /**
     * Starts the scrubber's thread: it scrubs until {@link #close()}, or, with a rate of 0, publishes its progress
     * once and ends.
     */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = new Thread(this::run, "shard-scrubber");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        if (bytesPerSecond == 0) {
            LOG.info("the shard scrubber is off (scrub_bytes_per_second = 0)");
            while (!closed && !publishProgress()) {
                pause(CHECKPOINT_INTERVAL.toMillis());
            }
            return;
        }
        LOG.info("shard scrubber: re-reading this node's shards at {} bytes/s, {} ms between passes{}",
                bytesPerSecond, passInterval.toMillis(), cursorText());
        while (!closed) {
            try {
                long wait = step();
                if (wait > 0) {
                    pause(Math.min(wait, CHECKPOINT_INTERVAL.toMillis()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("shard scrubber: {}; trying again in {} s", e.toString(), RETRY_DELAY.toSeconds());
                pause(RETRY_DELAY.toMillis());
            }
        }
    }

    private void pause(long millis) {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Does the next piece of work: begins a pass if one is due, else verifies the next page of shards (paced),
     * checkpointing as due; at the end of the shards, ends the pass.
     *
     * @return 0 to go on at once, or how many milliseconds until there is work again
     * @throws IOException if the store cannot be listed (it is closed, or its index fails)
     * @throws InterruptedException if a paced sleep is interrupted
     */
    long step() throws IOException, InterruptedException {
        if (bytesPerSecond == 0) {
            return Long.MAX_VALUE;
        }
        long now = clock.millis();
        ShardId after;
        long due;
        synchronized (this) {
            due = inPass || lastFullPassMillis < 0 ? now : lastFullPassMillis + passGapMillis();
            if (now >= due && !inPass) {
                beginPass(now);
            }
            after = cursor;
        }
        if (now < due) {
            checkpointIfDue(now);
            return due - now;
        }
        List<SegmentShardStore.ScrubItem> page = store.scrubPage(after, PAGE);
        if (page.isEmpty()) {
            endPass();
            return passGapMillis();
        }
        for (SegmentShardStore.ScrubItem item : page) {
            if (closed) {
                return 0;
            }
            verifyOne(item);
            synchronized (this) {
                cursor = item.id();
                passBytesVerified += item.recordSize();
                bytesSinceCheckpoint += item.recordSize();
            }
            bytesVerified.addAndGet(item.recordSize());
            pacer.paced(item.recordSize());
            long at = clock.millis();
            checkpointIfDue(at);
            if (at - lastProgressMillis >= PROGRESS_INTERVAL.toMillis()) {
                publishProgress();
            }
        }
        return 0;
    }

    /** Runs {@link #step()} until the pass under way (or the one due now) ends; for tests and tools. */
    void runPass() throws IOException, InterruptedException {
        long passesBefore = passes.get();
        while (passes.get() == passesBefore && !closed) {
            long wait = step();
            if (wait > 0 && passes.get() == passesBefore) {
                throw new IllegalStateException("no pass is due for another " + wait + " ms");
            }
        }
    }

    private void beginPass(long now) {
        inPass = true;
        cursor = null;
        passBytesVerified = 0;
        passBytesTotal = store.liveBytes();
        passStartMillis = now;
        pacer.reset();
    }

    private void endPass() throws IOException {
        long now = clock.millis();
        String done;
        synchronized (this) {
            inPass = false;
            cursor = null;
            passesCompleted++;
            lastFullPassMillis = now;
            done = "pass " + passesCompleted + " done, " + passBytesVerified + " bytes verified in "
                    + Math.max(0, now - passStartMillis) / 1000 + " s, " + corruptionsFound
                    + " damaged shards found in all passes";
        }
        checkpoint(now);
        passes.incrementAndGet();
        LOG.info("shard scrubber: {}", done);
        publishProgress();
    }

    /**
     * The pause between passes: {@code scrub_pass_interval_ms}, but at least {@link #MIN_PASS_GAP}, so that an
     * interval of 0 on a node with few shards does not turn into a loop of state-file and Raft writes.
     */
    private long passGapMillis() {
        return Math.max(passInterval.toMillis(), MIN_PASS_GAP.toMillis());
    }

    /**
     * Verifies one shard; a damaged one is logged and reported. One that cannot be read at all (an I/O error rather
     * than a failed check) is logged and skipped until the next pass, since an error of the disk as a whole must not
     * turn every shard into a damage report; after {@link #MAX_UNREADABLE_IN_A_ROW} such shards in a row the error
     * is thrown, and the scrubber retries from the same shard after {@link #RETRY_DELAY}.
     */
    private void verifyOne(SegmentShardStore.ScrubItem item) throws IOException {
        ShardId id = item.id();
        verifications.incrementAndGet();
        try {
            store.verify(id);
            unreadableInARow = 0;
        } catch (NoSuchShardException e) {
            // deleted since it was listed
        } catch (ShardCorruptException e) {
            unreadableInARow = 0;
            reportDamage(item, e);
        } catch (IOException e) {
            if (closed || ++unreadableInARow > MAX_UNREADABLE_IN_A_ROW) {
                throw e;
            }
            LOG.warn("shard scrubber: shard {} of set {} (segment {}) cannot be read: {}; skipped until the next pass",
                    id.index(), id.objectId(), segmentName(item.segment()), e.toString());
        }
    }

    /** Logs a damaged shard and queues its report, then tries to write the queue to the metadata. */
    private void reportDamage(SegmentShardStore.ScrubItem item, ShardCorruptException e) {
        ShardId id = item.id();
        DamageReport.Cause cause = e.missing() ? DamageReport.Cause.MISSING : DamageReport.Cause.CORRUPT;
        String detail = e.getMessage().length() > MAX_DETAIL ? e.getMessage().substring(0, MAX_DETAIL)
                : e.getMessage();
        LOG.warn("shard scrubber: shard {} of set {} (segment {}) is {}: {}; reported for repair from the other "
                + "shards of its set, reads refuse it meanwhile", id.index(), id.objectId(),
                segmentName(item.segment()), cause == DamageReport.Cause.MISSING ? "missing" : "corrupt", detail);
        corruptions.incrementAndGet();
        synchronized (this) {
            corruptionsFound++;
        }
        if (!outbox.add(new DamageReport(id.objectId(), id.index(), node, cause, clock.instant(), detail))) {
            LOG.warn("shard scrubber: {} damage reports are waiting for the metadata already; shard {} of {} is "
                    + "reported at the next pass", outbox.size(), id.index(), id.objectId());
        }
        outbox.flush();
    }

    private static String segmentName(long segment) {
        return segment < 0 ? "unknown, its index entry is damaged" : String.format("%016d.seg", segment);
    }

    /** Saves the state and retries pending reports if a checkpoint is due. */
    private void checkpointIfDue(long now) throws IOException {
        boolean due;
        synchronized (this) {
            due = bytesSinceCheckpoint >= CHECKPOINT_BYTES
                    || now - lastCheckpointMillis >= CHECKPOINT_INTERVAL.toMillis();
        }
        if (due) {
            checkpoint(now);
        }
    }

    /**
     * Writes pending reports (as many as the metadata takes), then saves the state. Neither holds this while it
     * waits for Raft or the disk, so progress and meters stay readable meanwhile.
     */
    private void checkpoint(long now) throws IOException {
        outbox.flush();
        state().save(stateFile);
        synchronized (this) {
            lastCheckpointMillis = now;
            bytesSinceCheckpoint = 0;
        }
    }

    /** The state as it would be saved now. */
    synchronized ScrubState state() {
        return new ScrubState(inPass, cursor, passesCompleted, passBytesVerified, passBytesTotal, passStartMillis,
                lastFullPassMillis, corruptionsFound, outbox.pending());
    }

    private void restore(ScrubState s) {
        inPass = s.inPass();
        cursor = s.cursor();
        passesCompleted = s.passesCompleted();
        passBytesVerified = s.passBytesVerified();
        passBytesTotal = s.passBytesTotal();
        passStartMillis = s.passStartMillis();
        lastFullPassMillis = s.lastFullPassMillis();
        corruptionsFound = s.corruptionsFound();
    }

    private synchronized String cursorText() {
        return inPass && cursor != null ? ", resuming pass " + (passesCompleted + 1) + " after shard "
                + cursor.index() + " of " + cursor.objectId() : "";
    }

    /** How far the scrubber has got, as the admin API and the desktop app show it. */
    public synchronized ScrubProgress progress() {
        return new ScrubProgress(nodeName, passBytesVerified, passBytesTotal, passesCompleted, lastFullPassMillis,
                corruptionsFound, bytesPerSecond, clock.millis());
    }

    /** Writes {@link #progress()} to {@link MetaTable#HEALTH}; false (logged at debug) if the metadata refused. */
    boolean publishProgress() {
        ScrubProgress p = progress();
        lastProgressMillis = p.updatedMillis();
        try {
            meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.HEALTH, progressKey(node), AdminJson.writeBytes(p))));
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debug("shard scrubber: progress not published: {}", e.toString());
            return false;
        }
    }

    /** Number of damage reports not yet written to the metadata. */
    public int pendingReports() {
        return outbox.size();
    }

    /** Shards verified since this scrubber was made (tests count them to check that a resumed pass skips none). */
    long verifications() {
        return verifications.get();
    }

    /**
     * Binds the scrubber's meters: {@code predastore_scrub_bytes_verified_total},
     * {@code predastore_scrub_corruptions_total}, {@code predastore_scrub_passes_total} (since the process started)
     * and {@code predastore_scrub_pass_progress_ratio} (of the pass under way; 1 between passes).
     */
    public void bindMeters(MeterRegistry registry) {
        FunctionCounter.builder("predastore.scrub.bytes.verified", bytesVerified, AtomicLong::get)
                .description("Bytes of shard records the scrubber re-read and checked.").register(registry);
        FunctionCounter.builder("predastore.scrub.corruptions", corruptions, AtomicLong::get)
                .description("Shards the scrubber found corrupt or missing (each time it found one).")
                .register(registry);
        FunctionCounter.builder("predastore.scrub.passes", passes, AtomicLong::get)
                .description("Full scrub passes over the node's shards.").register(registry);
        Gauge.builder("predastore.scrub.pass.progress.ratio", this, ShardScrubber::passRatio)
                .description("Fraction of the shard bytes held at its start that the scrub pass under way has "
                        + "verified; 1 between passes, 0 before the first.").register(registry);
    }

    private synchronized double passRatio() {
        if (!inPass) {
            return passesCompleted > 0 ? 1.0 : 0.0;
        }
        return passBytesTotal == 0 ? 0.0 : Math.min(1.0, (double) passBytesVerified / passBytesTotal);
    }

    /**
     * Stops the thread (after the shard it is verifying) and saves the state, so the next start resumes after the
     * last shard verified. Pending reports stay in the state file: writing them now could hold up a shutdown on a
     * cluster without a metadata leader.
     */
    @Override
    public void close() throws IOException {
        Thread t;
        synchronized (this) {
            if (closed && thread == null) {
                return;
            }
            closed = true;
            t = thread;
            thread = null;
        }
        stop.countDown();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (bytesPerSecond > 0) {
            state().save(stateFile);
        }
    }
}
