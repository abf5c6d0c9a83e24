package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RS 3+2 on five in-process shard stores with a write quorum of 4: one node down still takes writes, with the
 * missing shard recorded for repair; two down does not.
 */
class WriteQuorumTest {
    private static final String BUCKET = "quorum";

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

    private static byte[] random(int n, long seed) {
        return BackendObjects.random(n, seed);
    }

    private void put(String key, byte[] data) throws IOException {
        BackendObjects.put(backend, BUCKET, key, data);
    }

    private byte[] read(String key) throws IOException {
        return BackendObjects.read(backend, BUCKET, key);
    }

    private ShardSet shardsOf(String key) throws IOException {
        byte[] record = meta.get(MetaTable.OBJECTS, MetaKeys.object(BUCKET, key)).orElseThrow();
        return ClusterRecords.decodeObject(record).segments().get(0);
    }

    @Test
    void oneNodeDown_storesTheObjectWithFourShardsAndRecordsTheFifthForRepair() throws IOException {
        router.down(2);
        long before = router.totalShards();
        byte[] data = random(700_000, 1);

        put("degraded", data);

        ShardSet set = shardsOf("degraded");
        assertThat(set.missing()).containsExactly(4);
        assertThat(set.nodes()).doesNotContain(2);
        assertThat(router.totalShards()).isEqualTo(before + 4);
        assertThat(read("degraded")).isEqualTo(data);

        List<MetaEntry> repairs = meta.scan(MetaTable.REPAIRS, new byte[0], null, 10);
        assertThat(repairs).hasSize(1);
        assertThat(new String(repairs.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(set.objectId());
        ClusterRecords.RepairNeeded repair = ClusterRecords.decodeRepair(repairs.get(0).value());
        assertThat(repair.bucket()).isEqualTo(BUCKET);
        assertThat(repair.key()).isEqualTo("degraded");
        assertThat(repair.set()).isEqualTo(set);
    }

    @Test
    void anObjectStoredWithFourShards_survivesTheLossOfOneMore() throws IOException {
        router.down(5);
        byte[] data = random(500_000, 2);
        put("one-more", data);
        router.up(5);
        // Lose the node holding data shard 0: three shards are left, enough for RS 3+2.
        router.failSilently(shardsOf("one-more").node(0));
        assertThat(read("one-more")).isEqualTo(data);
    }

    @Test
    void twoNodesDown_isServiceUnavailableNamingTheQuorum() {
        router.down(1);
        router.down(3);
        assertThatThrownBy(() -> put("refused", random(DistributedBackend.INLINE_LIMIT + 1, 3)))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.error()).isEqualTo(StorageError.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("Only 3 of the active nodes are reachable",
                            "at least 4 (write quorum of RS 3+2)");
                });
    }

    @Test
    void allNodesUp_writesEveryShardAndRecordsNothing() throws IOException {
        put("whole", random(100_000, 4));
        assertThat(shardsOf("whole").missing()).isEmpty();
        assertThat(meta.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
    }

    @Test
    void deletingADegradedObject_removesTheShardsItHas() throws IOException {
        router.down(3);
        long before = router.totalShards();
        put("short-lived", random(200_000, 5));
        assertThat(router.totalShards()).isEqualTo(before + 4);
        assertThat(meta.scan(MetaTable.REPAIRS, new byte[0], null, 10)).hasSize(1);
        backend.deleteObject(BUCKET, "short-lived");
        assertThat(router.totalShards()).isEqualTo(before);
        assertThat(meta.scan(MetaTable.REPAIRS, new byte[0], null, 10)).as("a deleted set needs no repair").isEmpty();
    }

    @Test
    void aQuorumBelowDataPlusOne_isRefused() {
        assertThatThrownBy(() -> new DistributedBackend(meta, router, Runnable::run, Clock.systemUTC(), 3, 2, 3,
                64 * 1024)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 4..5");
    }
}
