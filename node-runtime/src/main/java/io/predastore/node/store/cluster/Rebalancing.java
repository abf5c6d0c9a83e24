package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.protocol.admin.DrainingNode;
import io.predastore.protocol.admin.RebalanceProgress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protection pass's share of rebalancing, for one pass at one members epoch: finds the misplaced shards of
 * every walked set ({@link Misplacement}), records moves for the healthy sets that have none recorded (as repair
 * entries with {@link RepairCause#REBALANCE} or {@link RepairCause#DRAIN}, at most {@code budget} per pass: later
 * passes record the rest), and counts what is left to move for the report ({@link RebalanceProgress}), including
 * the shards of parts of multipart uploads in progress on draining nodes, which are moved off them too
 * ({@link #walkUploadParts}). Memory: a few counters per node. Not thread-safe: one pass at a time.
 */
final class Rebalancing {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalancing.class);
    private static final int PAGE = 256;
    private static final byte[] EMPTY = new byte[0];

    private final ClusterContext cx;
    private final MemberSet members;
    private final Set<Integer> live;
    private final List<Integer> belowReserve;
    private int budget;
    private long rebalanceShards;
    private long rebalanceBytes;
    private long drainShards;
    private long drainBytes;
    private final Map<Integer, Long> uploadShards = new TreeMap<>();

    /**
     * @param budget the most sets this pass records moves for (what the repair table may still take)
     */
    Rebalancing(ClusterContext cx, Set<Integer> live, int budget) {
        this.cx = cx;
        this.members = cx.members();
        this.live = live;
        this.belowReserve = cx.router.nodesBelowReserve();
        this.budget = budget;
    }

    /** Whether shards on {@code node} count as lost: it is removed ({@link Misplacement#removed}). */
    boolean removed(int node) {
        return Misplacement.removed(members, node);
    }

    /**
     * Counts the misplaced shards of a walked set and, if it is otherwise healthy ({@code lacking} 0) and has no
     * repair entry ({@code hasEntry} false), records its movable shards to move. A set lacking shards is left to the
     * repair engine first; its shards on draining nodes still count as left to drain.
     */
    void walk(String bucket, String key, byte[] objectKey, byte[] record, ShardSet set, int lacking,
            boolean hasEntry) {
        Misplacement plan = Misplacement.of(cx, members, bucket, key, set, live, belowReserve);
        for (int i : plan.misplaced()) {
            if (plan.cause(i) == RepairCause.DRAIN) {
                drainShards++;
                drainBytes += plan.shardBytes();
            } else if (lacking == 0) {
                rebalanceShards++;
                rebalanceBytes += plan.shardBytes();
            }
        }
        List<Integer> movable = plan.movable();
        if (lacking > 0 || hasEntry || movable.isEmpty() || budget <= 0) {
            return;
        }
        EnumSet<RepairCause> causes = EnumSet.noneOf(RepairCause.class);
        movable.forEach(i -> causes.add(plan.cause(i)));
        RepairNeeded entry = new RepairNeeded(bucket, key, cx.now(), set, List.of(), List.of(), causes, movable);
        byte[] entryKey = MetaKeys.utf8(set.objectId());
        try {
            if (cx.meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, null),
                    new MetaBatch.Condition(MetaTable.OBJECTS, objectKey, record)),
                    List.of(new MetaBatch.Put(MetaTable.REPAIRS, entryKey, ClusterRecords.encodeRepair(entry)))))) {
                budget--;
                LOG.debug("{}/{}: shards {} of {} recorded to move ({})", bucket, key, movable, set.objectId(),
                        causes);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("protection pass: recording moves of {} of {}/{} failed: {}", set.objectId(), bucket, key,
                    e.toString());
        }
    }

    /**
     * Walks the parts of every multipart upload in progress (parts of completed uploads are object segments,
     * walked with their object): counts their shards on draining nodes, and records moves for those shards as for
     * an object's set (the repair engine moves them, see {@code ShardRepairer#movePart}), so an upload left open
     * does not hold a removal up. Parts on active nodes are not rebalanced: they are placed well enough for the
     * life of an upload, and their object is rebalanced once it is completed.
     *
     * @param entries the ids of the sets that have a repair entry
     * @throws IOException if the metadata store cannot be read
     */
    void walkUploadParts(Set<String> entries) throws IOException {
        if (members.draining().isEmpty()) {
            return;
        }
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.UPLOADS, EMPTY, from, PAGE);
            for (MetaEntry upload : page) {
                walkUpload(upload.key(), entries);
            }
            if (page.size() < PAGE) {
                return;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    /** One upload, under its key {@code bucket 0x00 key 0x00 uploadId}. */
    private void walkUpload(byte[] uploadKey, Set<String> entries) throws IOException {
        int bucketEnd = MetaKeys.indexOf(uploadKey, new byte[] {0}, 0);
        int idStart = bucketEnd;
        for (int i = uploadKey.length - 1; i > bucketEnd; i--) {
            if (uploadKey[i] == 0) {
                idStart = i + 1;
                break;
            }
        }
        if (bucketEnd <= 0 || idStart <= bucketEnd + 1 || idStart == uploadKey.length) {
            return; // not an upload key; the upload's own operations report it
        }
        String bucket = MetaKeys.string(uploadKey, 0, bucketEnd);
        String key = MetaKeys.string(uploadKey, bucketEnd + 1, idStart - 1);
        byte[] prefix = Arrays.copyOfRange(uploadKey, idStart, uploadKey.length);
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.PARTS, prefix, from, PAGE);
            for (MetaEntry part : page) {
                if (part.key().length != prefix.length + Integer.BYTES) {
                    continue;
                }
                ShardSet set;
                try {
                    set = ClusterRecords.decodePart(part.value()).location();
                } catch (IOException | RuntimeException bad) {
                    continue; // the upload's own operations report it
                }
                boolean draining = false;
                for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
                    if (!set.isMissing(i) && members.isDraining(set.node(i))) {
                        uploadShards.merge(set.node(i), 1L, Long::sum);
                        draining = true;
                    }
                }
                if (draining && !entries.contains(set.objectId())) {
                    recordPartMove(bucket, key, part, set);
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    /** Records the moves of a part's shards off draining nodes, conditioned on the part being as read. */
    private void recordPartMove(String bucket, String key, MetaEntry part, ShardSet set) {
        if (budget <= 0) {
            return;
        }
        Misplacement plan = Misplacement.of(cx, members, bucket, key, set, live, belowReserve);
        List<Integer> movable = plan.movable().stream().filter(i -> plan.cause(i) == RepairCause.DRAIN).toList();
        if (movable.isEmpty()) {
            return;
        }
        RepairNeeded entry = new RepairNeeded(bucket, key, cx.now(), set, List.of(), List.of(),
                EnumSet.of(RepairCause.DRAIN), movable);
        byte[] entryKey = MetaKeys.utf8(set.objectId());
        try {
            if (cx.meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.REPAIRS, entryKey, null),
                    new MetaBatch.Condition(MetaTable.PARTS, part.key(), part.value())),
                    List.of(new MetaBatch.Put(MetaTable.REPAIRS, entryKey, ClusterRecords.encodeRepair(entry)))))) {
                budget--;
                LOG.debug("{}/{}: shards {} of upload part set {} recorded to move off draining nodes", bucket, key,
                        movable, set.objectId());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("protection pass: recording moves of upload part set {} of {}/{} failed: {}",
                    set.objectId(), bucket, key, e.toString());
        }
    }

    /**
     * The progress for the report.
     *
     * @param recordShards shards the walked object records place on each node
     * @param moved        what the repair engine has moved so far
     * @param configuredPace {@code repair_bytes_per_second}, 0 for none: the ETA's pace while nothing moved lately
     */
    RebalanceProgress progress(Map<Integer, Long> recordShards, MoveProgress moved, long configuredPace) {
        List<DrainingNode> draining = new ArrayList<>();
        for (int node : members.draining()) {
            long parts = uploadShards.getOrDefault(node, 0L);
            draining.add(new DrainingNode(MetaPeerConfig.peerIdOf(node), recordShards.getOrDefault(node, 0L) + parts,
                    parts));
        }
        long bytes = rebalanceBytes + drainBytes;
        double pace = moved.bytesPerSecond();
        double etaPace = pace > 0 ? pace : configuredPace;
        long eta = bytes == 0 ? 0 : etaPace > 0 ? (long) Math.ceil(bytes / etaPace) : -1;
        return new RebalanceProgress(members.epoch(), rebalanceShards, rebalanceBytes, drainShards, drainBytes,
                draining, moved.shards(), moved.bytes(), pace, eta);
    }
}
