package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.AtRiskObject;
import io.predastore.protocol.admin.BucketProtection;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RepairQueue;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protection pass, run by the metadata leader every {@code protection_check_interval_ms}: walks every object
 * record (a paged scan; parts of multipart uploads still in progress are not walked) and decides, for each shard of
 * each segment, whether it is healthy or lacking: never written, on a node declared lost, on a node down now, absent
 * from its live node (asked in batches of up to 1024 per node with {@link ShardStore#statAll}), or reported damaged
 * by its node's scrubber ({@link DamageReport}) or corrupt by a read (its repair entry).
 *
 * <p>It records what the repair engine should rebuild, merging with the set's repair entry conditionally (as
 * {@link CorruptShards#record} does), in the same write that removes the damage reports it used: absent or damaged
 * shards on live nodes are rebuilt in place, shards on lost nodes elsewhere. A node merely down is lacking for the
 * counts but not a cause of repair until it is lost; a node removed from the members (neither active nor draining)
 * counts as lost. Healthy sets with shards on the wrong nodes (draining ones, or outside their place in the ring of
 * the active members) get their moves recorded for the same engine ({@link Rebalancing}), behind every set that
 * lacks shards. Damage reports that no walked set uses are removed once older than
 * {@code repair_unreferenced_grace_ms}. It then stores a {@link ProtectionReport} as JSON in
 * {@link MetaTable#HEALTH} under {@link #REPORT_KEY}, through Raft, so every node can serve it.
 *
 * <p>Memory is bounded: a page of records and their shard ids at a time, the damage reports and the repair entries
 * read up front up to {@link #MAX_HELD} each (the rest is seen by later passes), at most
 * {@link ProtectionReport#MAX_AT_RISK} at-risk objects, and a tally per bucket. The stats are paced
 * ({@link #STATS_PER_SECOND}) so the pass leaves the nodes' disks to foreground traffic. Not thread-safe: one pass at
 * a time (the caller's job runs on one thread).
 */
final class ProtectionPass {
    /** The key of the report in {@link MetaTable#HEALTH}. */
    static final String REPORT_KEY = "protection";
    /** Shard stats per second the pass asks at most, over all nodes (a stat is one index lookup on its node). */
    static final long STATS_PER_SECOND = 20_000;
    /** Damage reports and repair entries held in memory during a pass, each. */
    static final int MAX_HELD = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(ProtectionPass.class);
    private static final int PAGE = 256;
    private static final int MAX_MERGE_ATTEMPTS = 4;
    private static final byte[] EMPTY = new byte[0];

    private final ClusterContext cx;
    private final DeadNodes dead;
    private final ShardRepairer repairer;
    private final Duration unreferencedGrace;
    private final Pace statPace;

    ProtectionPass(ClusterContext cx, DeadNodes dead, ShardRepairer repairer, Duration unreferencedGrace,
            Pace statPace) {
        this.cx = cx;
        this.dead = dead;
        this.repairer = repairer;
        this.unreferencedGrace = unreferencedGrace;
        this.statPace = statPace;
    }

    /** A damage report as read, with whether the pass used it. */
    private record Damage(byte[] key, byte[] value, DamageReport report) {
    }

    /** What the walk counts: objects and bytes by shards lacking, for the cluster or one bucket. */
    private static final class Tally {
        final long[] objects;
        final long[] bytes;

        Tally(int width) {
            objects = new long[width + 1];
            bytes = new long[width + 1];
        }

        void add(int lacking, long size) {
            int i = Math.min(lacking, objects.length - 1);
            objects[i]++;
            bytes[i] += size;
        }

        io.predastore.protocol.admin.ProtectionCounts counts() {
            long n = Arrays.stream(objects).sum();
            long b = Arrays.stream(bytes).sum();
            return new io.predastore.protocol.admin.ProtectionCounts(n, b, Arrays.stream(objects).boxed().toList(),
                    Arrays.stream(bytes).boxed().toList());
        }
    }

    /** One object of a page, with the stats of its shards once asked. */
    private record Walked(String bucket, String key, byte[] objectKey, byte[] record, ObjectRecord<ShardSet> object) {
    }

    /**
     * Runs one pass and stores its report; returns it, or null if this node stopped being the one that repairs (or
     * the metadata store failed) before the end, in which case nothing more is stored.
     *
     * @throws IOException if the metadata store cannot be read or written now
     */
    ProtectionReport run(BooleanSupplier active) throws IOException {
        dead.active(active.getAsBoolean());
        if (!active.getAsBoolean()) {
            return null;
        }
        long started = cx.clock.millis();
        int width = cx.dataShards + cx.parityShards;
        Set<Integer> live = new HashSet<>(cx.router.liveNodes());
        Set<Integer> lost = dead.lost();
        Map<String, List<Damage>> damage = loadDamage();
        Map<String, RepairNeeded> repairs = loadRepairs();
        Set<String> usedDamage = new HashSet<>();
        Tally cluster = new Tally(width);
        Map<String, Tally> buckets = new TreeMap<>();
        PriorityQueue<AtRiskObject> atRisk = new PriorityQueue<>(
                Comparator.comparingInt(AtRiskObject::healthyShards).reversed());
        Map<Integer, Long> nodeShards = new TreeMap<>();
        Rebalancing rebalancing = new Rebalancing(cx, live, Math.max(0, MAX_HELD - repairs.size()));
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.OBJECTS, EMPTY, from, PAGE);
            List<Walked> walked = new ArrayList<>();
            for (MetaEntry e : page) {
                int zero = MetaKeys.indexOf(e.key(), new byte[] {0}, 0);
                if (zero <= 0) {
                    continue;
                }
                String bucket = MetaKeys.string(e.key(), 0, zero);
                String key = MetaKeys.string(e.key(), zero + 1, e.key().length);
                try {
                    walked.add(new Walked(bucket, key, e.key(), e.value(), ClusterRecords.decodeObject(e.value())));
                } catch (IOException | RuntimeException bad) {
                    LOG.debug("protection pass: the record of {}/{} does not decode; skipped", bucket, key);
                }
            }
            Map<String, Boolean> present = stat(walked, live, lost);
            for (Walked w : walked) {
                if (!active.getAsBoolean()) {
                    return null;
                }
                int worst = 0;
                for (ShardSet set : w.object().segments()) {
                    worst = Math.max(worst, check(w, set, live, lost, present, damage, repairs, usedDamage,
                            nodeShards, rebalancing));
                }
                long size = w.object().header().size();
                cluster.add(worst, size);
                buckets.computeIfAbsent(w.bucket(), b -> new Tally(width)).add(worst, size);
                int healthy = Math.max(0, width - worst);
                if (healthy <= cx.dataShards && !w.object().segments().isEmpty()) {
                    atRisk.add(new AtRiskObject(w.bucket(), w.key(), size, healthy, width));
                    if (atRisk.size() > ProtectionReport.MAX_AT_RISK) {
                        atRisk.poll();
                    }
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
        dropStaleDamage(damage, usedDamage);
        rebalancing.walkUploadParts(repairs.keySet());
        List<AtRiskObject> risky = new ArrayList<>(atRisk);
        risky.sort(Comparator.comparingInt(AtRiskObject::healthyShards).thenComparing(AtRiskObject::bucket)
                .thenComparing(AtRiskObject::key));
        List<NodeProtection> nodes = new ArrayList<>();
        for (int node : dead.all()) {
            Instant since = dead.downSince(node);
            nodes.add(new NodeProtection(io.predastore.node.meta.MetaPeerConfig.peerIdOf(node), since == null, since == null ? -1
                    : since.toEpochMilli(), lost.contains(node), nodeShards.getOrDefault(node, 0L)));
        }
        List<BucketProtection> everyBucket = new ArrayList<>(buckets.size());
        buckets.forEach((name, tally) -> everyBucket.add(new BucketProtection(name, tally.counts())));
        List<BucketProtection> perBucket = listed(everyBucket);
        long ended = cx.clock.millis();
        ProtectionReport report = new ProtectionReport(ended, ended - started, cx.dataShards, cx.parityShards,
                cluster.counts(), perBucket, risky, queue(), List.of(), nodes, rebalancing.progress(nodeShards,
                repairer.moves(), repairer.configuredBytesPerSecond()));
        cx.meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.HEALTH, MetaKeys.utf8(REPORT_KEY),
                AdminJson.writeBytes(report))));
        LOG.debug("protection pass: {} in {} ms", report.summaryLine(), ended - started);
        return report;
    }

    /**
     * The buckets a report lists: every bucket up to {@link ProtectionReport#MAX_BUCKETS}, else that many of the
     * least protected (most objects lacking the most shards first), so the stored report, one metadata entry, stays
     * small however many buckets there are. Listed by name; the cluster counts cover every bucket.
     */
    static List<BucketProtection> listed(List<BucketProtection> all) {
        if (all.size() > ProtectionReport.MAX_BUCKETS) {
            all.sort(ProtectionPass::leastProtectedFirst);
            all.subList(ProtectionReport.MAX_BUCKETS, all.size()).clear();
            all.sort(Comparator.comparing(BucketProtection::bucket));
        }
        return all;
    }

    private static int leastProtectedFirst(BucketProtection a, BucketProtection b) {
        List<Long> x = a.counts().objectsByMissing();
        List<Long> y = b.counts().objectsByMissing();
        for (int missing = Math.max(x.size(), y.size()) - 1; missing >= 1; missing--) {
            long cx = missing < x.size() ? x.get(missing) : 0;
            long cy = missing < y.size() ? y.get(missing) : 0;
            if (cx != cy) {
                return Long.compare(cy, cx);
            }
        }
        return a.bucket().compareTo(b.bucket());
    }

    /** The repair queue now, with the repairer's pace and an estimate of when it is empty. */
    RepairQueue queue() throws IOException {
        RepairQueueCount q = repairer.countQueue();
        RepairProgress p = repairer.progress();
        double pace = p.bytesPerSecond();
        long eta = pace > 0 && q.bytes > 0 ? (long) Math.ceil(q.bytes / pace) : q.sets == 0 ? 0 : -1;
        return new RepairQueue(q.sets, q.bytes, q.byCause, p.repairedSets(), p.repairedBytes(), pace, eta);
    }

    /**
     * Asks each live node, not lost, in batches, which of the page's shards placed on it it holds. A node that does
     * not answer is left out: its shards count as lacking (as on a node down) but are not recorded for repair.
     *
     * @return by {@code setId/index@node}, whether the shard is there
     */
    private Map<String, Boolean> stat(List<Walked> walked, Set<Integer> live, Set<Integer> lost) {
        Map<Integer, List<ShardId>> asks = new TreeMap<>();
        for (Walked w : walked) {
            for (ShardSet set : w.object().segments()) {
                for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
                    int node = set.node(i);
                    if (!set.isMissing(i) && live.contains(node) && !lost.contains(node)) {
                        asks.computeIfAbsent(node, n -> new ArrayList<>()).add(new ShardId(set.objectId(), i));
                    }
                }
            }
        }
        Map<String, Boolean> present = new HashMap<>();
        for (Map.Entry<Integer, List<ShardId>> ask : asks.entrySet()) {
            int node = ask.getKey();
            List<ShardId> ids = ask.getValue();
            try {
                ShardStore store = cx.router.store(node);
                for (int from = 0; from < ids.size(); from += ShardStore.MAX_STAT_BATCH) {
                    List<ShardId> batch = ids.subList(from, Math.min(ids.size(), from + ShardStore.MAX_STAT_BATCH));
                    statPace.acquire(batch.size());
                    List<Optional<ShardInfo>> stats = store.statAll(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        present.put(batch.get(i).objectId() + "/" + batch.get(i).index() + "@" + node,
                                stats.get(i).isPresent());
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("protection pass: node {} did not answer a batched stat: {}", node, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return present;
            }
        }
        return present;
    }

    /**
     * Decides each shard of {@code set}, records what should be rebuilt, and returns how many shards it lacks.
     */
    private int check(Walked w, ShardSet set, Set<Integer> live, Set<Integer> lost, Map<String, Boolean> present,
            Map<String, List<Damage>> damage, Map<String, RepairNeeded> repairs, Set<String> usedDamage,
            Map<Integer, Long> nodeShards, Rebalancing rebalancing) {
        int width = set.dataShards() + set.parityShards();
        int lacking = 0;
        TreeSet<Integer> inPlace = new TreeSet<>();
        TreeSet<Integer> absent = new TreeSet<>();
        TreeSet<Integer> lostHere = new TreeSet<>();
        EnumSet<RepairCause> causes = EnumSet.noneOf(RepairCause.class);
        List<Damage> used = new ArrayList<>();
        RepairNeeded entry = repairs.get(set.objectId());
        List<Damage> reports = damage.getOrDefault(set.objectId(), List.of());
        for (int i = 0; i < width; i++) {
            if (set.isMissing(i)) {
                lacking++;
                causes.add(RepairCause.SKIPPED_AT_WRITE);
                continue;
            }
            int node = set.node(i);
            nodeShards.merge(node, 1L, Long::sum);
            if (lost.contains(node) || Misplacement.leaving(cx.members(), node, live.contains(node))) {
                lacking++;
                lostHere.add(i);
                continue;
            }
            Boolean here = live.contains(node) ? present.get(set.objectId() + "/" + i + "@" + node) : null;
            if (here == null) {
                lacking++; // down now, or did not answer: lacking, but not a cause of repair until lost
                continue;
            }
            if (!here) {
                lacking++;
                inPlace.add(i);
                absent.add(i);
                causes.add(RepairCause.MISSING);
                continue;
            }
            boolean damaged = false;
            for (Damage d : reports) {
                if (d.report().index() == i && d.report().node() == node) {
                    damaged = true;
                    used.add(d);
                    causes.add(d.report().cause() == DamageReport.Cause.MISSING ? RepairCause.MISSING
                            : RepairCause.CORRUPT);
                }
            }
            if (damaged) {
                lacking++;
                inPlace.add(i);
            } else if (entry != null && entry.corrupt().contains(i) && entry.set().node(i) == node) {
                lacking++; // found corrupt by a read; already queued
            }
        }
        if (!inPlace.isEmpty() || !lostHere.isEmpty() || causes.contains(RepairCause.SKIPPED_AT_WRITE)
                || !used.isEmpty()) {
            try {
                record(w, set, inPlace, absent, lostHere, causes, used);
            } catch (IOException | RuntimeException e) {
                LOG.debug("protection pass: recording {} of {}/{} for repair failed: {}", set.objectId(), w.bucket(),
                        w.key(), e.toString());
            }
        }
        for (Damage d : used) {
            // A report about a shard an object uses is kept until it is turned into an entry, whatever its age.
            usedDamage.add(MetaKeys.string(d.key(), 0, d.key().length));
        }
        boolean queued = entry != null || !inPlace.isEmpty() || !lostHere.isEmpty() || !causes.isEmpty();
        rebalancing.walk(w.bucket(), w.key(), w.objectKey(), w.record(), set, lacking, queued);
        return lacking;
    }

    /**
     * Merges what the pass found into the set's repair entry, conditioned on the entry and on the object record as
     * read (so an object replaced or deleted meanwhile gets nothing), removing the damage reports used in the same
     * write. Writes nothing when the entry already says it all. Returns whether the entry says it all afterwards.
     */
    private boolean record(Walked w, ShardSet set, Set<Integer> inPlace, Set<Integer> absent, Set<Integer> lostHere,
            Set<RepairCause> causes, List<Damage> used) throws IOException {
        byte[] entryKey = MetaKeys.utf8(set.objectId());
        for (int attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt++) {
            Optional<byte[]> current = cx.meta.get(MetaTable.REPAIRS, entryKey);
            TreeSet<Integer> corrupt = new TreeSet<>(inPlace);
            // A shard found absent is asked about again now that the entry is read: a repair that rebuilt it in
            // place since the page's stat commits the shard before it removes the entry, so either the entry read
            // here is the one that repair removes (and this write, conditioned on it, fails and is retried) or the
            // shard is there again and must not be queued.
            corrupt.removeAll(presentNow(set, absent));
            TreeSet<Integer> lost = new TreeSet<>(lostHere);
            EnumSet<RepairCause> all = EnumSet.noneOf(RepairCause.class);
            all.addAll(causes);
            Instant recorded = cx.now();
            RepairNeeded existing = null;
            if (current.isPresent()) {
                try {
                    existing = ClusterRecords.decodeRepair(current.get());
                } catch (IOException e) {
                    return false; // the repairer sets it aside; the next pass records afresh
                }
                recorded = existing.recorded();
                for (int i : existing.corrupt()) {
                    if (!set.isMissing(i) && existing.set().node(i) == set.node(i) && !lost.contains(i)) {
                        corrupt.add(i);
                    }
                }
                for (RepairCause c : existing.causes()) {
                    if (c == RepairCause.CORRUPT || c == RepairCause.MISSING) {
                        all.add(c);
                    }
                }
            }
            if (corrupt.isEmpty()) {
                all.remove(RepairCause.CORRUPT);
                all.remove(RepairCause.MISSING);
            }
            all.remove(RepairCause.NODE_LOST);
            RepairNeeded merged = new RepairNeeded(w.bucket(), w.key(), recorded, set, List.copyOf(corrupt),
                    List.copyOf(lost), all);
            if (merged.equals(existing) && used.isEmpty() || existing == null && merged.lacking() == 0) {
                return true; // nothing new (or nothing left: the shards found absent are back)
            }
            List<MetaBatch.Op> ops = new ArrayList<>();
            ops.add(new MetaBatch.Put(MetaTable.REPAIRS, entryKey, ClusterRecords.encodeRepair(merged)));
            List<MetaBatch.Condition> conditions = new ArrayList<>(List.of(
                    new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, current.orElse(null)),
                    new MetaBatch.Condition(MetaTable.OBJECTS, w.objectKey(), w.record())));
            for (Damage d : used) {
                conditions.add(new MetaBatch.Condition(MetaTable.DAMAGE, d.key(), d.value()));
                ops.add(new MetaBatch.Delete(MetaTable.DAMAGE, d.key()));
            }
            if (cx.meta.apply(new MetaBatch(conditions, ops))) {
                if (existing == null || !merged.corrupt().equals(existing.corrupt())
                        || !merged.lost().equals(existing.lost())) {
                    LOG.info("{}/{}: shard set {} recorded for repair ({}): in place {}, off lost nodes {}",
                            w.bucket(), w.key(), set.objectId(), merged.causes().stream().map(RepairCause::label)
                                    .toList(), merged.corrupt(), merged.lost());
                }
                return true;
            }
            Optional<byte[]> now = cx.meta.get(MetaTable.OBJECTS, w.objectKey());
            if (now.isEmpty() || !Arrays.equals(now.get(), w.record())) {
                return false; // replaced or deleted meanwhile: the next pass sees what is there now
            }
        }
        return false;
    }

    /** Which of the shards {@code indexes} of {@code set} their live node holds now (none if it does not answer). */
    private Set<Integer> presentNow(ShardSet set, Set<Integer> indexes) {
        Set<Integer> present = new HashSet<>();
        Map<Integer, List<Integer>> byNode = new TreeMap<>();
        for (int i : indexes) {
            byNode.computeIfAbsent(set.node(i), n -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, List<Integer>> e : byNode.entrySet()) {
            try {
                List<ShardId> ids = e.getValue().stream().map(i -> new ShardId(set.objectId(), i)).toList();
                List<Optional<ShardInfo>> stats = cx.router.store(e.getKey()).statAll(ids);
                for (int k = 0; k < ids.size(); k++) {
                    if (stats.get(k).isPresent()) {
                        present.add(e.getValue().get(k));
                    }
                }
            } catch (IOException | RuntimeException failed) {
                // not answering now: queued as found; the repair waits for the node
            }
        }
        return present;
    }

    /** The damage reports, by set id, up to {@link #MAX_HELD}; one that does not decode is removed. */
    private Map<String, List<Damage>> loadDamage() throws IOException {
        Map<String, List<Damage>> out = new HashMap<>();
        int held = 0;
        byte[] from = null;
        while (held < MAX_HELD) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.DAMAGE, EMPTY, from, PAGE);
            for (MetaEntry e : page) {
                try {
                    DamageReport r = DamageReport.decode(e.key(), e.value());
                    out.computeIfAbsent(r.setId(), s -> new ArrayList<>()).add(new Damage(e.key(), e.value(), r));
                    held++;
                } catch (IOException bad) {
                    LOG.warn("damage report {} does not decode ({}); removed", MetaKeys.string(e.key(), 0,
                            e.key().length), bad.getMessage());
                    cx.meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.DAMAGE, e.key(),
                            e.value())), List.of(new MetaBatch.Delete(MetaTable.DAMAGE, e.key()))));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
        return out;
    }

    /** The repair entries by set id, up to {@link #MAX_HELD}, for the counts (shards a read found corrupt). */
    private Map<String, RepairNeeded> loadRepairs() throws IOException {
        Map<String, RepairNeeded> out = new HashMap<>();
        byte[] from = null;
        while (out.size() < MAX_HELD) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.REPAIRS, EMPTY, from, PAGE);
            for (MetaEntry e : page) {
                try {
                    out.put(MetaKeys.string(e.key(), 0, e.key().length), ClusterRecords.decodeRepair(e.value()));
                } catch (IOException bad) {
                    // the repairer sets it aside
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
        return out;
    }

    /**
     * Removes the damage reports about no shard a walked record names (on the node that reported it) once older than
     * the unreferenced grace: their set was deleted or replaced, or the shard moved, or belongs to a write that never
     * committed (a young one may belong to a write still under way,
     * or to a part of an upload in progress, which the walk does not see).
     */
    private void dropStaleDamage(Map<String, List<Damage>> damage, Set<String> seen) {
        Instant cutoff = cx.now().minus(unreferencedGrace);
        for (List<Damage> reports : damage.values()) {
            for (Damage d : reports) {
                String id = MetaKeys.string(d.key(), 0, d.key().length);
                if (seen.contains(id) || !d.report().found().isBefore(cutoff)) {
                    continue;
                }
                try {
                    cx.meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.DAMAGE, d.key(),
                            d.value())), List.of(new MetaBatch.Delete(MetaTable.DAMAGE, d.key()))));
                    LOG.info("damage report of shard {} of {} on node {} concerns a set no object uses; removed",
                            d.report().index(), d.report().setId(), d.report().node());
                } catch (IOException | RuntimeException e) {
                    LOG.debug("removing a stale damage report failed: {}", e.toString());
                }
            }
        }
    }
}
