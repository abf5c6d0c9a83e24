package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.disk.FakeDisk;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BackendContractTest;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.TestBodiesAccess;
import io.predastore.node.store.WritePrecondition;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The backend contract on the distributed backend over five in-process shard stores (RS 3+2, 64 KiB chunks)
 * and a local metadata store, plus what only a cluster has: degraded reads and placement on live nodes.
 */
class DistributedBackendTest extends BackendContractTest {
    /** Node 2's disk, shared by the tests of this class and closed after them (it outlives their stores). */
    private static FakeDisk node2;
    private LocalRouter router;
    private LocalMetadataStore meta;

    @Override
    protected Backend newBackend(Path dir) throws IOException {
        if (node2 == null) {
            node2 = FakeDisk.roomy();
        }
        node2.full(false);
        router = new LocalRouter(dir.resolve("shards"), 5, java.util.Map.of(2, node2.disk));
        meta = LocalMetadataStore.open(dir.resolve("meta"));
        Backend inner = new DistributedBackend(meta, router, Runnable::run, Clock.systemUTC(), 3, 2, 64 * 1024);
        return new ClosingBackend(inner, () -> {
            meta.close();
            router.close();
        });
    }

    @Override
    protected void diskFull(boolean full) {
        node2.full(full);
    }

    @AfterAll
    static void closeDisk() {
        if (node2 != null) {
            node2.disk.close();
            node2 = null;
        }
    }

    @Override
    protected boolean sendsFileSlices() {
        return false;
    }

    @Override
    protected Set<String> dataFiles() {
        return Set.of("shards=" + router.totalShards());
    }

    private byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void bucketDeletedThroughAnotherNode_writesAndConditionsAnswerNoSuchBucket() throws IOException {
        DistributedBackend other = new DistributedBackend(meta, router, Runnable::run, Clock.systemUTC(), 3, 2,
                64 * 1024);
        backend.createBucket("stale", "us-east-1");
        put("stale", "k", utf8("v"));
        other.deleteObject("stale", "k");
        other.deleteBucket("stale");

        // This node still holds the bucket's record in its cache; none of these may answer for the key.
        assertStorageError(() -> put("stale", "k", utf8("v"), new WritePrecondition("*", false)),
                StorageError.NO_SUCH_BUCKET);
        assertStorageError(() -> put("stale", "k", utf8("v"), new WritePrecondition(null, true)),
                StorageError.NO_SUCH_BUCKET);
        assertStorageError(() -> put("stale", "k", utf8("v")), StorageError.NO_SUCH_BUCKET);
        assertStorageError(() -> backend.deleteObject("stale", "k", new io.predastore.node.store.DeletePrecondition(
                "*", null, null)), StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void undecodableRecords_listingsSkipThem_readsOfTheirKeyFailNamingIt_everythingElseServed() throws IOException {
        put(BUCKET, "a", new byte[] {1});
        put(BUCKET, "c", new byte[] {3});
        backend.createBucket("zeta", "us-east-1");
        // A record version this release does not know, and a record whose count would ask for gigabytes.
        meta.apply(io.predastore.node.meta.MetaBatch.of(new io.predastore.node.meta.MetaBatch.Put(
                io.predastore.node.meta.MetaTable.OBJECTS, io.predastore.node.store.MetaKeys.object(BUCKET, "b"),
                new byte[] {99, 0})));
        byte[] hugeCount = java.nio.ByteBuffer.allocate(1 + 8 + 4).put((byte) 1).putLong(0).putInt(Integer.MAX_VALUE)
                .array();
        meta.apply(io.predastore.node.meta.MetaBatch.of(new io.predastore.node.meta.MetaBatch.Put(
                io.predastore.node.meta.MetaTable.OBJECTS, io.predastore.node.store.MetaKeys.object(BUCKET, "d"),
                hugeCount)));
        meta.apply(io.predastore.node.meta.MetaBatch.of(new io.predastore.node.meta.MetaBatch.Put(
                io.predastore.node.meta.MetaTable.BUCKETS, io.predastore.node.store.MetaKeys.utf8("broken"),
                new byte[] {7})));

        assertThat(backend.listObjects(new io.predastore.node.store.ListObjectsRequest(BUCKET, "", null, null, 1000))
                .objects()).extracting(ObjectInfo::key).containsExactly("a", "c");
        assertThat(backend.listObjects(new io.predastore.node.store.ListObjectsRequest(BUCKET, "", null, null, 2))
                .objects()).extracting(ObjectInfo::key).containsExactly("a", "c");
        assertThat(backend.listBuckets()).extracting(io.predastore.node.store.BucketInfo::name)
                .contains(BUCKET, "zeta").doesNotContain("broken");
        assertThat(read(BUCKET, "c")).containsExactly(3);
        for (String bad : java.util.List.of("b", "d")) {
            assertThatThrownBy(() -> backend.getObject(BUCKET, bad))
                    .isInstanceOf(io.predastore.node.store.UndecodableRecordException.class)
                    .hasMessageContaining("object " + BUCKET + "/" + bad).hasMessageContaining("cannot be read");
            assertThatThrownBy(() -> backend.headObject(BUCKET, bad))
                    .isInstanceOf(io.predastore.node.store.UndecodableRecordException.class);
        }
        DistributedBackend distributed = (DistributedBackend) ((ClosingBackend) backend).inner();
        assertThat(distributed.undecodableRecords().seen()).extracting(s -> s.name())
                .containsExactlyInAnyOrder("object " + BUCKET + "/b", "object " + BUCKET + "/d", "bucket broken");
        assertThat(distributed.undecodableRecords().total()).isGreaterThanOrEqualTo(7);
    }

    @Test
    void getObject_twoNodesDown_rebuildsFromParity() throws IOException {
        byte[] data = random(1_000_000, 3);
        put(BUCKET, "degraded", data);
        router.failSilently(1);
        router.failSilently(3);
        assertThat(read(BUCKET, "degraded")).isEqualTo(data);
        try (ObjectHandle h = backend.getObject(BUCKET, "degraded")) {
            assertThat(readRange(h, 300_000, 5000)).isEqualTo(java.util.Arrays.copyOfRange(data, 300_000, 305_000));
        }
    }

    @Test
    void getObject_corruptShard_isRebuiltNotReturned() throws Exception {
        byte[] data = random(200_000, 4);
        put(BUCKET, "corrupt", data);
        // Delete shard 0 wherever it lives: the read must fall back to parity.
        for (int node = 1; node <= 5; node++) {
            router.local(node).delete(new io.predastore.node.shard.ShardId(objectIdOf("corrupt"), 0));
        }
        assertThat(read(BUCKET, "corrupt")).isEqualTo(data);
    }

    @Test
    void getObject_threeNodesDown_failsRatherThanReturnWrongBytes() throws IOException {
        put(BUCKET, "lost", random(300_000, 5));
        router.failSilently(1);
        router.failSilently(2);
        router.failSilently(3);
        try (ObjectHandle h = backend.getObject(BUCKET, "lost")) {
            // Found on the first stripe, before any byte: a 503 the S3 layer answers before the body starts.
            assertThatThrownBy(() -> readRange(h, 0, 300_000)).isInstanceOfSatisfying(
                    StorageException.class,
                    e -> assertThat(e.error()).isEqualTo(StorageError.UNAVAILABLE));
        }
    }

    @Test
    void putObject_fewerLiveNodesThanShards_isServiceUnavailable() {
        router.down(4);
        assertStorageError(() -> put(BUCKET, "k", new byte[DistributedBackend.INLINE_LIMIT + 1]),
                StorageError.UNAVAILABLE);
    }

    @Test
    void putObject_smallObject_isKeptInTheRecordWithNoShards_evenWithNodesDown() throws Exception {
        long before = router.totalShards();
        router.down(4);
        router.down(5);
        byte[] data = random(DistributedBackend.INLINE_LIMIT, 10);
        ObjectInfo info = put(BUCKET, "small", data);

        assertThat(info.etag()).isEqualTo(md5Hex(data));
        assertThat(router.totalShards()).isEqualTo(before);
        byte[] record = meta.get(io.predastore.node.meta.MetaTable.OBJECTS,
                io.predastore.node.store.MetaKeys.object(BUCKET, "small")).orElseThrow();
        assertThat(ClusterRecords.decodeObject(record).segments()).isEmpty();
        assertThat(read(BUCKET, "small")).isEqualTo(data);
        try (ObjectHandle h = backend.getObject(BUCKET, "small")) {
            assertThat(readRange(h, 1000, 50)).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1050));
        }
        backend.deleteObject(BUCKET, "small");
        assertStorageError(() -> backend.headObject(BUCKET, "small"), StorageError.NO_SUCH_KEY);
        assertThat(meta.scan(io.predastore.node.meta.MetaTable.TOMBSTONES, new byte[0], null, 10)).isEmpty();
    }

    @Test
    void putObject_justOverTheInlineLimit_isErasureCoded() throws IOException {
        long before = router.totalShards();
        put(BUCKET, "coded", random(DistributedBackend.INLINE_LIMIT + 1, 11));
        assertThat(router.totalShards()).isEqualTo(before + 5);
    }

    @Test
    void putObject_nodeFailsDuringWrite_isServiceUnavailableAndLeavesNothing() throws IOException {
        long before = router.totalShards();
        router.failSilently(2);
        assertStorageError(() -> put(BUCKET, "k", random(500_000, 6)), StorageError.UNAVAILABLE);
        router.up(2);
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        assertThat(router.totalShards()).isEqualTo(before);
    }

    @Test
    void putObject_aNodeFillsUpWhileTheBodyStreams_storageFullNamingItAndNoShardsLeft() throws IOException {
        long before = router.totalShards();
        long length = 3 * MIB;
        // Node 2 crosses its reserve a third of the way in, before anyone could have told the gateway.
        InputStream body = new FilterInputStream(TestBodiesAccess.generated(9, length)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read += Math.max(0, n);
                if (read > length / 3) {
                    node2.full(true);
                }
                return n;
            }
        };

        assertThatThrownBy(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", length, ObjectMetadata.EMPTY,
                null, () -> null, WritePrecondition.NONE), body))
                .isInstanceOf(StorageFullException.class)
                .hasMessageStartingWith("Node 2 is out of space for new data, so the object was not stored");

        node2.full(false);
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        assertThat(router.totalShards()).isEqualTo(before);
        putGenerated("k", 9, length);
        assertThat(TestBodiesAccess.compare(backend.getObject(BUCKET, "k").open(0, length).openStream(), 9))
                .isEqualTo(length);
    }

    @Test
    void putObject_aNodeBelowItsReserve_refusedNamingIt_beforeAnyShardIsWritten() {
        long before = router.totalShards();
        node2.full(true);
        assertThatThrownBy(() -> put(BUCKET, "k", random(500_000, 12)))
                .isInstanceOf(StorageFullException.class)
                .hasMessageStartingWith("Cannot store bucket/k: node 2 has less free space than the reserve");
        assertThat(router.totalShards()).isEqualTo(before);
    }

    @Test
    void deleteObject_removesEveryShard() throws IOException {
        long before = router.totalShards();
        ObjectInfo info = put(BUCKET, "gone", random(100_000, 7));
        assertThat(info.size()).isEqualTo(100_000);
        assertThat(router.totalShards()).isEqualTo(before + 5);
        backend.deleteObject(BUCKET, "gone");
        assertThat(router.totalShards()).isEqualTo(before);
    }

    @Test
    void putObject_overwrite_reapsTheReplacedShardsAndTombstone() throws IOException {
        long before = router.totalShards();
        put(BUCKET, "twice", random(100_000, 8));
        String first = objectIdOf("twice");
        put(BUCKET, "twice", random(90_000, 9));

        assertThat(objectIdOf("twice")).isNotEqualTo(first);
        assertThat(router.totalShards()).isEqualTo(before + 5);
        assertThat(meta.scan(io.predastore.node.meta.MetaTable.TOMBSTONES, new byte[0], null, 10)).isEmpty();
        assertThat(backend.headObject(BUCKET, "twice").size()).isEqualTo(90_000);
    }

    private String objectIdOf(String key) throws IOException {
        byte[] record = meta.get(io.predastore.node.meta.MetaTable.OBJECTS,
                io.predastore.node.store.MetaKeys.object(BUCKET, key)).orElseThrow();
        return ClusterRecords.decodeObject(record).segments().get(0).objectId();
    }
}
