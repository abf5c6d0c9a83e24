package io.predastore.node.store.cluster;

import io.predastore.node.disk.StorageFullException;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.node.store.meta.BucketCodec;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the distributed backend's operations share: metadata, shard routing, erasure parameters, placement and
 * the clock. Thread-safe.
 */
final class ClusterContext {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    final MetadataStore meta;
    final ShardRouter router;
    final ShardSetReader reader;
    final ShardReaper reaper;
    final Quarantine quarantine;
    final Executor executor;
    final Clock clock;
    final int dataShards;
    final int parityShards;
    /** The fewest shards a new shard set may be written with (k + m unless the cluster file lowers it). */
    final int writeQuorum;
    final int chunkSize;
    /** Records met that do not decode: each fails its own reads only, and listings skip it. */
    final UndecodableRecords undecodable;
    private static final int MAX_CACHED_BUCKETS = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<String, byte[]> buckets =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile PlacementRing ring;
    private volatile PlacementRing activeRing;
    /** The members at the current ring epoch; until the node reads the replicated list, every node is active. */
    private volatile java.util.function.Supplier<MemberSet> members;

    /**
     * @param corruptReportQuiet how long a shard found corrupt is not reported again by this node
     */
    ClusterContext(MetadataStore meta, ShardRouter router, Executor executor, Clock clock, int dataShards,
            int parityShards, int writeQuorum, int chunkSize, Duration corruptReportQuiet) {
        this.meta = new AvailabilityMetadata(meta);
        this.router = router;
        this.reader = new ShardSetReader(router, new CorruptShards(this.meta, executor, clock, corruptReportQuiet));
        this.quarantine = new Quarantine(this.meta, clock);
        this.reaper = new ShardReaper(this.meta, router, quarantine);
        this.executor = executor;
        this.clock = clock;
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.writeQuorum = writeQuorum;
        this.chunkSize = chunkSize;
        this.undecodable = new UndecodableRecords(clock);
        this.members = () -> MemberSet.allActive(router.allNodes());
    }

    /** Where the current members come from (see {@link DistributedBackend#followMembers}). */
    void followMembers(java.util.function.Supplier<MemberSet> source) {
        this.members = java.util.Objects.requireNonNull(source, "source");
    }

    /** The members at the current ring epoch. */
    MemberSet members() {
        return members.get();
    }

    /** The live nodes that take new shards: alive now and active at the current epoch, ascending. */
    List<Integer> liveActive() {
        MemberSet current = members();
        return router.liveNodes().stream().filter(current::isActive).toList();
    }

    /** The current time at the millisecond precision records keep. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The id of a new shard set written by this node: {@code n<node>-}, then hex of the time and a per-process
     * sequence, then 128 random bits. Nodes accept new shards only from the node an id names (see
     * {@link ShardId#writerOf}), and the random part makes ids impossible to guess, so no node can claim an id of
     * another's ahead of it, and every version of every object gets shards of its own.
     */
    String newShardSetId() {
        return newShardSetId(router.localNode(), now());
    }

    static String newShardSetId(int writer, Instant now) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return ShardId.writerPrefix(writer) + String.format("%012x%06x-", now.toEpochMilli(),
                SEQUENCE.getAndIncrement() & 0xFFFFFF) + HexFormat.of().formatHex(random);
    }

    /**
     * A new cluster-unique id of a metadata entry (uploads, tombstones): hex of the time, a per-process sequence (so
     * ids made in the same millisecond on one node sort in creation order) and 48 random bits.
     */
    static String newObjectId(Instant now) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return String.format("%012x%06x", now.toEpochMilli(), SEQUENCE.getAndIncrement() & 0xFFFFFF)
                + HexFormat.of().formatHex(random);
    }

    /**
     * The nodes for a new shard set: k + m distinct live active nodes (joining and draining members take no new
     * shards), walking the ring of those nodes from the object's hash. With fewer live nodes but at least the write quorum, the live ones take the first shards (all data
     * shards, then parity) and the rest are {@link ShardSet#MISSING}, to be recorded for repair. Below the quorum
     * (k + m unless the cluster file lowers it) is UNAVAILABLE: an object is never stored with less
     * protection than configured.
     */
    int[] placement(String bucket, String key) {
        List<Integer> live = liveActive();
        int width = dataShards + parityShards;
        if (live.size() < writeQuorum) {
            String need = writeQuorum == width ? "storing an object needs " + width + " (RS " + dataShards + "+"
                    + parityShards + ")"
                    : "storing an object needs at least " + writeQuorum + " (write quorum of RS " + dataShards + "+"
                            + parityShards + ")";
            throw new StorageException(StorageError.UNAVAILABLE, "Only " + live.size() + " of the active nodes are reachable ("
                    + live + "); " + need + ". Start the stopped nodes, or retry once they are back.");
        }
        int placed = Math.min(width, live.size());
        List<Integer> members = ringOrder(bucket, key, live, placed);
        int[] nodes = new int[width];
        for (int i = 0; i < placed; i++) {
            nodes[i] = members.get(i);
        }
        for (int i = placed; i < width; i++) {
            nodes[i] = ShardSet.MISSING;
        }
        return nodes;
    }

    /**
     * The first {@code count} of the {@code live} nodes in the order the ring of those nodes walks them from the
     * object's hash: shard {@code i} of a new object goes to element {@code i}.
     */
    List<Integer> ringOrder(String bucket, String key, List<Integer> live, int count) {
        PlacementRing current = ring;
        if (current == null || !live.equals(current.nodes())) {
            current = PlacementRing.of(live);
            ring = current;
        }
        return current.order(bucket, key, count);
    }

    /**
     * The first {@code count} nodes of the ring of every active member at the current epoch, live or not, from the
     * object's hash: where the object's shards belong (the rebalancer moves them there). The same ring code as
     * {@link #ringOrder}, fed every active member rather than the live ones, so the target does not change while a
     * node is briefly down. Kept in its own cache, so that it and the placement of new writes do not evict each other
     * while a node is down.
     */
    List<Integer> activeRingOrder(String bucket, String key, List<Integer> active, int count) {
        PlacementRing current = activeRing;
        if (current == null || !active.equals(current.nodes())) {
            current = PlacementRing.of(active);
            activeRing = current;
        }
        return current.order(bucket, key, count);
    }

    /** The placement ring of a set of nodes, kept together so the cached ring always matches its nodes. */
    private record PlacementRing(List<Integer> nodes, Ring ring) {
        static PlacementRing of(List<Integer> nodes) {
            return new PlacementRing(List.copyOf(nodes),
                    Ring.of(nodes.stream().map(id -> new Member(MetaPeerConfig.peerIdOf(id))).toList()));
        }

        List<Integer> order(String bucket, String key, int count) {
            return ring.placement(Ring.hashObject(bucket, key), count).stream()
                    .map(m -> MetaPeerConfig.nodeIdOf(m.id())).toList();
        }
    }

    /**
     * Refuses a write that adds data while any live node's disk is below its free-space reserve. Every node keeps
     * the whole metadata (Raft log and state machine, small objects inline), so new metadata would grow the full
     * node's disk too, however the shards were placed; only writes that free space (deletes, aborts) go on.
     *
     * @param what the refused write for the message, e.g. "store photos/cat.jpg"
     * @throws StorageFullException naming the full nodes
     */
    void requireRoom(String what) throws StorageFullException {
        List<Integer> full = router.nodesBelowReserve();
        if (!full.isEmpty()) {
            String nodes = full.size() == 1 ? "node " + full.get(0) : "nodes " + full;
            throw new StorageFullException("Cannot " + what + ": " + nodes + (full.size() == 1 ? " has" : " have")
                    + " less free space than the reserve, and every node keeps the metadata of every object, so "
                    + "the cluster accepts no new data until space is freed there. "
                    + StorageFullException.WHAT_TO_DO);
        }
    }

    /** The bucket's stored record bytes, read linearizably; NO_SUCH_BUCKET if absent. */
    byte[] bucketRecord(String bucket) throws IOException {
        Optional<byte[]> b = meta.get(MetaTable.BUCKETS, MetaKeys.utf8(bucket));
        if (b.isEmpty()) {
            buckets.remove(bucket);
            throw new StorageException(StorageError.NO_SUCH_BUCKET,
                    "The bucket '" + bucket + "' does not exist.", "/" + bucket, null);
        }
        if (buckets.size() < MAX_CACHED_BUCKETS) {
            buckets.put(bucket, b.get());
        }
        return b.get();
    }

    /**
     * The bucket's record for a write, from a cache when possible: a bucket record never changes while the bucket
     * exists, and every write batch is conditioned on it, so a stale entry (the bucket was deleted elsewhere) only
     * makes that batch fail, after which the caller drops the entry and re-reads.
     */
    byte[] bucketRecordForWrite(String bucket) throws IOException {
        byte[] cached = buckets.get(bucket);
        return cached != null ? cached : bucketRecord(bucket);
    }

    /** Drops a cached bucket record (after a failed conditional write or a delete). */
    void forgetBucket(String bucket) {
        buckets.remove(bucket);
    }

    BucketInfo bucketInfo(String bucket) throws IOException {
        return bucket(bucket, bucketRecord(bucket));
    }

    /**
     * Decodes a bucket record.
     *
     * @throws UndecodableRecordException if it cannot be decoded (noted in {@link #undecodable})
     */
    BucketInfo bucket(String bucket, byte[] record) throws UndecodableRecordException {
        try {
            return BucketCodec.decode(bucket, record);
        } catch (IOException | RuntimeException e) {
            throw undecodable.report(MetaTable.BUCKETS, MetaKeys.utf8(bucket), "bucket " + bucket, e);
        }
    }

    /**
     * Decodes the record of object {@code key} in {@code bucket}.
     *
     * @throws UndecodableRecordException if it cannot be decoded (noted in {@link #undecodable})
     */
    ObjectRecord<ShardSet> object(String bucket, String key, byte[] record) throws UndecodableRecordException {
        try {
            return ClusterRecords.decodeObject(record);
        } catch (IOException | RuntimeException e) {
            throw undecodable.report(MetaTable.OBJECTS, MetaKeys.object(bucket, key), "object " + bucket + "/" + key,
                    e);
        }
    }

    /** Condition that the bucket still exists with the given record, so writes never land in a deleted bucket. */
    static MetaBatch.Condition bucketExists(String bucket, byte[] record) {
        return new MetaBatch.Condition(MetaTable.BUCKETS, MetaKeys.utf8(bucket), record);
    }
}
