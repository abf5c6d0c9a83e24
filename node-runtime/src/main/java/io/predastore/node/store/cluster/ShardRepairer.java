package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one repair engine: rebuilds every shard listed in the {@code repairs} table, whatever the cause
 * ({@link RepairCause}). Shards never written (their nodes were down at write, see
 * {@link DistributedBackend#writeShards}) and shards on a node declared lost ({@link DeadNodes}) or removed from the
 * members are rebuilt on live active nodes that hold no other shard of the set; shards found corrupt, or absent from their live node, are rebuilt in
 * place under the same id. For each entry whose shard set an object still uses, the lacking shards are decoded
 * from the present ones and streamed to their nodes, and the object's record is switched to the new placement by
 * one metadata write, conditioned on the record being unchanged, that also removes the entry (and, for shards moved
 * off a lost node, adds a tombstone so the reaper deletes them if that node comes back). Entries that move healthy
 * shards ({@link RepairCause#REBALANCE}, {@link RepairCause#DRAIN}) are carried out by {@link #move}: copied, switched
 * the same way, the old copies tombstoned; they wait behind every other entry.
 *
 * <p>Each round reads the queue in slices of {@link #SLICE} entries and repairs the sets with the fewest healthy
 * shards first, {@code repair_concurrent_sets} at a time, their reads held to {@code repair_bytes_per_second}
 * together ({@link Pace}). A rebuilt shard has exactly the bytes the original write
 * would have given it (the same stripes, re-encoded), so reads and shard checksums need nothing special.
 *
 * <p>One node repairs at a time (the node runtime picks the metadata leader), so two nodes do not rebuild the same
 * set. Every commit is conditional, so an object deleted or overwritten during a repair is never brought back; the
 * rebuilt shards are then deleted through the reaper. Memory is a few stripes per repair whatever the object size.
 * Thread-safe: rounds run one at a time.
 */
final class ShardRepairer {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRepairer.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int PAGE = 100;
    private static final int MAX_COMMIT_ATTEMPTS = 4;
    private static final int MAX_WARNED = 10_000;
    /** Entries read, sorted by priority and repaired at a time; the queue beyond is read after them. */
    static final int SLICE = 10_000;

    private final ClusterContext cx;
    /** How often the repairs table is gone through while this node is the one that repairs. */
    private final Duration roundInterval;
    /**
     * How long an entry whose set no object uses is kept. The entry is written before the object record that uses
     * the set is committed, so a young unused entry may belong to a write still under way; an old one was left by a
     * write that never committed (its node crashed), and its shards are deleted with it.
     */
    private final Duration unreferencedGrace;
    /** Sets already reported at warn level as not repairable for now, so a stuck set logs once, not every round. */
    private final Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final DeadNodes dead;
    private final Pace pace;
    private final int concurrentSets;
    private final RepairProgress progress;
    private final MoveProgress moves;
    private List<Integer> lastLive = List.of();
    /** Why the last round stopped before going through every entry, until {@link #takeRoundFailure} reads it. */
    private Exception roundFailure;
    private Instant lastRound;

    /**
     * @param roundInterval     how often a round goes through the repairs table ({@code repair_round_interval_ms})
     * @param unreferencedGrace how long an entry whose set no object uses is kept before its shards are deleted
     *                          ({@code repair_unreferenced_grace_ms})
     */
    ShardRepairer(ClusterContext cx, Duration roundInterval, Duration unreferencedGrace) {
        this(cx, roundInterval, unreferencedGrace, new DeadNodes(cx.router, cx.clock, Duration.ZERO),
                Pace.unlimited(), 1);
    }

    /**
     * @param dead           which nodes are lost (their shards are rebuilt elsewhere)
     * @param pace           the pace of rebuild reads, shared by the sets rebuilt at once
     * @param concurrentSets sets rebuilt at once ({@code repair_concurrent_sets})
     */
    ShardRepairer(ClusterContext cx, Duration roundInterval, Duration unreferencedGrace, DeadNodes dead, Pace pace,
            int concurrentSets) {
        this.cx = cx;
        this.roundInterval = roundInterval;
        this.unreferencedGrace = unreferencedGrace;
        this.dead = dead;
        this.pace = pace;
        this.concurrentSets = Math.max(1, concurrentSets);
        this.progress = new RepairProgress(cx.clock);
        this.moves = new MoveProgress(cx.clock);
    }

    /** Sets and bytes rebuilt, and the recent pace. */
    RepairProgress progress() {
        return progress;
    }

    /** Shards and bytes moved by rebalancing and draining, and the recent pace. */
    MoveProgress moves() {
        return moves;
    }

    /** The configured pace of repair reads in bytes per second ({@code repair_bytes_per_second}), 0 for none. */
    long configuredBytesPerSecond() {
        return pace.perSecond();
    }

    private enum Outcome {
        REPAIRED,
        DROPPED,
        PENDING,
        QUARANTINED
    }

    /** The job name in logs and quarantine records. */
    static final String JOB = "shard-repair";

    /**
     * Runs a round if one is due: every round interval, and at once when a node has come back since the last
     * call (the missing shards' nodes may be the ones that came back). Meant to be called every few seconds;
     * {@code active} says whether this node is the one that repairs, and is asked again before each set so a
     * node that stops being it stops soon.
     */
    synchronized RepairRound repairIfDue(BooleanSupplier active) {
        boolean here = active.getAsBoolean();
        dead.active(here);
        if (!here) {
            lastRound = null;
            lastLive = List.of();
            return RepairRound.NONE;
        }
        List<Integer> live = cx.router.liveNodes();
        boolean nodeBack = !lastLive.containsAll(live);
        lastLive = live;
        Instant now = cx.clock.instant();
        if (!nodeBack && lastRound != null && now.isBefore(lastRound.plus(roundInterval))) {
            return RepairRound.NONE;
        }
        lastRound = now;
        return repairAll(active);
    }

    /**
     * Goes through every entry of the repairs table once, repairing what can be repaired now: slice by slice of the
     * queue, the sets with the fewest healthy shards first, {@code repair_concurrent_sets} at a time. Entries that
     * only move healthy shards ({@link RepairNeeded#onlyMoves}) are gone through in a second sweep, after every
     * other entry of the table, so a set that lacks shards is always rebuilt before a healthy one is moved.
     */
    synchronized RepairRound repairAll(BooleanSupplier active) {
        java.util.concurrent.atomic.AtomicIntegerArray counts = new java.util.concurrent.atomic.AtomicIntegerArray(4);
        java.util.concurrent.ExecutorService[] pool = new java.util.concurrent.ExecutorService[1];
        try {
            sweep(active, counts, pool, false);
            if (active.getAsBoolean()) {
                sweep(active, counts, pool, true);
            }
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException e) {
            // The metadata store is unavailable (no leader, lost quorum); the next round retries.
            LOG.debug("shard repair round stopped: {}", e.getMessage());
            roundFailure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            roundFailure = e;
        } finally {
            if (pool[0] != null) {
                pool[0].shutdownNow();
            }
        }
        RepairRound round = new RepairRound(counts.get(Outcome.REPAIRED.ordinal()),
                counts.get(Outcome.DROPPED.ordinal()), counts.get(Outcome.PENDING.ordinal()),
                counts.get(Outcome.QUARANTINED.ordinal()));
        if (round.repaired() + round.dropped() + round.pending() + round.quarantined() > 0) {
            LOG.debug("shard repair round: {}", round);
        }
        return round;
    }

    /**
     * One sweep of the whole table: the entries that only move shards if {@code moves}, else all the others.
     *
     * @param pool the sets' thread pool, made here on first need and kept in {@code pool[0]} for the caller to shut
     */
    private void sweep(BooleanSupplier active, java.util.concurrent.atomic.AtomicIntegerArray counts,
            java.util.concurrent.ExecutorService[] pool, boolean moves)
            throws IOException, InterruptedException, java.util.concurrent.ExecutionException {
        byte[] from = null;
        while (true) {
            List<MetaEntry> slice = new ArrayList<>();
            while (slice.size() < SLICE) {
                List<MetaEntry> page = cx.meta.scan(MetaTable.REPAIRS, EMPTY, from, PAGE);
                for (MetaEntry e : page) {
                    if (onlyMoves(e) == moves) {
                        slice.add(e);
                    }
                }
                if (page.size() < PAGE) {
                    from = null;
                    break;
                }
                byte[] last = page.get(page.size() - 1).key();
                from = Arrays.copyOf(last, last.length + 1);
            }
            if (!slice.isEmpty()) {
                progress.working();
            }
            List<MetaEntry> ordered = RepairPriority.order(slice, cx.router.liveNodes());
            if (concurrentSets > 1 && ordered.size() > 1 && pool[0] == null) {
                pool[0] = java.util.concurrent.Executors.newFixedThreadPool(concurrentSets, r -> {
                    Thread t = new Thread(r, "shard-repair-set");
                    t.setDaemon(true);
                    return t;
                });
            }
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (MetaEntry e : ordered) {
                Runnable one = () -> {
                    if (active.getAsBoolean()) {
                        counts.incrementAndGet(repair(e.key(), e.value()).ordinal());
                    }
                };
                if (pool[0] == null) {
                    one.run();
                } else {
                    running.add(pool[0].submit(one));
                }
            }
            for (java.util.concurrent.Future<?> f : running) {
                f.get();
            }
            if (from == null || !active.getAsBoolean()) {
                return;
            }
        }
    }

    /** Whether an entry belongs to the sweep of moves; one that does not decode goes to the first (set aside). */
    private static boolean onlyMoves(MetaEntry e) {
        try {
            return ClusterRecords.decodeRepair(e.value()).onlyMoves();
        } catch (IOException | RuntimeException bad) {
            return false;
        }
    }

    /** Why the last round stopped early (the metadata store could not be read), once; null if it did not. */
    synchronized Exception takeRoundFailure() {
        Exception e = roundFailure;
        roundFailure = null;
        return e;
    }

    private Outcome repair(byte[] entryKey, byte[] entry) {
        String id = MetaKeys.string(entryKey, 0, entryKey.length);
        RepairNeeded r;
        try {
            r = ClusterRecords.decodeRepair(entry);
        } catch (IOException | RuntimeException e) {
            try {
                return cx.quarantine.move(MetaTable.REPAIRS, entryKey, entry, JOB, e.getMessage())
                        ? Outcome.QUARANTINED : Outcome.PENDING;
            } catch (IOException | RuntimeException moveFailure) {
                warnOnce(id, "repair entry {} does not decode ({}) and could not be set aside now: {}", id,
                        e.getMessage(), moveFailure.toString());
                return Outcome.PENDING;
            }
        }
        try {
            byte[] objectKey = MetaKeys.object(r.bucket(), r.key());
            Optional<byte[]> current = cx.meta.get(MetaTable.OBJECTS, objectKey);
            ObjectRecord<ShardSet> record = current.isPresent() ? ClusterRecords.decodeObject(current.get()) : null;
            int segment = record == null ? -1 : segmentOf(record, id);
            if (segment < 0) {
                MetaEntry part = r.onlyMoves() ? partOf(r) : null;
                if (part != null) {
                    return movePart(entryKey, entry, r, part);
                }
                return unused(entryKey, entry, r, objectKey, current.orElse(null));
            }
            ShardSet set = record.segments().get(segment);
            int[] corrupt = stillCorrupt(r, set);
            int[] lost = stillLost(r, set);
            if (set.missing().length == 0 && corrupt.length == 0 && lost.length == 0) {
                if (!r.moved().isEmpty()) {
                    return move(entryKey, entry, r, objectKey, current.get(), record, segment, set);
                }
                // Whole already; only the entry is left (it is normally removed with the repair that made it so).
                removeEntry(entryKey, entry);
                return Outcome.DROPPED;
            }
            // A shard on a lost node is rebuilt like one never written: on a live node holding no other shard.
            ShardSet moving = set;
            if (lost.length > 0) {
                int[] without = set.nodes();
                for (int i : lost) {
                    without[i] = ShardSet.MISSING;
                }
                moving = set.withNodes(without);
            }
            int[] targets = targets(r.bucket(), r.key(), moving);
            if (targets == null) {
                LOG.debug("{}/{}: not enough live nodes to rebuild shards {} of {}; waiting", r.bucket(), r.key(),
                        Arrays.toString(set.missing()), id);
                return Outcome.PENDING;
            }
            // A corrupt shard is rebuilt in place: its copy is deleted, then written again under its id on its node.
            ShardSet readable = moving;
            if (corrupt.length > 0) {
                int[] without = moving.nodes();
                for (int i : corrupt) {
                    targets[i] = set.node(i);
                    without[i] = ShardSet.MISSING;
                }
                readable = moving.withNodes(without);
                if (!cx.router.liveNodes().containsAll(Arrays.stream(corrupt).map(set::node).boxed().toList())) {
                    LOG.debug("{}/{}: the nodes of corrupt shards {} of {} are down; waiting", r.bucket(), r.key(),
                            Arrays.toString(corrupt), id);
                    return Outcome.PENDING;
                }
            }
            int readableCount = readableShards(readable);
            if (readableCount < set.dataShards()) {
                warnOnce(id, "{}/{}: shards {} of {} cannot be rebuilt now: only {} of its shards are on live nodes"
                        + " and {} are needed; retrying when more nodes are up", r.bucket(), r.key(),
                        Arrays.toString(readable.missing()), id, readableCount, set.dataShards());
                return Outcome.PENDING;
            }
            String expectedMd5 = record.header().partsCount() == 0 && record.segments().size() == 1
                    ? record.header().etag() : null;
            if (!rebuild(r, readable, targets, expectedMd5)) {
                return Outcome.PENDING;
            }
            return commit(entryKey, entry, r, objectKey, current.get(), segment, set, targets, lost, false);
        } catch (IOException | RuntimeException e) {
            warnOnce(id, "repair of shard set {} failed, retrying in a later round: {}", id, e.toString());
            return Outcome.PENDING;
        }
    }

    /**
     * The shards the entry reports corrupt that the object still has on the node they were found corrupt on (one
     * moved or rebuilt since is not touched).
     */
    private static int[] stillCorrupt(RepairNeeded r, ShardSet set) {
        return r.corrupt().stream().mapToInt(Integer::intValue)
                .filter(i -> !set.isMissing(i) && set.node(i) == r.set().node(i)).toArray();
    }

    /**
     * The shards the entry reports on a lost node that the object still has there, and whose node is still lost
     * now: a node that came back is not lost any more, and its shards are left where they are (if its disk was
     * wiped, the protection pass finds them absent and records them to rebuild in place).
     */
    private int[] stillLost(RepairNeeded r, ShardSet set) {
        return r.lost().stream().mapToInt(Integer::intValue)
                .filter(i -> !set.isMissing(i) && set.node(i) == r.set().node(i) && gone(set.node(i)))
                .toArray();
    }

    /**
     * Whether shards on {@code node} are rebuilt elsewhere: it is lost (down past the grace), removed from the
     * members (neither active nor draining; a joining node holds no shards, as it takes none), or draining and down.
     */
    private boolean gone(int node) {
        return dead.isLost(node) || Misplacement.leaving(cx.members(), node, cx.router.liveNodes().contains(node));
    }

    /**
     * Moves the healthy shards the entry lists as misplaced ({@link RepairCause#REBALANCE}, {@link RepairCause#DRAIN})
     * that are still misplaced at the current epoch: copies each from its node to its target
     * ({@link Misplacement}), then switches the record as a rebuild does, conditioned on the record and the entry,
     * with a moved-shards tombstone for the old copies, so the object is never less protected than before the move.
     *
     * <p>Each shard is copied byte for byte from its node ({@link ShardCopy}), which reads one shard instead of the
     * k that decoding needs; a shard whose copy fails (its node does not answer, or a chunk fails its checksum) is
     * rebuilt from the set's other shards by the decode path instead, as a lacking shard is. A copy left on a target
     * by an earlier attempt that never committed (the leader crashed between copy and commit) is deleted first, so a
     * move resumes from its entry after any crash.
     */
    private Outcome move(byte[] entryKey, byte[] entry, RepairNeeded r, byte[] objectKey, byte[] current,
            ObjectRecord<ShardSet> record, int segment, ShardSet set) throws IOException {
        if (!set.equals(r.set())) {
            // Repaired or moved since the entry was recorded: the next protection pass records what is left.
            removeEntry(entryKey, entry);
            return Outcome.DROPPED;
        }
        int[] targets = moveTargets(r, set);
        if (targets == null) {
            removeEntry(entryKey, entry);
            return Outcome.DROPPED;
        }
        String expectedMd5 = record.header().partsCount() == 0 && record.segments().size() == 1
                ? record.header().etag() : null;
        if (!copy(r, set, targets, expectedMd5)) {
            return Outcome.PENDING;
        }
        int[] old = java.util.stream.IntStream.range(0, targets.length).filter(i -> targets[i] != ShardSet.MISSING)
                .toArray();
        return commit(entryKey, entry, r, objectKey, current, segment, set, targets, old, true);
    }

    /**
     * The target of each shard the entry lists as misplaced that is still misplaced at the current epoch
     * ({@link ShardSet#MISSING} for the others and for those without a live target now), or null when none is
     * misplaced any more (e.g. its draining node became active again) and the entry can go.
     */
    private int[] moveTargets(RepairNeeded r, ShardSet set) {
        Misplacement plan = Misplacement.of(cx, cx.members(), r.bucket(), r.key(), set, cx.router.liveNodes(),
                cx.router.nodesBelowReserve());
        int[] targets = new int[set.dataShards() + set.parityShards()];
        Arrays.fill(targets, ShardSet.MISSING);
        boolean misplaced = false;
        for (int i : r.moved()) {
            if (plan.cause(i) != null) {
                targets[i] = plan.target(i);
                misplaced = true;
            }
        }
        return misplaced ? targets : null;
    }

    /**
     * Copies each shard with a target onto it, byte for byte ({@link ShardCopy}); one whose copy fails is rebuilt
     * from the set's other shards instead, and left where it is (its target reset to {@link ShardSet#MISSING}) if
     * that fails too. A copy left on a target by an attempt that never committed is deleted first.
     *
     * @return whether any shard now has a copy on its target
     */
    private boolean copy(RepairNeeded r, ShardSet set, int[] targets, String expectedMd5) throws IOException {
        if (Arrays.stream(targets).allMatch(n -> n == ShardSet.MISSING)) {
            LOG.debug("{}/{}: no live target for the misplaced shards of {} now; waiting", r.bucket(), r.key(),
                    set.objectId());
            return false;
        }
        ShardWarrant warrant = ShardWarrant.of(ShardWarrant.Kind.REPAIR, MetaKeys.utf8(set.objectId()));
        int width = targets.length;
        int[] failed = new int[width];
        Arrays.fill(failed, ShardSet.MISSING);
        int[] readable = set.nodes();
        for (int i = 0; i < width; i++) {
            if (targets[i] == ShardSet.MISSING) {
                continue;
            }
            try {
                cx.router.store(targets[i]).delete(new ShardId(set.objectId(), i), warrant);
                ShardCopy.copy(cx.router, pace, set, i, targets[i]);
            } catch (IOException e) {
                LOG.debug("{}/{}: {}; rebuilding the shard from the others instead", r.bucket(), r.key(),
                        e.getMessage());
                failed[i] = targets[i];
                readable[i] = ShardSet.MISSING;
            }
        }
        if (Arrays.stream(failed).anyMatch(n -> n != ShardSet.MISSING)) {
            ShardSet rest = set.withNodes(readable);
            if (readableShards(rest) < set.dataShards() || !rebuild(r, rest, failed, expectedMd5)) {
                for (int i = 0; i < width; i++) {
                    if (failed[i] != ShardSet.MISSING) {
                        targets[i] = ShardSet.MISSING; // left where it is; the next pass records it again
                    }
                }
            }
        }
        return Arrays.stream(targets).anyMatch(n -> n != ShardSet.MISSING);
    }

    /**
     * Moves the shards of a part of a multipart upload in progress off draining nodes, as {@link #move} does for an
     * object's set: copies them, then switches the part record to the new placement, conditioned on the part
     * record and the entry, with a moved-shards tombstone for the old copies. Completing or aborting the upload is
     * conditioned on the part records it read, so exactly one of the two wins a race; if the part changed, the new
     * copies are deleted and the entry goes.
     */
    private Outcome movePart(byte[] entryKey, byte[] entry, RepairNeeded r, MetaEntry part) throws IOException {
        PartRecord<ShardSet> record = ClusterRecords.decodePart(part.value());
        ShardSet set = record.location();
        int[] targets = set.equals(r.set()) ? moveTargets(r, set) : null;
        if (targets == null) {
            removeEntry(entryKey, entry);
            return Outcome.DROPPED;
        }
        if (!copy(r, set, targets, null)) {
            return Outcome.PENDING;
        }
        int width = targets.length;
        int[] old = new int[width];
        Arrays.fill(old, ShardSet.MISSING);
        for (int i = 0; i < width; i++) {
            if (targets[i] != ShardSet.MISSING) {
                old[i] = set.node(i);
            }
        }
        PartRecord<ShardSet> moved = new PartRecord<>(record.etag(), record.size(), record.lastModified(),
                record.checksum(), withTargets(set, targets));
        byte[] tombstone = ShardReaper.movedKey(ClusterContext.newObjectId(cx.now()),
                MetaKeys.object(r.bucket(), r.key()));
        boolean done = cx.meta.apply(new MetaBatch(List.of(
                new MetaBatch.Condition(MetaTable.PARTS, part.key(), part.value()),
                new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, entry)),
                List.of(new MetaBatch.Put(MetaTable.PARTS, part.key(), ClusterRecords.encodePart(moved)),
                        new MetaBatch.Delete(MetaTable.REPAIRS, entryKey),
                        ShardReaper.tombstone(tombstone, List.of(set.withNodes(old))))));
        if (!done) {
            discard(r, set.objectId(), targets);
            removeEntry(entryKey, entry);
            LOG.info("{}/{}: the upload part in shard set {} was replaced, completed or aborted while its shards "
                    + "were being moved; the new copies are deleted", r.bucket(), r.key(), set.objectId());
            return Outcome.DROPPED;
        }
        forget(set.objectId());
        int count = (int) Arrays.stream(old).filter(n -> n != ShardSet.MISSING).count();
        moves.moved(count, count * set.layout().shardLength(set.length()));
        cx.reaper.reapLater(tombstone, cx.executor);
        LOG.info("{}/{}: moved shards of upload part in shard set {}: now on nodes {}", r.bucket(), r.key(),
                set.objectId(), Arrays.toString(withTargets(set, targets).nodes()));
        return Outcome.REPAIRED;
    }

    private static int segmentOf(ObjectRecord<ShardSet> record, String objectId) {
        List<ShardSet> segments = record.segments();
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).objectId().equals(objectId)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An entry whose set the object does not use: kept while it may still become used (a part of an upload in
     * progress, or a write younger than the unreferenced grace); otherwise removed, with a tombstone for the
     * set's shards (for a replaced or deleted object the reaper deletes them anyway; for a write that never
     * committed nothing else would). Conditioned on the object record, so a set that became used meanwhile stays.
     */
    private Outcome unused(byte[] entryKey, byte[] entry, RepairNeeded r, byte[] objectKey, byte[] current)
            throws IOException {
        if (r.onlyMoves()) {
            // Recorded from a committed object record, now replaced or deleted: its shards go with that record.
            removeEntry(entryKey, entry);
            return Outcome.DROPPED;
        }
        if (inUpload(r)) {
            return Outcome.PENDING; // repaired once the upload is completed, dropped if it is aborted
        }
        if (cx.now().isBefore(r.recorded().plus(unreferencedGrace))) {
            return Outcome.PENDING;
        }
        String tombstone = ClusterContext.newObjectId(cx.now());
        boolean removed = cx.meta.apply(new MetaBatch(
                List.of(new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, entry),
                        new MetaBatch.Condition(MetaTable.OBJECTS, objectKey, current)),
                List.of(new MetaBatch.Delete(MetaTable.REPAIRS, entryKey),
                        ShardReaper.tombstone(tombstone, List.of(r.set())))));
        if (!removed) {
            return Outcome.PENDING;
        }
        cx.reaper.reapLater(tombstone, cx.executor);
        forget(r.set().objectId());
        LOG.info("{}/{}: shard set {} recorded for repair is not used by any object; dropped it and its shards",
                r.bucket(), r.key(), r.set().objectId());
        return Outcome.DROPPED;
    }

    /** Whether a part of a multipart upload in progress for the entry's key is stored in the entry's set. */
    private boolean inUpload(RepairNeeded r) throws IOException {
        return partOf(r) != null;
    }

    /** The part record of an upload in progress for the entry's key that is stored in the entry's set, or null. */
    private MetaEntry partOf(RepairNeeded r) throws IOException {
        byte[] uploads = MetaKeys.concat(MetaKeys.object(r.bucket(), r.key()), new byte[] {0});
        for (MetaEntry upload : scanAll(MetaTable.UPLOADS, uploads)) {
            String uploadId = MetaKeys.string(upload.key(), uploads.length, upload.key().length);
            for (MetaEntry part : scanAll(MetaTable.PARTS, MetaKeys.utf8(uploadId))) {
                if (ClusterRecords.decodePart(part.value()).location().objectId().equals(r.set().objectId())) {
                    return part;
                }
            }
        }
        return null;
    }

    private List<MetaEntry> scanAll(MetaTable table, byte[] prefix) throws IOException {
        List<MetaEntry> out = new ArrayList<>();
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(table, prefix, from, 1000);
            out.addAll(page);
            if (page.size() < 1000) {
                return out;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    private void removeEntry(byte[] entryKey, byte[] entry) throws IOException {
        cx.meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, entry)),
                List.of(new MetaBatch.Delete(MetaTable.REPAIRS, entryKey))));
        forget(MetaKeys.string(entryKey, 0, entryKey.length));
    }

    /**
     * A live node for each missing shard ({@link ShardSet#MISSING} at the other indexes), or null if there are not
     * enough. Shard {@code i} goes where a new write would put it now (element {@code i} of the ring order of the
     * live nodes) if that node holds no shard of the set; the others go to the next free nodes in ring order. No
     * node gets two shards of the set, as for a new write, and none below its free-space reserve gets one.
     */
    private int[] targets(String bucket, String key, ShardSet set) {
        List<Integer> live = cx.liveActive(); // as for a new write: joining and draining members take no shards
        int width = set.dataShards() + set.parityShards();
        if (live.isEmpty()) {
            return null;
        }
        // A node below its free-space reserve would refuse the shard: count it as taken.
        Set<Integer> taken = new HashSet<>(cx.router.nodesBelowReserve());
        for (int i = 0; i < width; i++) {
            if (!set.isMissing(i)) {
                taken.add(set.node(i));
            }
        }
        List<Integer> order = cx.ringOrder(bucket, key, live, live.size());
        int[] targets = new int[width];
        Arrays.fill(targets, ShardSet.MISSING);
        for (int i : set.missing()) {
            if (i < order.size() && taken.add(order.get(i))) {
                targets[i] = order.get(i);
            }
        }
        for (int i : set.missing()) {
            if (targets[i] != ShardSet.MISSING) {
                continue;
            }
            for (int node : order) {
                if (taken.add(node)) {
                    targets[i] = node;
                    break;
                }
            }
            if (targets[i] == ShardSet.MISSING) {
                return null;
            }
        }
        return targets;
    }

    /** How many of the set's written shards are on nodes believed alive. */
    private int readableShards(ShardSet set) {
        Set<Integer> live = new HashSet<>(cx.router.liveNodes());
        int n = 0;
        for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
            if (!set.isMissing(i) && live.contains(set.node(i))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Reads the set's bytes back (decoding from parity what is missing), encodes them again into the same stripes
     * and writes only the missing shards to their target nodes, committing them. The bytes are checked against
     * the object's MD5 when the ETag is one ({@code expectedMd5}, null otherwise) before anything is committed.
     * Returns false, with nothing left behind, if the rebuild could not be done now.
     */
    private boolean rebuild(RepairNeeded r, ShardSet set, int[] targets, String expectedMd5) throws IOException {
        MessageDigest md5 = DistributedBackend.md5();
        boolean committing = false;
        ShardWarrant repair = ShardWarrant.of(ShardWarrant.Kind.REPAIR, MetaKeys.utf8(set.objectId()));
        clearLeftovers(set, targets, repair);
        // The shards are read as the object's (its record lists them) and written as the recorded repair.
        try (ShardSetWriter writer = new ShardSetWriter(cx.router,
                cx.reader.codec(set.dataShards(), set.parityShards()), set.chunkSize(), set.objectId(), targets,
                cx.executor, repair, repair);
                InputStream bytes = pace.paced(cx.reader.open(r.bucket(), r.key(), List.of(set), 0,
                        set.length(), ShardWarrant.of(ShardWarrant.Kind.OBJECT, MetaKeys.object(r.bucket(),
                        r.key()))))) {
            writer.write(bytes, set.length(), md5);
            String actual = HexFormat.of().formatHex(md5.digest());
            if (expectedMd5 != null && !expectedMd5.equals(actual)) {
                warnOnce(set.objectId(), "{}/{}: the bytes read back from shard set {} have MD5 {}, not the"
                        + " object's {}; not repairing it", r.bucket(), r.key(), set.objectId(), actual, expectedMd5);
                return false;
            }
            if (set.hasChunkCrcs() && !Arrays.equals(writer.chunkCrcs(), set.chunkCrcs())) {
                warnOnce(set.objectId(), "{}/{}: the stripes rebuilt for shard set {} do not match its recorded"
                        + " chunk checksums; not repairing it", r.bucket(), r.key(), set.objectId());
                return false;
            }
            committing = true;
            writer.commit(set.length());
            return true;
        } catch (IOException | RuntimeException e) {
            if (committing) {
                // Some shards may have been committed before one failed; they must not stay unaccounted for.
                discard(r, set.objectId(), targets);
            }
            warnOnce(set.objectId(), "{}/{}: rebuilding shards {} of {} failed, retrying in a later round: {}",
                    r.bucket(), r.key(), Arrays.toString(set.missing()), set.objectId(), e.toString());
            return false;
        }
    }

    /**
     * Deletes, on the targets, what stands in the way of the rebuilt shards, since a shard id is never written twice:
     * what an earlier rebuild of the set may have left (one whose commit timed out without being applied leaves its
     * shards, unreferenced), and the corrupt copies of shards rebuilt in place ({@code set} here is the readable
     * set, in which those count as missing). Allowed under the repair entry only where the entry lists the shard as
     * missing, or as corrupt on that node, so no intact shard any record lists is ever touched.
     */
    private void clearLeftovers(ShardSet set, int[] targets, ShardWarrant repair) throws IOException {
        for (int i : set.missing()) {
            try {
                if (cx.router.store(targets[i]).delete(new ShardId(set.objectId(), i), repair)) {
                    LOG.debug("deleted a leftover rebuilt shard {} of {} on node {}", i, set.objectId(), targets[i]);
                }
            } catch (IOException e) {
                cx.router.reportFailure(targets[i], e);
                throw e;
            }
        }
    }

    /**
     * Switches the object's record to the repaired placement and removes the entry, in one write conditioned on the
     * record and the entry being as read. If the record changed but still uses the set unrepaired (an unrelated
     * change), the commit is retried with the new record; if it no longer does, the rebuilt shards are deleted.
     */
    private Outcome commit(byte[] entryKey, byte[] entry, RepairNeeded r, byte[] objectKey, byte[] current,
            int segment, ShardSet set, int[] targets, int[] lost, boolean move) throws IOException {
        byte[] expected = current;
        int index = segment;
        for (int attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
            ObjectRecord<ShardSet> record = ClusterRecords.decodeObject(expected);
            List<ShardSet> segments = new ArrayList<>(record.segments());
            segments.set(index, withTargets(set, targets));
            ObjectRecord<ShardSet> repaired = ObjectRecord.stored(record.header(), segments);
            // A failure here (timeout) may still have been applied: the rebuilt shards are then in use, so they are
            // left alone; if it was not applied, the next round rebuilds them again.
            List<MetaBatch.Op> ops = new ArrayList<>(List.of(
                    new MetaBatch.Put(MetaTable.OBJECTS, objectKey, ClusterRecords.encodeObject(repaired)),
                    new MetaBatch.Delete(MetaTable.REPAIRS, entryKey)));
            byte[] moved = null;
            if (lost.length > 0) {
                // The old copies stay on the lost node; if it ever comes back, the reaper deletes them there. Moved
                // shards' old copies go the same way, at once as their nodes are up.
                int[] old = new int[set.nodes().length];
                Arrays.fill(old, ShardSet.MISSING);
                for (int i : lost) {
                    old[i] = set.node(i);
                }
                moved = ShardReaper.movedKey(ClusterContext.newObjectId(cx.now()), objectKey);
                ops.add(ShardReaper.tombstone(moved, List.of(set.withNodes(old))));
            }
            boolean done = cx.meta.apply(new MetaBatch(List.of(
                    new MetaBatch.Condition(MetaTable.OBJECTS, objectKey, expected),
                    new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, entry)), ops));
            if (done) {
                forget(set.objectId());
                if (move) {
                    moves.moved(lost.length, lost.length * set.layout().shardLength(set.length()));
                } else {
                    progress.repaired(set.length());
                }
                if (moved != null) {
                    cx.reaper.reapLater(moved, cx.executor);
                }
                int[] rebuilt = java.util.stream.IntStream.range(0, targets.length)
                        .filter(i -> targets[i] != ShardSet.MISSING).toArray();
                String nodes = Arrays.toString(Arrays.stream(rebuilt).map(i -> targets[i]).toArray());
                if (move) {
                    LOG.info("{}/{}: moved shards of shard set {}: shards {} now on nodes {}", r.bucket(), r.key(),
                            set.objectId(), Arrays.toString(rebuilt), nodes);
                } else {
                    // Operators (and the cluster tests) look for this wording.
                    LOG.info("{}/{}: repaired shard set {}: rebuilt shards {} on nodes {}", r.bucket(), r.key(),
                            set.objectId(), Arrays.toString(rebuilt), nodes);
                }
                return Outcome.REPAIRED;
            }
            Optional<byte[]> now = cx.meta.get(MetaTable.OBJECTS, objectKey);
            ObjectRecord<ShardSet> changed = now.isEmpty() ? null : ClusterRecords.decodeObject(now.get());
            index = changed == null ? -1 : segmentOf(changed, set.objectId());
            if (index < 0 || !changed.segments().get(index).equals(set)
                    || !Arrays.equals(cx.meta.get(MetaTable.REPAIRS, entryKey).orElse(null), entry)) {
                discard(r, set.objectId(), targets);
                if (move) {
                    // A move's entry names a set that was committed when it was recorded, so once the set is
                    // replaced nothing will use it again: the entry goes now (the set's shards go with its object).
                    removeEntry(entryKey, entry);
                }
                LOG.info("{}/{}: shard set {} was replaced, deleted or repaired while its shards were being {};"
                        + " the new copies are deleted", r.bucket(), r.key(), set.objectId(),
                        move ? "moved" : "rebuilt");
                return Outcome.DROPPED;
            }
            expected = now.get();
        }
        discard(r, set.objectId(), targets);
        return Outcome.PENDING;
    }

    /** The set with every rebuilt shard on its target (a shard rebuilt in place keeps its node). */
    private static ShardSet withTargets(ShardSet set, int[] targets) {
        int[] nodes = set.nodes();
        for (int i = 0; i < nodes.length; i++) {
            if (targets[i] != ShardSet.MISSING) {
                nodes[i] = targets[i];
            }
        }
        return set.withNodes(nodes);
    }

    /**
     * Deletes rebuilt shards through the reaper (retried while their nodes are down), except any the object's
     * record now names at the same index and node (put there by another repair, with the same bytes). The
     * tombstone names only the rebuilt shards, so reaping it leaves the set's repair entry alone.
     */
    private void discard(RepairNeeded r, String objectId, int[] targets) {
        try {
            int[] doomed = targets.clone();
            Optional<byte[]> now = cx.meta.get(MetaTable.OBJECTS, MetaKeys.object(r.bucket(), r.key()));
            if (now.isPresent()) {
                ObjectRecord<ShardSet> record = ClusterRecords.decodeObject(now.get());
                int index = segmentOf(record, objectId);
                if (index >= 0) {
                    ShardSet inUse = record.segments().get(index);
                    for (int i = 0; i < doomed.length; i++) {
                        if (doomed[i] == inUse.node(i)) {
                            doomed[i] = ShardSet.MISSING;
                        }
                    }
                }
            }
            if (Arrays.stream(doomed).allMatch(n -> n == ShardSet.MISSING)) {
                return;
            }
            ShardSet rebuilt = new ShardSet(objectId, r.set().length(), r.set().dataShards(), r.set().parityShards(),
                    r.set().chunkSize(), doomed);
            String tombstone = ClusterContext.newObjectId(cx.now());
            cx.meta.apply(MetaBatch.of(ShardReaper.tombstone(tombstone, List.of(rebuilt))));
            cx.reaper.reapLater(tombstone, cx.executor);
        } catch (IOException | RuntimeException e) {
            LOG.warn("rebuilt shards of {} on nodes {} could not be scheduled for deletion: {}", objectId,
                    Arrays.toString(targets), e.toString());
        }
    }

    /** How many entries the repairs table holds, bytes they cover and counts by cause; for the protection report. */
    RepairQueueCount countQueue() throws IOException {
        return RepairQueueCount.of(cx.meta);
    }

    private void warnOnce(String objectId, String format, Object... args) {
        if (warned.size() >= MAX_WARNED) {
            warned.clear();
        }
        if (warned.add(objectId)) {
            LOG.warn(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    private void forget(String objectId) {
        warned.remove(objectId);
    }
}
