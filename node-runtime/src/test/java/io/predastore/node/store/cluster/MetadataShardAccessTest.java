package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardAccessDeniedException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.protocol.shard.ShardOp;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules a node applies to shard requests of its peers, against real metadata databases: one stands for this
 * node's replica, the other for the current state read through consensus (ahead when the replica lags).
 */
class MetadataShardAccessTest {
    private static final int SELF = 2;
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dir;
    private LocalMetadataStore replica;
    private LocalMetadataStore current;
    private final AtomicInteger currentReads = new AtomicInteger();
    private volatile OptionalInt leader = OptionalInt.of(4);
    private MetadataShardAccess access;

    @BeforeEach
    void open() throws IOException {
        replica = LocalMetadataStore.open(dir.resolve("replica"));
        current = LocalMetadataStore.open(dir.resolve("current"));
        access = new MetadataShardAccess(SELF, new MetadataShardAccess.Replica() {
            @Override
            public Optional<byte[]> local(MetaTable table, byte[] key) throws IOException {
                return replica.get(table, key);
            }

            @Override
            public Optional<byte[]> current(MetaTable table, byte[] key) throws IOException {
                currentReads.incrementAndGet();
                return current.get(table, key);
            }

            @Override
            public OptionalInt leader() {
                return leader;
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        replica.close();
        current.close();
    }

    /** Writes a record to both databases (committed and applied here), or to the current one only (not yet here). */
    private void put(MetaTable table, byte[] key, byte[] value, boolean appliedHere) throws IOException {
        current.apply(MetaBatch.of(new MetaBatch.Put(table, key, value)));
        if (appliedHere) {
            replica.apply(MetaBatch.of(new MetaBatch.Put(table, key, value)));
        }
    }

    private static ShardSet set(String id, int... nodes) {
        return new ShardSet(id, 1000, 3, 2, 4096, nodes);
    }

    private static byte[] object(ShardSet... sets) {
        return ClusterRecords.encodeObject(ObjectRecord.stored(
                new ObjectHeader(1000, "etag", NOW, ObjectMetadata.EMPTY, 0, null), List.of(sets)));
    }

    private static ShardWarrant warrant(ShardWarrant.Kind kind, byte[] key) {
        return ShardWarrant.of(kind, key);
    }

    private void allowed(int peer, ShardOp op, ShardId id, ShardWarrant w) {
        assertThatCode(() -> access.check(peer, op, id, w)).as("%s %s by %d with %s", op, id, peer, w)
                .doesNotThrowAnyException();
    }

    private void refused(int peer, ShardOp op, ShardId id, ShardWarrant w, String cause) {
        assertThatThrownBy(() -> access.check(peer, op, id, w)).as("%s %s by %d with %s", op, id, peer, w)
                .isInstanceOf(ShardAccessDeniedException.class).hasMessageStartingWith(cause + ":");
    }

    @Test
    void batchedStat_isServedOnlyToTheMetadataLeader_andOnlyWithoutAWarrant() {
        ShardId any = new ShardId(ClusterContext.newShardSetId(1, NOW), 0);
        allowed(4, ShardOp.STAT_SHARDS, any, ShardWarrant.NONE);
        refused(1, ShardOp.STAT_SHARDS, any, ShardWarrant.NONE, "NOT_REPAIRER");
        refused(4, ShardOp.STAT_SHARDS, any, warrant(ShardWarrant.Kind.OBJECT, MetaKeys.object("b", "k")),
                "NOT_IN_RECORD");
        leader = OptionalInt.empty();
        refused(4, ShardOp.STAT_SHARDS, any, ShardWarrant.NONE, "NOT_REPAIRER");
        leader = OptionalInt.of(4);
    }

    @Test
    void newShard_isAcceptedOnlyFromTheNodeItsIdNames() {
        String id3 = ClusterContext.newShardSetId(3, NOW);
        allowed(3, ShardOp.PUT_SHARD_BEGIN, new ShardId(id3, 0), ShardWarrant.NONE);
        refused(1, ShardOp.PUT_SHARD_BEGIN, new ShardId(id3, 0), ShardWarrant.NONE, "NOT_WRITER");
        refused(SELF, ShardOp.PUT_SHARD_BEGIN, new ShardId(id3, 0), ShardWarrant.NONE, "NOT_WRITER");
        // An id from before ids named their writer is written only as a recorded repair.
        refused(3, ShardOp.PUT_SHARD_BEGIN, new ShardId("018f00aa11223344556677", 0), ShardWarrant.NONE,
                "NOT_WRITER");
        // A record is no licence to write: an object warrant does not let node 1 write into node 3's namespace.
        refused(1, ShardOp.PUT_SHARD_BEGIN, new ShardId(id3, 0),
                warrant(ShardWarrant.Kind.OBJECT, MetaKeys.object("b", "k")), "NOT_WRITER");
    }

    @Test
    void read_isServedOnlyWhenTheNamedRecordListsTheShardOnThisNode() throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] key = MetaKeys.object("b", "k");
        put(MetaTable.OBJECTS, key, object(set("other", 1, 2, 3, 4, 5), set(id, 1, 2, 3, 4, 5)), true);
        ShardWarrant obj = warrant(ShardWarrant.Kind.OBJECT, key);
        for (int peer : new int[] {1, 3, 5}) { // any node may be the gateway of a GET
            allowed(peer, ShardOp.GET_SHARD, new ShardId(id, 1), obj);
            allowed(peer, ShardOp.STAT_SHARD, new ShardId(id, 1), obj);
        }
        assertThat(currentReads).hasValue(0); // served from the local replica alone
        refused(3, ShardOp.GET_SHARD, new ShardId(id, 0), obj, "NOT_IN_RECORD"); // shard 0 is on node 1
        refused(3, ShardOp.GET_SHARD, new ShardId("n1-unlisted", 1), obj, "NOT_IN_RECORD");
        refused(3, ShardOp.GET_SHARD, new ShardId(id, 1), ShardWarrant.NONE, "NOT_IN_RECORD");
        refused(3, ShardOp.GET_SHARD, new ShardId(id, 1), warrant(ShardWarrant.Kind.OBJECT,
                MetaKeys.object("b", "absent")), "NOT_IN_RECORD");
        refused(3, ShardOp.STAT_SHARD, new ShardId(id, 1), warrant(ShardWarrant.Kind.TOMBSTONE, key),
                "NOT_IN_RECORD");
    }

    @Test
    void read_underAPartOrRepairRecord_checksThatRecord() throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] partKey = MetaKeys.part("upload-1", 3);
        put(MetaTable.PARTS, partKey, ClusterRecords.encodePart(new PartRecord<>("etag", 1000, NOW, null,
                set(id, 2, 1, 3, 4, 5))), true);
        allowed(1, ShardOp.GET_SHARD, new ShardId(id, 0), warrant(ShardWarrant.Kind.PART, partKey));
        refused(1, ShardOp.GET_SHARD, new ShardId(id, 1), warrant(ShardWarrant.Kind.PART, partKey),
                "NOT_IN_RECORD");
        String repaired = ClusterContext.newShardSetId(1, NOW);
        byte[] repairKey = MetaKeys.utf8(repaired);
        put(MetaTable.REPAIRS, repairKey, ClusterRecords.encodeRepair(new RepairNeeded("b", "k", NOW,
                set(repaired, 1, 2, ShardSet.MISSING, 4, 5))), true);
        allowed(4, ShardOp.GET_SHARD, new ShardId(repaired, 1), warrant(ShardWarrant.Kind.REPAIR, repairKey));
        refused(4, ShardOp.GET_SHARD, new ShardId(repaired, 2), warrant(ShardWarrant.Kind.REPAIR, repairKey),
                "NOT_IN_RECORD");
    }

    @Test
    void recordNotYetAppliedHere_isReadOnceThroughConsensus_beforeDeciding() throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] key = MetaKeys.object("b", "fresh");
        put(MetaTable.OBJECTS, key, object(set(id, 1, 2, 3, 4, 5)), false);
        allowed(3, ShardOp.GET_SHARD, new ShardId(id, 1), warrant(ShardWarrant.Kind.OBJECT, key));
        assertThat(currentReads).hasValue(1);
        refused(3, ShardOp.GET_SHARD, new ShardId(id, 2), warrant(ShardWarrant.Kind.OBJECT, key), "NOT_IN_RECORD");
        assertThat(currentReads).hasValue(2);
    }

    @Test
    void delete_isServedOnlyForATombstoneListingTheShardOnThisNode() throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] tombstone = MetaKeys.utf8(ClusterContext.newObjectId(NOW));
        put(MetaTable.TOMBSTONES, tombstone, ClusterRecords.encodeTombstone(List.of(set(id, 1, 2, 3, 4, 5))), true);
        allowed(5, ShardOp.DELETE_SHARD, new ShardId(id, 1), warrant(ShardWarrant.Kind.TOMBSTONE, tombstone));
        refused(5, ShardOp.DELETE_SHARD, new ShardId(id, 0), warrant(ShardWarrant.Kind.TOMBSTONE, tombstone),
                "NOT_IN_RECORD");
        // A replaced object's record kept whole as the tombstone names its sets the same way.
        String old = ClusterContext.newShardSetId(3, NOW);
        byte[] replaced = MetaKeys.utf8(ShardReaper.replacedId(ClusterContext.newObjectId(NOW)));
        put(MetaTable.TOMBSTONES, replaced, object(set(old, 3, 4, 5, 1, 2)), true);
        allowed(1, ShardOp.DELETE_SHARD, new ShardId(old, 4), warrant(ShardWarrant.Kind.TOMBSTONE, replaced));
        // The live object's own record is no licence to delete its shards.
        byte[] live = MetaKeys.object("b", "live");
        put(MetaTable.OBJECTS, live, object(set(id, 1, 2, 3, 4, 5)), true);
        refused(1, ShardOp.DELETE_SHARD, new ShardId(id, 1), warrant(ShardWarrant.Kind.OBJECT, live),
                "NOT_IN_RECORD");
        refused(1, ShardOp.DELETE_SHARD, new ShardId(id, 1), ShardWarrant.NONE, "NOT_IN_RECORD");
    }

    @Test
    void rebuiltShard_isAcceptedOnlyFromTheLeader_forAShardItsRepairEntryListsMissing() throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] key = MetaKeys.utf8(id);
        put(MetaTable.REPAIRS, key, ClusterRecords.encodeRepair(new RepairNeeded("b", "k", NOW,
                set(id, 1, ShardSet.MISSING, 3, ShardSet.MISSING, 5))), true);
        ShardWarrant repair = warrant(ShardWarrant.Kind.REPAIR, key);
        allowed(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 1), repair);
        refused(3, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 1), repair, "NOT_REPAIRER");
        // A rebuild that failed takes back what it wrote under the same rules; a listed shard is never touched.
        allowed(4, ShardOp.DELETE_SHARD, new ShardId(id, 1), repair);
        refused(3, ShardOp.DELETE_SHARD, new ShardId(id, 1), repair, "NOT_REPAIRER");
        refused(4, ShardOp.DELETE_SHARD, new ShardId(id, 0), repair, "NOT_IN_RECORD");
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 0), repair, "NOT_IN_RECORD"); // not missing
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 3), warrant(ShardWarrant.Kind.REPAIR,
                MetaKeys.utf8("another-set")), "NOT_IN_RECORD");
        leader = OptionalInt.empty();
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 1), repair, "NOT_REPAIRER");
        leader = OptionalInt.of(4);
        // No repair recorded (or already done): nothing to rebuild.
        String whole = ClusterContext.newShardSetId(1, NOW);
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(whole, 1), warrant(ShardWarrant.Kind.REPAIR,
                MetaKeys.utf8(whole)), "NOT_IN_RECORD");
    }

    @Test
    void rebuiltShard_isRefusedOnANodeThatHoldsAnotherShardOfTheSet() throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] key = MetaKeys.utf8(id);
        put(MetaTable.REPAIRS, key, ClusterRecords.encodeRepair(new RepairNeeded("b", "k", NOW,
                set(id, 1, SELF, 3, ShardSet.MISSING, 5))), true);
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 3), warrant(ShardWarrant.Kind.REPAIR, key),
                "NOT_IN_RECORD");
    }

    @Test
    void movedShard_isCopiedOnlyByTheLeader_ontoANodeThatHoldsNoShardOfTheSet_andNeverOverItsSource()
            throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] key = MetaKeys.utf8(id);
        put(MetaTable.REPAIRS, key, ClusterRecords.encodeRepair(new RepairNeeded("b", "k", NOW,
                set(id, 1, 3, 4, 5, 6), List.of(), List.of(), java.util.Set.of(RepairCause.DRAIN), List.of(0))),
                true);
        ShardWarrant repair = warrant(ShardWarrant.Kind.REPAIR, key);
        allowed(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 0), repair);
        allowed(4, ShardOp.DELETE_SHARD, new ShardId(id, 0), repair); // a copy left by a move that never committed
        refused(3, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 0), repair, "NOT_REPAIRER");
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 1), repair, "NOT_IN_RECORD"); // not moved

        String fromHere = ClusterContext.newShardSetId(1, NOW);
        byte[] fromKey = MetaKeys.utf8(fromHere);
        put(MetaTable.REPAIRS, fromKey, ClusterRecords.encodeRepair(new RepairNeeded("b", "k", NOW,
                set(fromHere, 1, SELF, 4, 5, 6), List.of(), List.of(), java.util.Set.of(RepairCause.DRAIN),
                List.of(1))), true);
        refused(4, ShardOp.DELETE_SHARD, new ShardId(fromHere, 1), warrant(ShardWarrant.Kind.REPAIR, fromKey),
                "NOT_IN_RECORD");
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(fromHere, 1), warrant(ShardWarrant.Kind.REPAIR, fromKey),
                "NOT_IN_RECORD");
        allowed(4, ShardOp.GET_SHARD, new ShardId(fromHere, 1), warrant(ShardWarrant.Kind.REPAIR, fromKey));
    }

    @Test
    void corruptShard_isDeletedAndRebuiltInPlace_onlyByTheLeader_onlyOnTheNodeWhoseCopyWasFoundCorrupt()
            throws IOException {
        String id = ClusterContext.newShardSetId(1, NOW);
        byte[] key = MetaKeys.utf8(id);
        put(MetaTable.REPAIRS, key, ClusterRecords.encodeRepair(new RepairNeeded("b", "k", NOW,
                set(id, 1, SELF, 3, 4, 5), List.of(0, 1))), true);
        ShardWarrant repair = warrant(ShardWarrant.Kind.REPAIR, key);
        allowed(4, ShardOp.DELETE_SHARD, new ShardId(id, 1), repair);
        allowed(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 1), repair);
        refused(3, ShardOp.DELETE_SHARD, new ShardId(id, 1), repair, "NOT_REPAIRER");
        // Shard 0 is corrupt on node 1, not here; shard 2 here is intact.
        refused(4, ShardOp.PUT_SHARD_BEGIN, new ShardId(id, 0), repair, "NOT_IN_RECORD");
        refused(4, ShardOp.DELETE_SHARD, new ShardId(id, 2), repair, "NOT_IN_RECORD");
    }

    @Test
    void shardSetIds_nameTheirWriter_andCarry128RandomBits() {
        String a = ClusterContext.newShardSetId(7, NOW);
        String b = ClusterContext.newShardSetId(7, NOW);
        assertThat(a).startsWith("n7-").matches("n7-[0-9a-f]{18}-[0-9a-f]{32}").isNotEqualTo(b);
        assertThat(ShardId.writerOf(a)).isEqualTo(7);
        assertThat(ShardId.writerOf(ClusterContext.newShardSetId(123456789, NOW))).isEqualTo(123456789);
        // Ids of before (hex), tombstone and upload ids, and near misses name no writer.
        for (String none : List.of(ClusterContext.newObjectId(NOW), "r" + ClusterContext.newObjectId(NOW), "n-1",
                "n0-ab", "n07-ab", "nx-ab", "n1", "n1234567890-ab")) {
            assertThat(ShardId.writerOf(none)).as(none).isZero();
        }
    }
}
