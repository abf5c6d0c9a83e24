package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.UploadPartRequest;
import io.predastore.node.store.WritePrecondition;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.testing.TestClock;
import io.predastore.protocol.admin.DrainingNode;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RebalanceProgress;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebalancer on RS 3+2 over six in-process shard stores: objects written on five active nodes move onto a sixth
 * when it becomes active (about one set in (k + m) / N gains a shard there, one shard each), every object reads
 * back byte for byte and no record names a shard that is absent; a draining node is emptied, the parts of uploads
 * in progress on it included, and a completion racing a part's move names the copies that won; an object
 * overwritten during a move is left alone
 * and the copy deleted; a move interrupted between copy and commit is finished by the next repairer; a shard whose
 * source fails its chunk checksums is rebuilt rather than copied; and a removed node's shards are rebuilt as lost.
 */
class RebalanceTest {
    private static final String BUCKET = "rebalance";
    private static final int CHUNK = 64 * 1024;
    private static final int WIDTH = 5;

    @TempDir
    Path dir;

    private LocalRouter router;
    private LocalMetadataStore local;
    private HookedMeta meta;
    private DistributedBackend backend;
    private final AtomicReference<MemberSet> members = new AtomicReference<>(
            new MemberSet(1, List.of(1, 2, 3, 4, 5), List.of()));
    private final Map<String, byte[]> objects = new LinkedHashMap<>();

    @BeforeEach
    void open() throws IOException {
        router = new LocalRouter(dir.resolve("shards"), 6);
        local = LocalMetadataStore.open(dir.resolve("meta"));
        meta = new HookedMeta(local);
        backend = newBackend();
        backend.createBucket(BUCKET, "us-east-1");
    }

    /** A backend over the same metadata and stores, as a newly elected leader would run it. */
    private DistributedBackend newBackend() {
        DistributedBackend b = new DistributedBackend(meta, router, Runnable::run,
                new TestClock(Instant.parse("2030-01-01T00:00:00Z")), 3, 2, WIDTH, CHUNK);
        b.followMembers(members::get);
        return b;
    }

    @AfterEach
    void close() throws Exception {
        backend.close();
        local.close();
        router.close();
    }

    @Test
    void aNewNode_getsItsShare_thenADrainedNodeIsEmptied() throws IOException {
        for (int i = 0; i < 22; i++) {
            put("plain-" + i, BackendObjects.random(20_000 + 13_000 * i, i));
        }
        for (int i = 0; i < 5; i++) {
            put("inline-" + i, BackendObjects.random(100 + 1000 * i, 100 + i));
        }
        for (int i = 0; i < 3; i++) {
            putMultipart("multi-" + i, 200 + i);
        }
        Map<String, int[]> before = placements();
        int sets = before.size();
        assertThat(sets).isEqualTo(22 + 3 * 2);
        assertThat(router.local(6).shardCount()).isZero();

        members.set(new MemberSet(2, List.of(1, 2, 3, 4, 5, 6), List.of()));
        ProtectionReport first = backend.protectionPass(() -> true);
        assertThat(first.rebalance().membersEpoch()).isEqualTo(2);
        assertThat(first.rebalance().rebalanceShards()).isPositive();
        assertThat(first.rebalance().rebalanceBytes()).isPositive();
        assertThat(first.repairs().queuedByCause()).containsKey("rebalance");
        assertThat(first.rebalance().etaSeconds()).as("at repair_bytes_per_second, nothing moved yet").isPositive();
        RebalanceProgress done = settle();

        assertThat(done.shardsToMove()).isZero();
        assertThat(done.movedShards()).isEqualTo(first.rebalance().rebalanceShards());
        assertThat(router.local(6).shardCount()).isPositive();
        assertEveryObjectReadsBackAndEveryShardIsThere();
        assertEverySetSitsOnItsPlace(List.of(1, 2, 3, 4, 5, 6));
        long total = router.totalShards();
        long cap = (long) Math.ceil(RingConfig.DEFAULT_LOAD_FACTOR * total / 6);
        for (int node = 1; node <= 6; node++) {
            assertThat(router.local(node).shardCount()).as("shards on node %d", node).isLessThanOrEqualTo(cap);
        }
        Map<String, int[]> after = placements();
        int movedSets = 0;
        int movedShards = 0;
        for (Map.Entry<String, int[]> e : before.entrySet()) {
            int[] now = after.get(e.getKey());
            int changed = (int) IntStream.range(0, WIDTH).filter(i -> now[i] != e.getValue()[i]).count();
            assertThat(changed).as("shards of %s moved", e.getKey()).isLessThanOrEqualTo(1);
            movedSets += changed > 0 ? 1 : 0;
            movedShards += changed;
        }
        // A node joining N - 1 others takes a place in about (k + m) / N of the sets, one shard each: 1 / N of all.
        assertThat((double) movedSets / sets).isBetween(5.0 / 6 - 0.2, Math.min(1.0, 5.0 / 6 + 0.2));
        assertThat((double) movedShards / (sets * WIDTH)).isBetween(1.0 / 6 - 0.05, 1.0 / 6 + 0.05);
        assertThat(done.movedBytes()).isPositive();
        assertThat(done.etaSeconds()).isZero();

        // An upload in progress with a part on node 2, which is then drained: the part is moved off it too.
        String uploadKey = keyPlacedOn(2, List.of(1, 2, 3, 4, 5, 6));
        String uploadId = backend.createMultipartUpload(BUCKET, uploadKey, ObjectMetadata.EMPTY);
        byte[] partData = BackendObjects.random(40_000, 300);
        CompletedPart part = uploadPart(uploadKey, uploadId, 1, partData);
        long onTwo = router.local(2).shardCount();
        members.set(new MemberSet(3, List.of(1, 3, 4, 5, 6), List.of(2)));
        ProtectionReport draining = backend.protectionPass(() -> true);
        assertThat(draining.rebalance().drainShards()).isEqualTo(onTwo - 1);
        assertThat(draining.rebalance().draining()).containsExactly(new DrainingNode("node-2", onTwo, 1));
        RebalanceProgress drained = settle();
        assertThat(drained.membersEpoch()).isEqualTo(3);
        assertThat(drained.draining()).as("the upload's part moved too").containsExactly(
                new DrainingNode("node-2", 0, 0));
        assertThat(drained.pending()).isFalse();
        assertThat(router.local(2).shardCount()).isZero();
        assertThat(backend.listParts(BUCKET, uploadKey, uploadId, 0, 10).parts()).singleElement()
                .satisfies(p -> assertThat(p.etag()).isEqualTo(part.etag()));

        backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, uploadKey, uploadId,
                List.of(part), WritePrecondition.NONE));
        objects.put(uploadKey, partData);
        backend.sweepTombstones();
        assertEveryObjectReadsBackAndEveryShardIsThere();
        assertEverySetSitsOnItsPlace(List.of(1, 3, 4, 5, 6));
    }

    /**
     * A completion that read the parts before a part's move committed, and commits after it, must not name the old
     * copies (the move's tombstone deletes them): it reads the parts again and names the new ones.
     */
    @Test
    void aCompletionThatReadThePartsBeforeAPartMoved_namesTheNewCopies() throws IOException {
        String key = keyPlacedOn(2, List.of(1, 2, 3, 4, 5));
        String uploadId = backend.createMultipartUpload(BUCKET, key, ObjectMetadata.EMPTY);
        byte[] data = BackendObjects.random(90_000, 500);
        CompletedPart part = uploadPart(key, uploadId, 1, data);
        members.set(new MemberSet(2, List.of(1, 3, 4, 5, 6), List.of(2)));
        backend.protectionPass(() -> true);
        meta.beforeCompleteCommit(() -> assertThat(backend.repairShards()).as("the part moved")
                .isEqualTo(new RepairRound(1, 0, 0)));

        backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, key, uploadId, List.of(part),
                WritePrecondition.NONE));
        objects.put(key, data);
        backend.sweepTombstones();

        assertThat(Arrays.stream(segments(key).get(0).nodes()).boxed().toList()).doesNotContain(2);
        assertThat(router.local(2).shardCount()).isZero();
        assertEveryObjectReadsBackAndEveryShardIsThere();
    }

    /**
     * A completion that commits while a part's shards are being copied wins: the move's commit then fails, its
     * copies are deleted and its entry goes; the object is then drained as any other.
     */
    @Test
    void aCompletionDuringAPartMove_wins_andTheCopiesAreDeleted() throws IOException {
        String key = keyPlacedOn(2, List.of(1, 2, 3, 4, 5));
        String uploadId = backend.createMultipartUpload(BUCKET, key, ObjectMetadata.EMPTY);
        byte[] data = BackendObjects.random(90_000, 600);
        CompletedPart part = uploadPart(key, uploadId, 1, data);
        members.set(new MemberSet(2, List.of(1, 3, 4, 5, 6), List.of(2)));
        backend.protectionPass(() -> true);
        meta.beforeRepairCommit(() -> {
            try {
                backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, key, uploadId,
                        List.of(part), WritePrecondition.NONE));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 1, 0));
        objects.put(key, data);
        backend.sweepTombstones();
        assertThat(Arrays.stream(segments(key).get(0).nodes()).boxed().toList()).as("as completed").contains(2);
        assertThat(local.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
        assertEveryObjectReadsBackAndEveryShardIsThere();

        RebalanceProgress drained = settle();
        assertThat(drained.draining()).containsExactly(new DrainingNode("node-2", 0, 0));
        assertThat(router.local(2).shardCount()).isZero();
        assertEveryObjectReadsBackAndEveryShardIsThere();
    }

    /**
     * A part that commits after a completion or an abort read the parts, and before that commits, is in neither's
     * batch: it must not stay behind as a part record of an upload that is gone, holding its shards for ever.
     */
    @Test
    void aPartCommittedWhileTheUploadEnds_isDeletedWithItsShards() throws IOException {
        String completed = "late-part-complete";
        String completedId = backend.createMultipartUpload(BUCKET, completed, ObjectMetadata.EMPTY);
        byte[] data = BackendObjects.random(60_000, 700);
        CompletedPart part = uploadPart(completed, completedId, 1, data);
        meta.beforeUploadEnds(() -> uploadPartUnchecked(completed, completedId, 2, 800));
        backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, completed, completedId,
                List.of(part), WritePrecondition.NONE));
        objects.put(completed, data);

        String aborted = "late-part-abort";
        String abortedId = backend.createMultipartUpload(BUCKET, aborted, ObjectMetadata.EMPTY);
        uploadPart(aborted, abortedId, 1, BackendObjects.random(50_000, 900));
        meta.beforeUploadEnds(() -> uploadPartUnchecked(aborted, abortedId, 2, 1000));
        backend.abortMultipartUpload(BUCKET, aborted, abortedId);
        backend.sweepTombstones();

        assertThat(local.scan(MetaTable.PARTS, new byte[0], null, 10)).as("part records left").isEmpty();
        assertEveryObjectReadsBackAndEveryShardIsThere();
    }

    private void uploadPartUnchecked(String key, String uploadId, int number, long seed) {
        try {
            uploadPart(key, uploadId, number, BackendObjects.random(40_000, seed));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anObjectOverwrittenDuringAMove_isLeftAlone_andTheCopyDeleted() throws IOException {
        String key = keyPlacedOn(6, List.of(1, 2, 3, 4, 5, 6));
        put(key, BackendObjects.random(300_000, 1));
        ShardSet old = segments(key).get(0);
        members.set(new MemberSet(2, List.of(1, 2, 3, 4, 5, 6), List.of()));
        assertThat(backend.protectionPass(() -> true).rebalance().rebalanceShards()).isEqualTo(1);
        byte[] replacement = BackendObjects.random(200_000, 2);
        meta.beforeRepairCommit(() -> {
            try {
                put(key, replacement);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 1, 0));
        backend.sweepTombstones();

        assertThat(BackendObjects.read(backend, BUCKET, key)).isEqualTo(replacement);
        for (int node = 1; node <= 6; node++) {
            for (int i = 0; i < WIDTH; i++) {
                assertThat(router.local(node).stat(new ShardId(old.objectId(), i))).as("node %d", node).isEmpty();
            }
        }
        assertThat(local.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
        assertEveryObjectReadsBackAndEveryShardIsThere();
    }

    @Test
    void aMoveInterruptedBetweenCopyAndCommit_isFinishedByTheNextRepairer() throws IOException {
        String key = keyPlacedOn(6, List.of(1, 2, 3, 4, 5, 6));
        put(key, BackendObjects.random(500_000, 3));
        ShardSet before = segments(key).get(0);
        members.set(new MemberSet(2, List.of(1, 2, 3, 4, 5, 6), List.of()));
        backend.protectionPass(() -> true);
        meta.failRepairCommit();

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 0, 1));
        assertThat(segments(key).get(0)).as("the record is not switched").isEqualTo(before);
        assertThat(router.local(6).shardCount()).as("the copy was made").isEqualTo(1);
        backend.close();
        backend = newBackend();

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        backend.sweepTombstones();

        ShardSet after = segments(key).get(0);
        assertThat(Arrays.stream(after.nodes()).boxed().toList()).contains(6).doesNotHaveDuplicates();
        assertThat(router.local(6).shardCount()).isEqualTo(1);
        assertThat(local.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
        assertEveryObjectReadsBackAndEveryShardIsThere();
        assertEverySetSitsOnItsPlace(List.of(1, 2, 3, 4, 5, 6));
    }

    @Test
    void aShardWhoseCopyFailsItsChecksums_isRebuiltFromTheOthers_notSpread() throws IOException {
        String key = keyPlacedOn(6, List.of(1, 2, 3, 4, 5, 6));
        put(key, BackendObjects.random(400_000, 4));
        ShardSet set = segments(key).get(0);
        Set<Integer> place = place(key, List.of(1, 2, 3, 4, 5, 6));
        int index = IntStream.range(0, WIDTH).filter(i -> !place.contains(set.node(i))).findFirst().orElseThrow();
        ShardId id = new ShardId(set.objectId(), index);
        long length = set.layout().shardLength(set.length());
        byte[] original = router.local(set.node(index)).open(id, 0, length).readAllBytes();
        // The node serves the shard without complaint (its own checksums match), but the bytes are not the writer's.
        ChunkIntegrityTest.rewrite(router.local(set.node(index)), id, length, 5);
        members.set(new MemberSet(2, List.of(1, 2, 3, 4, 5, 6), List.of()));
        backend.protectionPass(() -> true);

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        backend.sweepTombstones();

        assertThat(segments(key).get(0).node(index)).isEqualTo(6);
        assertThat(router.local(6).open(id, 0, length).readAllBytes()).isEqualTo(original);
        assertEveryObjectReadsBackAndEveryShardIsThere();
    }

    @Test
    void aRemovedNodesShards_areRebuiltElsewhere_asALostNodes() throws IOException {
        for (int i = 0; i < 6; i++) {
            put("k" + i, BackendObjects.random(30_000 + 7_000 * i, 10 + i));
        }
        members.set(new MemberSet(2, List.of(1, 2, 3, 4, 6), List.of())); // node 5 removed without a drain

        ProtectionReport report = backend.protectionPass(() -> true);
        assertThat(report.repairs().queuedByCause()).containsEntry("node-lost", 6L);
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(6, 0, 0));
        backend.sweepTombstones();

        assertThat(router.local(5).shardCount()).isZero();
        assertEveryObjectReadsBackAndEveryShardIsThere();
        assertEverySetSitsOnItsPlace(List.of(1, 2, 3, 4, 6));
    }

    @Test
    void tombstonesOfShardsLeftOnANodeThatIsGoneForGood_areDoneOnceItIsRemoved() throws IOException {
        for (int i = 0; i < 6; i++) {
            put("t" + i, BackendObjects.random(30_000 + 5_000 * i, 40 + i));
        }
        // Node 5 is down while it drains: its shards are rebuilt elsewhere, and its old copies cannot be deleted.
        router.down(5);
        members.set(new MemberSet(2, List.of(1, 2, 3, 4, 6), List.of(5)));
        settle();
        assertThat(local.scan(io.predastore.node.meta.MetaTable.TOMBSTONES, new byte[0], null, 100))
                .as("old copies on node 5 wait to be deleted").isNotEmpty();

        router.remove(5);
        backend.sweepTombstones();

        assertThat(local.scan(io.predastore.node.meta.MetaTable.TOMBSTONES, new byte[0], null, 100))
                .as("a removed node deleted its data as it left: nothing is left to reap there").isEmpty();
        for (Map.Entry<String, byte[]> o : objects.entrySet()) {
            assertThat(BackendObjects.read(backend, BUCKET, o.getKey())).as(o.getKey()).isEqualTo(o.getValue());
            for (ShardSet set : segments(o.getKey())) {
                assertThat(Arrays.stream(set.nodes()).boxed().toList()).as(o.getKey()).doesNotContain(5);
            }
        }
    }

    /** Passes and repair rounds until nothing is left to move (bounded); the last pass's progress. */
    private RebalanceProgress settle() throws IOException {
        RebalanceProgress progress = null;
        for (int round = 0; round < 10; round++) {
            progress = backend.protectionPass(() -> true).rebalance();
            if (progress.shardsToMove() == 0 && progress.draining().stream().allMatch(DrainingNode::drained)) {
                break;
            }
            backend.repairShards();
            backend.sweepTombstones();
        }
        return progress;
    }

    private void put(String key, byte[] data) throws IOException {
        BackendObjects.put(backend, BUCKET, key, data);
        objects.put(key, data);
    }

    private void putMultipart(String key, long seed) throws IOException {
        String uploadId = backend.createMultipartUpload(BUCKET, key, ObjectMetadata.EMPTY);
        byte[] part1 = BackendObjects.random(5 * 1024 * 1024, seed);
        byte[] part2 = BackendObjects.random(70_000, seed + 1000);
        List<CompletedPart> parts = List.of(uploadPart(key, uploadId, 1, part1), uploadPart(key, uploadId, 2,
                part2));
        backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, key, uploadId, parts,
                WritePrecondition.NONE));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(part1);
        whole.write(part2);
        objects.put(key, whole.toByteArray());
    }

    private CompletedPart uploadPart(String key, String uploadId, int number, byte[] data) throws IOException {
        PartInfo p = backend.uploadPart(new UploadPartRequest(BUCKET, key, uploadId, number, data.length, null,
                () -> null), new ByteArrayInputStream(data));
        return new CompletedPart(number, p.etag());
    }

    private List<ShardSet> segments(String key) throws IOException {
        return ClusterRecords.decodeObject(local.get(MetaTable.OBJECTS, MetaKeys.object(BUCKET, key)).orElseThrow())
                .segments();
    }

    /** Every erasure-coded set by id, its nodes by shard index. */
    private Map<String, int[]> placements() throws IOException {
        Map<String, int[]> out = new TreeMap<>();
        for (String key : objects.keySet()) {
            for (ShardSet s : segments(key)) {
                out.put(s.objectId(), s.nodes());
            }
        }
        return out;
    }

    /** The first k + m nodes of the ring of {@code active} for the key, as the backend computes a set's place. */
    private static Set<Integer> place(String key, List<Integer> active) {
        Ring ring = Ring.of(active.stream().map(id -> new Member(MetaPeerConfig.peerIdOf(id))).toList());
        Set<Integer> out = new HashSet<>();
        ring.placement(Ring.hashObject(BUCKET, key), WIDTH).forEach(m -> out.add(MetaPeerConfig.nodeIdOf(m.id())));
        return out;
    }

    /** A key whose place in the ring of {@code active} includes {@code node}. */
    private static String keyPlacedOn(int node, List<Integer> active) {
        for (int i = 0; ; i++) {
            String key = "placed-" + i;
            if (place(key, active).contains(node)) {
                return key;
            }
        }
    }

    private void assertEverySetSitsOnItsPlace(List<Integer> active) throws IOException {
        for (String key : objects.keySet()) {
            Set<Integer> place = place(key, active);
            for (ShardSet s : segments(key)) {
                assertThat(Arrays.stream(s.nodes()).boxed().toList()).as("set %s of %s", s.objectId(), key)
                        .containsExactlyInAnyOrderElementsOf(place);
            }
        }
    }

    /**
     * Every object reads back byte for byte, every shard a record names is on its node, and the stores hold no
     * other shard (nothing leaked by a move).
     */
    private void assertEveryObjectReadsBackAndEveryShardIsThere() throws IOException {
        long named = 0;
        for (Map.Entry<String, byte[]> o : objects.entrySet()) {
            assertThat(BackendObjects.read(backend, BUCKET, o.getKey())).as(o.getKey()).isEqualTo(o.getValue());
            ObjectRecord<ShardSet> record = ClusterRecords.decodeObject(
                    local.get(MetaTable.OBJECTS, MetaKeys.object(BUCKET, o.getKey())).orElseThrow());
            for (ShardSet s : record.segments()) {
                for (int i = 0; i < WIDTH; i++) {
                    assertThat(s.isMissing(i)).isFalse();
                    assertThat(router.local(s.node(i)).stat(new ShardId(s.objectId(), i)))
                            .as("shard %d of %s on node %d", i, s.objectId(), s.node(i)).isPresent();
                    named++;
                }
            }
        }
        assertThat(router.totalShards()).as("shards held, against shards the records name").isEqualTo(named);
    }

    /** The metadata, with a hook before the repair engine's commit (a batch writing both an object and a repair). */
    private static final class HookedMeta implements MetadataStore {
        private final MetadataStore inner;
        private Runnable beforeRepairCommit;
        private Runnable beforeCompleteCommit;
        private Runnable beforeUploadEnds;
        private boolean failRepairCommit;

        HookedMeta(MetadataStore inner) {
            this.inner = inner;
        }

        void beforeRepairCommit(Runnable hook) {
            beforeRepairCommit = hook;
        }

        /** Runs {@code hook} once, before the next commit of a multipart completion. */
        void beforeCompleteCommit(Runnable hook) {
            beforeCompleteCommit = hook;
        }

        /** Runs {@code hook} once, before the next commit that ends an upload (a completion or an abort). */
        void beforeUploadEnds(Runnable hook) {
            beforeUploadEnds = hook;
        }

        /** The next repair commit fails as if the repairing node crashed before sending it. */
        void failRepairCommit() {
            failRepairCommit = true;
        }

        @Override
        public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
            return inner.get(table, key);
        }

        @Override
        public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
            boolean repairCommit = batch.ops().stream().anyMatch(op -> op.table() == MetaTable.REPAIRS)
                    && batch.ops().stream().anyMatch(op -> op.table() == MetaTable.OBJECTS
                            || op.table() == MetaTable.PARTS);
            Runnable completing = beforeCompleteCommit;
            if (completing != null && batch.ops().stream().anyMatch(op -> op.table() == MetaTable.UPLOADS)
                    && batch.ops().stream().anyMatch(op -> op.table() == MetaTable.OBJECTS)) {
                beforeCompleteCommit = null;
                completing.run();
            }
            Runnable ending = beforeUploadEnds;
            if (ending != null && batch.ops().stream().anyMatch(op -> op.table() == MetaTable.UPLOADS
                    && op instanceof MetaBatch.Delete)) {
                beforeUploadEnds = null;
                ending.run();
            }
            if (repairCommit && failRepairCommit) {
                failRepairCommit = false;
                throw new IOException("the repairing node stopped before its commit");
            }
            Runnable hook = beforeRepairCommit;
            if (hook != null && repairCommit) {
                beforeRepairCommit = null;
                hook.run();
            }
            return inner.applyBatch(batch);
        }

        @Override
        public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
            return inner.scan(table, prefix, from, limit);
        }

        @Override
        public void close() {
            // the test closes the store under it
        }
    }
}
