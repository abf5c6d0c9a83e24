package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.ApplyOutcome;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.testing.TestClock;
import io.predastore.protocol.admin.AtRiskObject;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.config.TuningConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protection pass and the one repair engine on RS 3+2 over in-process shard stores: shards absent from their
 * node, reported damaged by their node, or on a node declared lost are found, recorded with their cause and rebuilt
 * (in place, or elsewhere with the old copies reaped when the lost node is back); the report counts objects by class
 * exactly; the sets closest to loss are rebuilt first.
 */
class ProtectionPassTest {
    private static final String BUCKET = "guarded";
    private static final int CHUNK = 64 * 1024;
    private static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private LocalRouter router;
    private LocalMetadataStore local;
    private RecordingMetadata meta;
    private TestClock clock;
    private DistributedBackend backend;

    private void open(int nodes, int writeQuorum) throws IOException {
        router = new LocalRouter(dir.resolve("shards"), nodes);
        local = LocalMetadataStore.open(dir.resolve("meta"));
        meta = new RecordingMetadata(local);
        clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        TuningConfig tuning = TuningConfig.fromToml(Map.of("dead_node_grace_ms", GRACE.toMillis(),
                "repair_bytes_per_second", 0L, "repair_concurrent_sets", 1L));
        backend = new DistributedBackend(meta, router, Runnable::run, clock, 3, 2, writeQuorum, CHUNK, tuning);
        backend.createBucket(BUCKET, "us-east-1");
    }

    @AfterEach
    void close() throws Exception {
        if (backend != null) {
            backend.close();
            local.close();
            router.close();
        }
    }

    private void put(String key, byte[] data) throws IOException {
        BackendObjects.put(backend, BUCKET, key, data);
    }

    private byte[] read(String key) throws IOException {
        return BackendObjects.read(backend, BUCKET, key);
    }

    private ShardSet setOf(String key) throws IOException {
        byte[] record = local.get(MetaTable.OBJECTS, MetaKeys.object(BUCKET, key)).orElseThrow();
        return ClusterRecords.decodeObject(record).segments().get(0);
    }

    private ProtectionReport pass() throws IOException {
        return backend.protectionPass(() -> true);
    }

    private List<RepairNeeded> repairs() throws IOException {
        List<RepairNeeded> out = new ArrayList<>();
        for (MetaEntry e : local.scan(MetaTable.REPAIRS, new byte[0], null, 1000)) {
            out.add(ClusterRecords.decodeRepair(e.value()));
        }
        return out;
    }

    private byte[] shardBytes(ShardSet set, int index) throws IOException {
        long length = set.layout().shardLength(set.length());
        try (InputStream in = router.local(set.node(index)).open(new ShardId(set.objectId(), index), 0, length)) {
            return in.readAllBytes();
        }
    }

    private void deleteShard(ShardSet set, int index) throws IOException {
        assertThat(router.local(set.node(index)).delete(new ShardId(set.objectId(), index))).isTrue();
    }

    /** Reads the object with every pair of the nodes failing. */
    private void assertReadableWithAnyTwoNodesLost(String key, byte[] expected, int nodes) throws IOException {
        for (int a = 1; a <= nodes; a++) {
            for (int b = a + 1; b <= nodes; b++) {
                router.failSilently(a);
                router.failSilently(b);
                try {
                    assertThat(read(key)).as("with nodes %d and %d lost", a, b).isEqualTo(expected);
                } finally {
                    router.up(a);
                    router.up(b);
                }
            }
        }
    }

    @Test
    void beforeAnyPass_noReportIsStored_andAFullClusterReportsFull() throws IOException {
        open(5, 5);
        assertThat(backend.storedProtectionReport()).isEmpty();
        put("a", BackendObjects.random(300_000, 1));
        ProtectionReport report = pass();
        assertThat(report.summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
        assertThat(backend.storedProtectionReport()).contains(report);
        assertThat(report.nodes()).extracting(NodeProtection::shards).containsExactly(1L, 1L, 1L, 1L, 1L);
        assertThat(repairs()).isEmpty();
    }

    @Test
    void aShardAbsentFromItsLiveNode_isFoundByStat_recordedAsMissing_andRebuiltInPlace() throws IOException {
        open(5, 5);
        byte[] data = BackendObjects.random(700_000, 2);
        put("wiped", data);
        ShardSet set = setOf("wiped");
        byte[] original = shardBytes(set, 1);
        deleteShard(set, 1); // as a node whose disk was wiped holds nothing

        ProtectionReport report = pass();
        assertThat(report.summaryLine()).isEqualTo("protection: 0 full, 1 degraded, 0 at risk, 0 unreadable");
        assertThat(repairs()).singleElement().satisfies(r -> {
            assertThat(r.corrupt()).containsExactly(1);
            assertThat(r.causes()).containsExactly(RepairCause.MISSING);
        });
        assertThat(report.repairs().queuedByCause()).containsEntry("missing", 1L);

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        assertThat(setOf("wiped")).isEqualTo(set); // rebuilt in place: same nodes
        assertThat(shardBytes(set, 1)).isEqualTo(original);
        assertThat(repairs()).isEmpty();
        assertThat(pass().summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
        assertReadableWithAnyTwoNodesLost("wiped", data, 5);
    }

    @Test
    void aShardFoundAbsent_thatIsBackBeforeItIsRecorded_isNotQueued() throws IOException {
        open(5, 5);
        put("back-again", BackendObjects.random(400_000, 18));
        ShardSet set = setOf("back-again");
        byte[] original = shardBytes(set, 2);
        deleteShard(set, 2);
        // As a repair that rebuilt it in place and removed its entry between the pass's stat and its record.
        meta.onRepairEntryRead = () -> {
            try (var w = router.local(set.node(2)).create(new ShardId(set.objectId(), 2))) {
                w.write(java.nio.ByteBuffer.wrap(original));
                w.commit();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        pass();
        assertThat(meta.onRepairEntryRead).isNull();
        assertThat(repairs()).isEmpty();
        assertThat(pass().summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
    }

    @Test
    void aDamageReport_becomesARepairInPlace_andIsRemovedWithIt() throws IOException {
        open(5, 5);
        byte[] data = BackendObjects.random(500_000, 3);
        put("rotten", data);
        ShardSet set = setOf("rotten");
        byte[] original = shardBytes(set, 3);
        local.apply(MetaBatch.of(new DamageReport(set.objectId(), 3, set.node(3), DamageReport.Cause.CORRUPT,
                clock.instant(), "chunk 0 fails its CRC32C").put()));

        assertThat(pass().summaryLine()).isEqualTo("protection: 0 full, 1 degraded, 0 at risk, 0 unreadable");
        assertThat(local.scan(MetaTable.DAMAGE, new byte[0], null, 10)).isEmpty();
        assertThat(repairs()).singleElement().satisfies(r -> {
            assertThat(r.corrupt()).containsExactly(3);
            assertThat(r.causes()).containsExactly(RepairCause.CORRUPT);
        });

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        assertThat(setOf("rotten")).isEqualTo(set);
        assertThat(shardBytes(set, 3)).isEqualTo(original);
        assertThat(pass().summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
    }

    @Test
    void aDamageReportAboutNoUsedSet_isRemovedOnceOlderThanTheGrace() throws IOException {
        open(5, 5);
        DamageReport stale = new DamageReport("n2-gone", 0, 2, DamageReport.Cause.MISSING, clock.instant(), "x");
        local.apply(MetaBatch.of(stale.put()));
        pass();
        assertThat(local.scan(MetaTable.DAMAGE, new byte[0], null, 10)).hasSize(1); // young: may be a write under way
        clock.advance(TuningConfig.DEFAULTS.repairUnreferencedGrace().plusSeconds(1));
        pass();
        assertThat(local.scan(MetaTable.DAMAGE, new byte[0], null, 10)).isEmpty();
    }

    @Test
    void theCountsByClass_areExactForAHandMadeMix() throws IOException {
        open(5, 5);
        put("full", BackendObjects.random(200_000, 4));
        put("inline", BackendObjects.random(100, 5)); // kept in its record: as safe as the metadata
        put("degraded", BackendObjects.random(200_001, 6));
        put("at-risk", BackendObjects.random(200_002, 7));
        put("unreadable", BackendObjects.random(200_003, 8));
        ShardSet degraded = setOf("degraded");
        deleteShard(degraded, 0);
        ShardSet atRisk = setOf("at-risk");
        deleteShard(atRisk, 0);
        deleteShard(atRisk, 4);
        ShardSet unreadable = setOf("unreadable");
        deleteShard(unreadable, 1);
        deleteShard(unreadable, 2);
        deleteShard(unreadable, 3);

        ProtectionReport report = pass();
        assertThat(report.summaryLine()).isEqualTo("protection: 2 full, 1 degraded, 1 at risk, 1 unreadable");
        assertThat(report.cluster().objectsByMissing()).containsExactly(2L, 1L, 1L, 1L, 0L, 0L);
        assertThat(report.cluster().bytesByClass(2)).containsExactly(200_100L, 200_001L, 200_002L, 200_003L);
        assertThat(report.buckets()).singleElement().satisfies(b -> assertThat(b.counts()).isEqualTo(report.cluster()));
        assertThat(report.atRisk()).containsExactly(new AtRiskObject(BUCKET, "unreadable", 200_003, 2, 5),
                new AtRiskObject(BUCKET, "at-risk", 200_002, 3, 5));
        assertThat(report.repairs().queuedSets()).isEqualTo(3);
        assertThat(report.computedAtMillis()).isEqualTo(clock.millis());
    }

    @Test
    void aNodeDown_isLackingButNoCauseOfRepair_untilLost_thenItsShardsAreRebuiltElsewhere_andReapedWhenBack()
            throws IOException {
        open(6, 5);
        byte[] data = BackendObjects.random(600_000, 9);
        put("moved", data);
        ShardSet set = setOf("moved");
        int lostNode = set.node(2);
        router.down(lostNode);

        ProtectionReport down = pass();
        assertThat(down.summaryLine()).isEqualTo("protection: 0 full, 1 degraded, 0 at risk, 0 unreadable");
        assertThat(repairs()).isEmpty();
        assertThat(down.nodes()).filteredOn(n -> n.nodeId().equals("node-" + lostNode)).singleElement()
                .satisfies(n -> {
                    assertThat(n.alive()).isFalse();
                    assertThat(n.lost()).isFalse();
                    assertThat(n.downSinceMillis()).isEqualTo(clock.millis());
                });

        clock.advance(GRACE);
        ProtectionReport lost = pass();
        assertThat(lost.nodes()).filteredOn(NodeProtection::lost).extracting(NodeProtection::nodeId)
                .containsExactly("node-" + lostNode);
        assertThat(repairs()).singleElement().satisfies(r -> {
            assertThat(r.lost()).containsExactly(2);
            assertThat(r.causes()).containsExactly(RepairCause.NODE_LOST);
        });

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        ShardSet after = setOf("moved");
        assertThat(after.node(2)).isNotEqualTo(lostNode);
        assertThat(after.nodes()).doesNotHaveDuplicates().doesNotContain(ShardSet.MISSING);
        for (int i = 0; i < 5; i++) {
            if (i != 2) {
                assertThat(after.node(i)).isEqualTo(set.node(i));
            }
        }
        assertThat(pass().summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
        // Node lost for good: any two of the five others may fail too.
        router.failSilently(lostNode);
        for (int a : after.nodes()) {
            for (int b : after.nodes()) {
                if (a < b) {
                    router.failSilently(a);
                    router.failSilently(b);
                    assertThat(read("moved")).isEqualTo(data);
                    router.up(a);
                    router.up(b);
                    router.failSilently(lostNode);
                }
            }
        }

        // The node comes back with its old copy: the reaper deletes it there, and nothing the record names.
        router.up(lostNode);
        assertThat(router.local(lostNode).stat(new ShardId(set.objectId(), 2))).isPresent();
        backend.sweepTombstones();
        assertThat(router.local(lostNode).stat(new ShardId(set.objectId(), 2))).isEmpty();
        assertThat(router.local(after.node(2)).stat(new ShardId(set.objectId(), 2))).isPresent();
        assertThat(local.scan(MetaTable.TOMBSTONES, new byte[0], null, 10)).isEmpty();
        assertThat(read("moved")).isEqualTo(data);
    }

    @Test
    void aRepairInterruptedHalfWay_leavesNothingReferencedOrBehind_andCompletesLater() throws IOException {
        open(6, 5);
        byte[] data = BackendObjects.random(500_000, 17);
        put("halfway", data);
        ShardSet set = setOf("halfway");
        int lostNode = set.node(0);
        int wipedNode = set.node(3);
        deleteShard(set, 3);
        router.down(lostNode);
        pass();
        clock.advance(GRACE);
        pass();
        assertThat(repairs()).singleElement().satisfies(r -> {
            assertThat(r.lost()).containsExactly(0);
            assertThat(r.corrupt()).containsExactly(3);
        });
        // The in-place target dies unnoticed: the shard moved to the spare node is written, the other is not.
        router.failSilently(wipedNode);
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 0, 1));
        assertThat(setOf("halfway")).isEqualTo(set);
        assertThat(repairs()).hasSize(1);
        backend.sweepTombstones();
        int spare = java.util.stream.IntStream.rangeClosed(1, 6).filter(n -> java.util.Arrays.stream(set.nodes())
                .noneMatch(x -> x == n)).findFirst().orElseThrow();
        assertThat(router.local(spare).stat(new ShardId(set.objectId(), 0))).isEmpty();

        router.up(wipedNode);
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        ShardSet after = setOf("halfway");
        assertThat(after.node(0)).isEqualTo(spare);
        assertThat(after.node(3)).isEqualTo(wipedNode);
        assertThat(pass().summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
        assertThat(read("halfway")).isEqualTo(data);
    }

    @Test
    void aMovedShardsTombstone_neverDeletesAShardTheRecordNamesAgain() throws IOException {
        open(5, 5);
        byte[] data = BackendObjects.random(300_000, 10);
        put("kept", data);
        ShardSet set = setOf("kept");
        // As if shard 0 had been moved off its node and later put back there by another repair.
        int[] old = {set.node(0), ShardSet.MISSING, ShardSet.MISSING, ShardSet.MISSING, ShardSet.MISSING};
        byte[] key = ShardReaper.movedKey(ClusterContext.newObjectId(clock.instant()), MetaKeys.object(BUCKET,
                "kept"));
        local.apply(MetaBatch.of(ShardReaper.tombstone(key, List.of(set.withNodes(old)))));
        backend.sweepTombstones();
        assertThat(router.local(set.node(0)).stat(new ShardId(set.objectId(), 0))).isPresent();
        assertThat(local.scan(MetaTable.TOMBSTONES, new byte[0], null, 10)).isEmpty();
        assertThat(read("kept")).isEqualTo(data);
    }

    @Test
    void aLostNodeThatComesBackBeforeTheRepair_isNotLost_andItsEntryIsDropped() throws IOException {
        open(5, 5);
        put("back", BackendObjects.random(300_000, 11));
        ShardSet set = setOf("back");
        router.down(set.node(4));
        pass();
        clock.advance(GRACE);
        pass();
        assertThat(repairs()).singleElement().satisfies(r -> assertThat(r.lost()).containsExactly(4));
        router.up(set.node(4));
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 1, 0));
        assertThat(setOf("back")).isEqualTo(set);
        assertThat(pass().summaryLine()).isEqualTo("protection: 1 full, 0 degraded, 0 at risk, 0 unreadable");
    }

    @Test
    void theSetsWithTheFewestHealthyShards_areRebuiltFirst() throws IOException {
        open(5, 5);
        put("one-lacking", BackendObjects.random(100_000, 12));
        put("two-lacking", BackendObjects.random(100_000, 13));
        put("also-one", BackendObjects.random(100_000, 14));
        deleteShard(setOf("one-lacking"), 0);
        ShardSet two = setOf("two-lacking");
        deleteShard(two, 0);
        deleteShard(two, 1);
        deleteShard(setOf("also-one"), 2);
        pass();
        meta.committedRepairs.clear();

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(3, 0, 0));
        assertThat(meta.committedRepairs.get(0)).isEqualTo(two.objectId());
        assertThat(meta.committedRepairs).hasSize(3);
    }

    @Test
    void aRepairRacingAnOverwrite_bringsNothingBack_andLeavesNoRebuiltShard() throws IOException {
        open(5, 5);
        put("raced", BackendObjects.random(300_000, 15));
        ShardSet set = setOf("raced");
        deleteShard(set, 0);
        pass();
        byte[] newer = BackendObjects.random(250_000, 16);
        meta.beforeRepairCommit = () -> {
            try {
                put("raced", newer);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 1, 0));
        assertThat(read("raced")).isEqualTo(newer);
        backend.sweepTombstones();
        // Neither the old set's shards nor the one rebuilt for it remain anywhere.
        for (int node = 1; node <= 5; node++) {
            for (int i = 0; i < 5; i++) {
                assertThat(router.local(node).stat(new ShardId(set.objectId(), i))).isEmpty();
            }
        }
    }

    /** A metadata store that records the sets whose repair committed, in order, and can run a hook before one. */
    private static final class RecordingMetadata implements MetadataStore {
        private final MetadataStore inner;
        final List<String> committedRepairs = new CopyOnWriteArrayList<>();
        volatile Runnable beforeRepairCommit;
        volatile Runnable onRepairEntryRead;

        RecordingMetadata(MetadataStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
            Runnable hook = onRepairEntryRead;
            if (table == MetaTable.REPAIRS && hook != null) {
                onRepairEntryRead = null;
                hook.run();
            }
            return inner.get(table, key);
        }

        @Override
        public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
            boolean repairCommit = batch.ops().stream().anyMatch(op -> op.table() == MetaTable.OBJECTS)
                    && batch.ops().stream().anyMatch(op -> op instanceof MetaBatch.Delete d
                            && d.table() == MetaTable.REPAIRS);
            Runnable hook = beforeRepairCommit;
            if (repairCommit && hook != null) {
                beforeRepairCommit = null;
                hook.run();
            }
            ApplyOutcome outcome = inner.applyBatch(batch);
            if (repairCommit && outcome.applied()) {
                for (MetaBatch.Op op : batch.ops()) {
                    if (op instanceof MetaBatch.Delete d && d.table() == MetaTable.REPAIRS) {
                        committedRepairs.add(MetaKeys.string(d.key(), 0, d.key().length));
                    }
                }
            }
            return outcome;
        }

        @Override
        public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
            return inner.scan(table, prefix, from, limit);
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
