package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.MetaKeys;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries that do not decode, in a real metadata store, neither stop the tombstone sweep or the repair round nor
 * are retried forever: each is moved to the quarantine table once, and the good entries around it are processed.
 */
class PoisonRecordsTest {
    private static final String BUCKET = "poison";

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private LocalRouter router;
    private LocalMetadataStore meta;
    private DistributedBackend backend;

    @BeforeEach
    void open() throws IOException {
        cluster = LocalCluster.open(dir, BUCKET, 4, 64 * 1024);
        router = cluster.router();
        meta = cluster.meta();
        backend = cluster.backend();
    }

    @AfterEach
    void close() throws Exception {
        cluster.close();
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A tombstone whose set id claims two billion bytes. */
    private static byte[] hugeLengthTombstone() {
        return ByteBuffer.allocate(9).put((byte) 2).putInt(1).putInt(2_000_000_000).array();
    }

    private List<MetaEntry> scan(MetaTable table) throws IOException {
        return meta.scan(table, new byte[0], null, 100);
    }

    @Test
    void poisonTombstones_areQuarantinedOnce_andTheGoodOnesReaped() throws IOException {
        byte[] data = BackendObjects.random(100_000, 1);
        BackendObjects.put(backend, BUCKET, "k", data);
        ShardSet set = ClusterRecords.decodeObject(meta.get(MetaTable.OBJECTS, MetaKeys.object(BUCKET, "k"))
                .orElseThrow()).segments().get(0);
        meta.apply(new MetaBatch(List.of(), List.of(
                new MetaBatch.Put(MetaTable.TOMBSTONES, key("0-huge"), hugeLengthTombstone()),
                new MetaBatch.Put(MetaTable.TOMBSTONES, key("1-garbage"), new byte[] {2, 1, 2, 3}),
                new MetaBatch.Put(MetaTable.TOMBSTONES, key("2-good"), ClusterRecords.encodeTombstone(List.of(set))),
                new MetaBatch.Put(MetaTable.TOMBSTONES, key("3-version"), new byte[] {77}))));

        assertThat(backend.sweepTombstonesJob()).isEqualTo("1 reaped, 0 pending, 3 quarantined");
        assertThat(scan(MetaTable.TOMBSTONES)).isEmpty();
        assertThat(router.local(set.node(0)).stat(new ShardId(set.objectId(), 0))).isEmpty();
        assertThat(scan(MetaTable.QUARANTINE)).hasSize(3);
        assertThat(backend.quarantinedTombstones()).isEqualTo(3);
        byte[] kept = meta.get(MetaTable.QUARANTINE, MetaKeys.concat(key("tombstones"), new byte[] {0},
                key("3-version"))).orElseThrow();
        java.io.DataInputStream in = io.predastore.node.store.RecordIo.decoder(kept, kept.length,
                Quarantine.VERSION, "quarantine");
        assertThat(io.predastore.node.store.RecordIo.readString(in)).isEqualTo("tombstone-sweep");
        io.predastore.node.store.RecordIo.readInstant(in);
        assertThat(io.predastore.node.store.RecordIo.readString(in)).contains("version 77");
        assertThat(in.readInt()).isEqualTo(1);
        assertThat(in.readAllBytes()).containsExactly(77);
        assertThat(backend.sweepTombstonesJob()).isEqualTo("0 reaped, 0 pending, 0 quarantined");
    }

    @Test
    void poisonRepairEntries_areQuarantined_andTheGoodOnesRepaired() throws IOException {
        router.down(2);
        BackendObjects.put(backend, BUCKET, "k", BackendObjects.random(200_000, 2));
        router.up(2);
        assertThat(scan(MetaTable.REPAIRS)).hasSize(1);
        meta.apply(new MetaBatch(List.of(), List.of(
                new MetaBatch.Put(MetaTable.REPAIRS, key("0-huge"), ByteBuffer.allocate(5).put((byte) 2)
                        .putInt(Integer.MAX_VALUE).array()),
                new MetaBatch.Put(MetaTable.REPAIRS, key("zz-truncated"), new byte[] {1, 0, 0}))));

        RepairRound round = backend.repairShards();
        assertThat(round).isEqualTo(new RepairRound(1, 0, 0, 2));
        assertThat(scan(MetaTable.REPAIRS)).isEmpty();
        assertThat(scan(MetaTable.QUARANTINE)).extracting(e -> new String(e.key(), StandardCharsets.UTF_8))
                .containsExactly("repairs\0000-huge", "repairs\0zz-truncated");
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(0, 0, 0, 0));
    }
}
