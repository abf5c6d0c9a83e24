package io.predastore.node.store.cluster;

import io.predastore.node.erasure.ReedSolomon;
import io.predastore.node.erasure.StripeLayout;
import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ListPartsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.node.store.UploadPartRequest;
import io.predastore.node.store.WritePrecondition;
import io.predastore.node.store.meta.BucketCodec;
import io.predastore.node.store.meta.Listings;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.Preconditions;
import io.predastore.node.store.meta.ScanCursor;
import io.predastore.protocol.config.TuningConfig;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.ByteArrayInputStream;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RepairQueue;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed backend: every object is Reed-Solomon coded into k + m shards written, while the body
 * arrives, to k + m distinct live nodes picked by the placement ring; its record (with the placement actually
 * used) is committed through the replicated metadata store as one entry, only after every shard is durable.
 * Reads rebuild stripes from parity when a shard is missing, slow or corrupt. Deleted and replaced shards are
 * removed asynchronously through tombstones.
 *
 * <p>While any live node's disk is below its free-space reserve (as its shard pings say), writes that add data
 * (objects, parts, buckets, uploads, completions) are refused with
 * {@link io.predastore.node.disk.StorageFullException} naming the node, before any body is read: every node holds
 * the whole metadata, so the full node's Raft log would grow with them. Reads, deletes and aborts go on, and free
 * the space. A node that fills up while a shard streams to it refuses that shard; the write then fails the same
 * way, its other shards are deleted and nothing is committed. Thread-safe.
 */
public final class DistributedBackend implements Backend {
    /**
     * Objects up to this size are kept in their metadata record (see {@link #putInline}); larger ones, and every
     * multipart part, are erasure-coded.
     */
    public static final int INLINE_LIMIT = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DistributedBackend.class);

    private static final int MAX_CAS_ATTEMPTS = 16;
    private static final int LIST_SCAN_PAGE = 256;

    private final ClusterContext cx;
    private final ClusterMultipart multipart;
    private final ShardRepairer repairer;
    private final ProtectionPass protection;

    /**
     * @param meta the replicated metadata
     * @param router how to reach each node's shard store, and which nodes are alive
     * @param executor runs parallel shard commits and background deletes
     * @param chunkSize bytes per shard per stripe (e.g. 256 KiB)
     */
    public DistributedBackend(MetadataStore meta, ShardRouter router, Executor executor, Clock clock,
            int dataShards, int parityShards, int chunkSize) {
        this(meta, router, executor, clock, dataShards, parityShards, dataShards + parityShards, chunkSize);
    }

    /**
     * As above, with a write quorum: new objects may be stored with as few as {@code writeQuorum} shards (at least
     * {@code dataShards + 1}) when nodes are down, the others recorded for repair.
     */
    public DistributedBackend(MetadataStore meta, ShardRouter router, Executor executor, Clock clock,
            int dataShards, int parityShards, int writeQuorum, int chunkSize) {
        this(meta, router, executor, clock, dataShards, parityShards, writeQuorum, chunkSize, TuningConfig.DEFAULTS);
    }

    /**
     * As above, with the repair timings of {@code tuning}: {@code repair_round_interval_ms},
     * {@code repair_unreferenced_grace_ms} and {@code corrupt_shard_report_quiet_ms}.
     */
    public DistributedBackend(MetadataStore meta, ShardRouter router, Executor executor, Clock clock,
            int dataShards, int parityShards, int writeQuorum, int chunkSize, TuningConfig tuning) {
        ReedSolomon.create(dataShards, parityShards); // validates the parameters
        int width = dataShards + parityShards;
        if (writeQuorum > width || writeQuorum < Math.min(width, dataShards + 1)) {
            throw new IllegalArgumentException("write quorum " + writeQuorum + " is outside "
                    + Math.min(width, dataShards + 1) + ".." + width);
        }
        this.cx = new ClusterContext(meta, router, executor, clock, dataShards, parityShards, writeQuorum,
                chunkSize, tuning.corruptShardReportQuiet());
        this.multipart = new ClusterMultipart(cx);
        DeadNodes dead = new DeadNodes(router, clock, tuning.deadNodeGrace());
        this.repairer = new ShardRepairer(cx, tuning.repairRoundInterval(), tuning.repairUnreferencedGrace(), dead,
                new Pace(tuning.repairBytesPerSecond(), Pace.SYSTEM), tuning.repairConcurrentSets());
        this.protection = new ProtectionPass(cx, dead, repairer, tuning.repairUnreferencedGrace(),
                new Pace(ProtectionPass.STATS_PER_SECOND, Pace.SYSTEM));
    }

    /**
     * Makes the backend follow the cluster's replicated member list: new objects are placed on the live nodes
     * {@code source} says are active, and the protection pass moves shards off draining nodes and onto new ones.
     * Until called, every node the router knows is active.
     */
    public void followMembers(java.util.function.Supplier<MemberSet> source) {
        cx.followMembers(source);
    }

    /**
     * Runs the protection pass now if {@code repairsHere} says this node is the one that repairs (see
     * {@link ProtectionPass}): records what needs rebuilding and stores the cluster's protection report in the
     * {@code health} table. Returns the report, or null if the pass did not run or stopped early.
     *
     * @throws IOException if the metadata store cannot be read or written now
     */
    public ProtectionReport protectionPass(java.util.function.BooleanSupplier repairsHere) throws IOException {
        return protection.run(repairsHere);
    }

    /** One protection pass as a background job: its summary line, in a few words. */
    public String protectionPassJob(java.util.function.BooleanSupplier repairsHere) throws IOException {
        ProtectionReport report = protection.run(repairsHere);
        return report == null ? "not the metadata leader" : report.summaryLine();
    }

    /** The repair queue as the repair engine of this node sees it now (meaningful on the node that repairs). */
    public RepairQueue repairQueue() throws IOException {
        return protection.queue();
    }

    /**
     * The last protection report stored in the metadata (by whichever node ran the pass), or empty before the first
     * pass.
     *
     * @throws IOException if the metadata store cannot be read, or the report does not decode
     */
    public java.util.Optional<ProtectionReport> storedProtectionReport() throws IOException {
        var json = cx.meta.get(MetaTable.HEALTH, MetaKeys.utf8(ProtectionPass.REPORT_KEY));
        return json.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(io.predastore.protocol.admin.AdminJson.read(json.get(),
                        ProtectionReport.class));
    }

    @Override
    public String type() {
        return "distributed";
    }

    /** Retries deleting shards whose tombstones are still pending; returns how many were reaped. */
    public int sweepTombstones() {
        try {
            return cx.reaper.sweep().reaped();
        } catch (IOException e) {
            return 0; // the metadata store is unavailable now; the next sweep starts over
        }
    }

    /**
     * One run of the tombstone sweep as a background job: what it did, in a few words.
     *
     * @throws IOException if the metadata store cannot be read now
     */
    public String sweepTombstonesJob() throws IOException {
        String result = cx.reaper.sweep().toString();
        cx.quarantine.count(MetaTable.TOMBSTONES);
        return result;
    }

    /** One check for a shard repair round as a background job (see {@link #repairShardsIfDue}). */
    public String repairShardsJob(java.util.function.BooleanSupplier repairsHere) throws IOException {
        RepairRound round = repairer.repairIfDue(repairsHere);
        Exception stopped = repairer.takeRoundFailure();
        if (stopped != null) {
            throw new IOException("the shard repair round stopped after " + round + ": " + stopped.getMessage()
                    + "; the next round starts over", stopped);
        }
        if (round == RepairRound.NONE) {
            return "no round due here";
        }
        cx.quarantine.count(MetaTable.REPAIRS);
        return round.toString();
    }

    /** Tombstones set aside because they do not decode, as last counted. */
    public long quarantinedTombstones() {
        return cx.quarantine.knownCount(MetaTable.TOMBSTONES);
    }

    /** Repair entries set aside because they do not decode, as last counted. */
    public long quarantinedRepairs() {
        return cx.quarantine.knownCount(MetaTable.REPAIRS);
    }

    /**
     * Rebuilds, now, the shards of every recorded shard set that can be repaired (see {@link ShardRepairer}),
     * whatever node this is. For tests and operators; nodes call {@link #repairShardsIfDue} instead.
     */
    public RepairRound repairShards() {
        return repairer.repairAll(() -> true);
    }

    /**
     * Runs a shard repair round when one is due (every 15 s, and as soon as a node has come back) and
     * {@code repairsHere} says this node is the one that repairs (the node runtime passes "is the metadata
     * leader"), so that one node at a time rebuilds. Meant to be called every few seconds from one thread.
     */
    public RepairRound repairShardsIfDue(java.util.function.BooleanSupplier repairsHere) {
        return repairer.repairIfDue(repairsHere);
    }

    @Override
    public void createBucket(String bucket, String region) throws IOException {
        cx.requireRoom("create bucket " + bucket);
        byte[] key = MetaKeys.utf8(bucket);
        byte[] record = BucketCodec.encode(new BucketInfo(bucket, cx.now(), region));
        boolean created = cx.meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.BUCKETS, key, null)),
                List.of(new MetaBatch.Put(MetaTable.BUCKETS, key, record))));
        if (!created) {
            throw new StorageException(StorageError.BUCKET_ALREADY_YOURS,
                    "You already own the bucket '" + bucket + "'.",
                    "/" + bucket, null);
        }
    }

    @Override
    public void deleteBucket(String bucket) throws IOException {
        byte[] record = cx.bucketRecord(bucket);
        byte[] prefix = MetaKeys.bucketPrefix(bucket);
        if (!cx.meta.scan(MetaTable.OBJECTS, prefix, null, 1).isEmpty()
                || !cx.meta.scan(MetaTable.UPLOADS, prefix, null, 1).isEmpty()) {
            throw new StorageException(StorageError.BUCKET_NOT_EMPTY, "The bucket '" + bucket
                    + "' still holds objects or multipart uploads; delete them first.", "/" + bucket, null);
        }
        cx.meta.apply(new MetaBatch(List.of(ClusterContext.bucketExists(bucket, record)),
                List.of(new MetaBatch.Delete(MetaTable.BUCKETS, MetaKeys.utf8(bucket)))));
        cx.forgetBucket(bucket);
    }

    @Override
    public BucketInfo headBucket(String bucket) throws IOException {
        return cx.bucketInfo(bucket);
    }

    @Override
    public List<BucketInfo> listBuckets() throws IOException {
        List<BucketInfo> out = new ArrayList<>();
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.BUCKETS, new byte[0], from, 500);
            for (MetaEntry e : page) {
                try {
                    out.add(cx.bucket(MetaKeys.string(e.key(), 0, e.key().length), e.value()));
                } catch (UndecodableRecordException bad) {
                    // Noted and logged once; every other bucket is still listed.
                }
            }
            if (page.size() < 500) {
                return out;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = java.util.Arrays.copyOf(last, last.length + 1);
        }
    }

    @Override
    public ObjectInfo putObject(PutObjectRequest request, InputStream body) throws IOException {
        byte[] bucketRecord = cx.bucketRecordForWrite(request.bucket());
        cx.requireRoom("store " + request.bucket() + "/" + request.key());
        if (!request.precondition().isNone()) {
            // Fail fast before moving the body; the commit checks the condition again atomically.
            checkPreconditionInBucket(request.precondition(), request.bucket(), request.key(),
                    cx.meta.get(MetaTable.OBJECTS, MetaKeys.object(request.bucket(), request.key())));
        }
        if (request.contentLength() <= INLINE_LIMIT) {
            return putInline(request, body, bucketRecord);
        }
        Written w = writeShards(request.bucket(), request.key(), body, request.contentLength());
        try {
            if (request.expectedMd5() != null && !MessageDigest.isEqual(request.expectedMd5(), w.md5)) {
                throw new StorageException(StorageError.BODY_DIGEST_MISMATCH,
                        "The Content-MD5 you specified did not match what we received.");
            }
            ObjectRecord<ShardSet> record = ObjectRecord.stored(new ObjectHeader(w.set.length(),
                    HexFormat.of().formatHex(w.md5), cx.now(), request.metadata(), 0, request.checksum().get()),
                    List.of(w.set));
            commitObject(request.bucket(), request.key(), bucketRecord, record, request.precondition());
            return record.info(request.bucket(), request.key());
        } catch (IOException | RuntimeException e) {
            if (refused(e)) {
                discard(w.set);
            } else {
                parkUncertain(request.bucket(), request.key(), w.set, e);
            }
            throw e;
        }
    }

    /**
     * Whether a failed commit certainly wrote nothing: a refusal decided before it or by its conditions (a
     * precondition, a conflict, a bad digest, no live nodes), as opposed to a metadata write whose outcome is unknown
     * or an unexpected failure, which may have been applied.
     */
    static boolean refused(Exception e) {
        return e instanceof StorageException s && s.error() != StorageError.OUTCOME_UNKNOWN;
    }

    /**
     * After a commit that failed without a refusal (the metadata store timed out or lost its leader), the outcome is
     * unknown: the entry may still be applied (a Raft client resends it), and a record would then refer to the set.
     * Deleting the set's shards now could leave such a record without its bytes, so the set is handed to the repair
     * engine instead, as a repair entry: if a record comes to use the set the entry is dropped, and if none does
     * within the unreferenced grace, the engine deletes the shards. A set written with shards missing is there
     * already. If even that cannot be recorded, the shards are left in place: space is lost, never data.
     */
    void parkUncertain(String bucket, String key, ShardSet set, Exception failure) {
        if (set.missing().length > 0) {
            return;
        }
        try {
            cx.meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.REPAIRS, MetaKeys.utf8(set.objectId()),
                    ClusterRecords.encodeRepair(new ClusterRecords.RepairNeeded(bucket, key, cx.now(), set)))));
            LOG.info("{}/{}: the commit of shard set {} failed with an unknown outcome ({}); the set is left to the "
                    + "repair engine, which keeps it if a record uses it and deletes it otherwise", bucket, key,
                    set.objectId(), failure.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}/{}: the commit of shard set {} failed with an unknown outcome ({}), and the set could not "
                    + "be handed to the repair engine ({}); its shards are kept", bucket, key, set.objectId(),
                    failure.toString(), e.toString());
        }
    }

    /**
     * A small object is kept whole in its metadata record instead of being erasure-coded: one Raft commit stores it
     * on every node, where shards would cost k + m remote writes (each with its own fsync) for a few KiB. It is then
     * as available as the metadata itself (readable while a majority of nodes is up).
     */
    private ObjectInfo putInline(PutObjectRequest request, InputStream body, byte[] bucketRecord)
            throws IOException {
        int length = (int) request.contentLength();
        byte[] data = body.readNBytes(length);
        if (data.length < length) {
            throw new StorageException(StorageError.BODY_INCOMPLETE,
                    "The body ended after " + data.length + " of " + length
                    + " bytes.");
        }
        if (body.read() >= 0) {
            throw new StorageException(StorageError.BODY_TOO_LONG,
                    "The body is longer than its declared length of " + length
                    + " bytes.");
        }
        byte[] md5 = md5().digest(data);
        if (request.expectedMd5() != null && !MessageDigest.isEqual(request.expectedMd5(), md5)) {
            throw new StorageException(StorageError.BODY_DIGEST_MISMATCH,
                    "The Content-MD5 you specified did not match what we received.");
        }
        ObjectRecord<ShardSet> record = ObjectRecord.inline(new ObjectHeader(length, HexFormat.of().formatHex(md5),
                cx.now(), request.metadata(), 0, request.checksum().get()), data);
        commitObject(request.bucket(), request.key(), bucketRecord, record, request.precondition());
        return record.info(request.bucket(), request.key());
    }

    /** A body written to a new shard set, with its MD5. */
    record Written(ShardSet set, byte[] md5) {
    }

    Written writeShards(String bucket, String key, InputStream body, long length) throws IOException {
        int[] nodes = cx.placement(bucket, key);
        String objectId = cx.newShardSetId();
        MessageDigest md5 = md5();
        int chunkSize = StripeLayout.fittedChunkSize(length, cx.dataShards, cx.chunkSize);
        // Nodes delete a shard only under a tombstone that lists it: should the commit fail half-way, the one
        // committed below under this id lets the writer take back what it committed.
        String tombstone = ClusterContext.newObjectId(cx.now());
        try (ShardSetWriter writer = new ShardSetWriter(cx.router, cx.reader.codec(cx.dataShards, cx.parityShards),
                chunkSize, objectId, nodes, cx.executor, ShardWarrant.NONE,
                ShardWarrant.of(ShardWarrant.Kind.TOMBSTONE, MetaKeys.utf8(tombstone)))) {
            long n = writer.write(body, length, md5);
            ShardSet set;
            try {
                set = writer.commit(n);
            } catch (IOException | RuntimeException e) {
                // Before the writer is closed, which deletes the shards it committed (the sweep then drops the
                // tombstone); if the tombstone cannot be written those shards stay, unreferenced.
                tombstoneFailedSet(tombstone, new ShardSet(objectId, n, cx.dataShards, cx.parityShards, chunkSize,
                        nodes));
                throw e;
            }
            if (set.missing().length > 0) {
                recordForRepair(bucket, key, set);
            }
            return new Written(set, md5.digest());
        } catch (NodeUnavailableException e) {
            throw new StorageException(StorageError.UNAVAILABLE, e.getMessage());
        }
    }

    private void tombstoneFailedSet(String tombstone, ShardSet set) {
        try {
            cx.meta.apply(MetaBatch.of(ShardReaper.tombstone(tombstone, List.of(set))));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the shards of {}, whose commit failed, could not be scheduled for deletion: {}", set.objectId(),
                    e.toString());
        }
    }

    /**
     * Notes a shard set written without some of its shards, before anything refers to it, so that no such set
     * goes unnoticed; if this fails the write fails (and the shards are discarded) rather than leave an object
     * less protected than configured with no record of it.
     */
    private void recordForRepair(String bucket, String key, ShardSet set) throws IOException {
        try {
            cx.meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.REPAIRS, MetaKeys.utf8(set.objectId()),
                    ClusterRecords.encodeRepair(new ClusterRecords.RepairNeeded(bucket, key, cx.now(), set)))));
        } catch (IOException | RuntimeException e) {
            discard(set);
            throw e;
        }
        LOG.warn("{}/{} stored without shards {} of {} (their nodes are down); recorded for repair", bucket, key,
                java.util.Arrays.toString(set.missing()), set.objectId());
    }

    /**
     * Commits an object record, atomically with its precondition and the bucket's existence, and tombstones the
     * replaced version's shards. Concurrent unconditional writers are retried (last writer wins).
     */
    void commitObject(String bucket, String key, byte[] bucketRecord, ObjectRecord<ShardSet> record,
            WritePrecondition precondition) throws IOException {
        byte[] metaKey = MetaKeys.object(bucket, key);
        byte[] encoded = ClusterRecords.encodeObject(record);
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            if (precondition.isNone() ? commitUnconditional(bucket, metaKey, bucketRecord, encoded)
                    : commitConditional(bucket, metaKey, bucketRecord, encoded, precondition)) {
                return;
            }
            cx.forgetBucket(bucket);
            bucketRecord = cx.bucketRecord(bucket);
        }
        throw new StorageException(StorageError.WRITE_CONFLICT, "The key '" + key
                + "' is being written by many clients at once; retry.");
    }

    /**
     * Last writer wins, with no read first: the one metadata write replaces whatever record is there and keeps the
     * replaced one as a tombstone, whose shards the reaper then deletes. Fails only if the bucket changed.
     */
    private boolean commitUnconditional(String bucket, byte[] metaKey, byte[] bucketRecord, byte[] encoded)
            throws IOException {
        String tombstone = ClusterContext.newObjectId(cx.now());
        MetaBatch batch = new MetaBatch(List.of(ClusterContext.bucketExists(bucket, bucketRecord)),
                List.of(ShardReaper.replacing(metaKey, encoded, tombstone)));
        ApplyOutcome outcome = cx.meta.applyBatch(batch);
        if (outcome == ApplyOutcome.APPLIED_KEPT_PREVIOUS) {
            cx.reaper.reapLater(ShardReaper.replacedId(tombstone), cx.executor);
        }
        return outcome.applied();
    }

    /** Reads the current record, checks the precondition and commits only if neither record nor bucket changed. */
    private boolean commitConditional(String bucket, byte[] metaKey, byte[] bucketRecord, byte[] encoded,
            WritePrecondition precondition) throws IOException {
        Optional<byte[]> current = cx.meta.get(MetaTable.OBJECTS, metaKey);
        checkPreconditionInBucket(precondition, bucket,
                MetaKeys.string(metaKey, MetaKeys.bucketPrefix(bucket).length, metaKey.length),
                current);
        List<MetaBatch.Op> ops = new ArrayList<>();
        ops.add(new MetaBatch.Put(MetaTable.OBJECTS, metaKey, encoded));
        String tombstone = null;
        if (current.isPresent()) {
            tombstone = ClusterContext.newObjectId(cx.now());
            ops.add(ShardReaper.tombstone(tombstone, ClusterRecords.decodeObject(current.get()).segments()));
        }
        List<MetaBatch.Condition> conditions = List.of(ClusterContext.bucketExists(bucket, bucketRecord),
                new MetaBatch.Condition(MetaTable.OBJECTS, metaKey, current.orElse(null)));
        if (!cx.meta.apply(new MetaBatch(conditions, ops))) {
            return false;
        }
        if (tombstone != null) {
            cx.reaper.reapLater(tombstone, cx.executor);
        }
        return true;
    }

    /**
     * {@link #checkPrecondition}, where the bucket record may come from the cache: a key found absent may be absent
     * because its bucket was deleted through another node, which is answered NO_SUCH_BUCKET, not NO_SUCH_KEY.
     */
    private void checkPreconditionInBucket(WritePrecondition p, String bucket, String key, Optional<byte[]> current)
            throws IOException {
        try {
            checkPrecondition(p, bucket, key, current);
        } catch (StorageException e) {
            if (e.error() == StorageError.NO_SUCH_KEY) {
                cx.forgetBucket(bucket);
                cx.bucketRecord(bucket);
            }
            throw e;
        }
    }

    /** Checks {@code p} against the current record of {@code bucket/key} (empty if the key is absent). */
    static void checkPrecondition(WritePrecondition p, String bucket, String key, Optional<byte[]> current)
            throws IOException {
        if (p.isNone()) {
            return;
        }
        String etag = current.isEmpty() ? null : ClusterRecords.decodeObject(current.get()).header().etag();
        Preconditions.check(p, etag, bucket, key);
    }

    /**
     * Deletes a shard set that never became (or is no longer) part of a committed record. Only for a set that no
     * commit in flight can still refer to (see {@link #parkUncertain}).
     */
    void discard(ShardSet set) {
        String id = ClusterContext.newObjectId(cx.now());
        try {
            cx.meta.apply(MetaBatch.of(ShardReaper.tombstone(id, List.of(set))));
            cx.reaper.reapLater(id, cx.executor);
        } catch (IOException e) {
            // The metadata store is unreachable; the shards stay until compaction finds them unreferenced.
        }
    }

    @Override
    public ObjectHandle getObject(String bucket, String key) throws IOException {
        ObjectRecord<ShardSet> record = record(bucket, key);
        ObjectInfo info = record.info(bucket, key);
        return new ObjectHandle() {
            @Override
            public ObjectInfo info() {
                return info;
            }

            @Override
            public ObjectBody open(long offset, long length) throws IOException {
                byte[] inline = record.inline();
                if (inline != null) {
                    return new StreamBody(length, () -> new ByteArrayInputStream(inline, (int) offset, (int) length));
                }
                // Primed: an object that cannot be read is answered with an error, not a success cut short.
                return StreamBody.primed(length, "The object '" + key + "'",
                        () -> cx.reader.open(bucket, key, record.segments(), offset, length,
                                ShardWarrant.of(ShardWarrant.Kind.OBJECT, MetaKeys.object(bucket, key))));
            }

            @Override
            public Optional<Span> part(int partNumber) throws IOException {
                List<ShardSet> sets = record.segments();
                return Span.ofPart(info, partNumber, sets.size(), i -> sets.get(i).length());
            }

            @Override
            public void close() {
                // Nothing is held open: shard streams are opened by the body.
            }
        };
    }

    @Override
    public ObjectInfo headObject(String bucket, String key) throws IOException {
        return record(bucket, key).info(bucket, key);
    }

    private ObjectRecord<ShardSet> record(String bucket, String key) throws IOException {
        Optional<byte[]> bytes = cx.meta.get(MetaTable.OBJECTS, MetaKeys.object(bucket, key));
        if (bytes.isEmpty()) {
            cx.bucketRecord(bucket);
            throw new StorageException(StorageError.NO_SUCH_KEY, "The key '" + key + "' does not exist.",
                    "/" + bucket + "/" + key, null);
        }
        return cx.object(bucket, key, bytes.get());
    }

    /** Where an object's bytes are: its size and shard sets in order, or empty if there is no such object. */
    public Optional<Layout> layout(String bucket, String key) throws IOException {
        Optional<byte[]> bytes = cx.meta.get(MetaTable.OBJECTS, MetaKeys.object(bucket, key));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        ObjectRecord<ShardSet> r = cx.object(bucket, key, bytes.get());
        return Optional.of(new Layout(r.header().size(), r.segments()));
    }

    /** An object's size and the shard sets holding it. */
    public record Layout(long size, List<ShardSet> segments) {
    }

    /** The metadata records this backend has met that do not decode (skipped by listings, 500 for reads). */
    public UndecodableRecords undecodableRecords() {
        return cx.undecodable;
    }

    /** Data shards per stripe of new objects. */
    public int dataShards() {
        return cx.dataShards;
    }

    /** Parity shards per stripe of new objects. */
    public int parityShards() {
        return cx.parityShards;
    }

    @Override
    public void deleteObject(String bucket, String key, DeletePrecondition precondition) throws IOException {
        byte[] bucketRecord = cx.bucketRecord(bucket);
        byte[] metaKey = MetaKeys.object(bucket, key);
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Optional<byte[]> current = cx.meta.get(MetaTable.OBJECTS, metaKey);
            ObjectRecord<ShardSet> record = current.isEmpty() ? null : cx.object(bucket, key, current.get());
            // Checked against the version read; the batch below commits only if that version is still current.
            if (!Preconditions.checkDelete(precondition, record == null ? null : record.header(), bucket, key)) {
                return;
            }
            List<ShardSet> segments = record.segments();
            String tombstone = segments.isEmpty() ? null : ClusterContext.newObjectId(cx.now());
            List<MetaBatch.Op> ops = new ArrayList<>();
            ops.add(new MetaBatch.Delete(MetaTable.OBJECTS, metaKey));
            if (tombstone != null) {
                ops.add(ShardReaper.tombstone(tombstone, segments));
            }
            boolean done = cx.meta.apply(new MetaBatch(
                    List.of(ClusterContext.bucketExists(bucket, bucketRecord),
                            new MetaBatch.Condition(MetaTable.OBJECTS, metaKey, current.get())), ops));
            if (done) {
                if (tombstone != null) {
                    cx.reaper.reapLater(tombstone, cx.executor);
                }
                return;
            }
            cx.forgetBucket(bucket);
            bucketRecord = cx.bucketRecord(bucket);
        }
        throw new StorageException(StorageError.WRITE_CONFLICT, "The key '" + key + "' is changing; retry.");
    }

    @Override
    public ListObjectsResult listObjects(ListObjectsRequest request) throws IOException {
        cx.bucketRecord(request.bucket());
        return Listings.objects(request, this::cursor,
                (key, at) -> cx.object(request.bucket(), key, at.value()).info(request.bucket(), key));
    }

    @Override
    public String createMultipartUpload(String bucket, String key, ObjectMetadata metadata) throws IOException {
        cx.requireRoom("start a multipart upload of " + bucket + "/" + key);
        return multipart.create(bucket, key, metadata);
    }

    @Override
    public PartInfo uploadPart(UploadPartRequest request, InputStream body) throws IOException {
        return multipart.uploadPart(this, request, body);
    }

    @Override
    public ObjectInfo completeMultipartUpload(CompleteMultipartUploadRequest request) throws IOException {
        cx.requireRoom("complete the multipart upload of " + request.bucket() + "/" + request.key());
        return multipart.complete(this, request);
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) throws IOException {
        multipart.abort(bucket, key, uploadId);
    }

    @Override
    public ListPartsResult listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts)
            throws IOException {
        return multipart.listParts(bucket, key, uploadId, partNumberMarker, maxParts);
    }

    @Override
    public ListUploadsResult listMultipartUploads(ListUploadsRequest request) throws IOException {
        cx.bucketRecord(request.bucket());
        return Listings.uploads(request, this::cursor, cx.undecodable);
    }

    /** A listing's cursor: pages of metadata scans, a new scan at every seek past a rolled-up prefix. */
    private ScanCursor cursor(MetaTable table, byte[] prefix) {
        return new ScanCursor(cx.meta, table, prefix, LIST_SCAN_PAGE);
    }

    @Override
    public void close() {
        // The metadata store and shard router belong to the node runtime, which closes them.
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JVM", e);
        }
    }

    Instant now() {
        return cx.now();
    }
}
