package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.predastore.node.disk.TmpfsMount;
import io.predastore.protocol.admin.NodeStatus;
import io.predastore.protocol.admin.StorageStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A three-node RS(2,1) cluster (each node its own JVM) whose node 3 keeps its data on a 64 MiB tmpfs, with a
 * 16 MiB reserve on every node. Objects go in through node 1 until node 3 refuses its shards (507 naming it), then
 * small objects (kept in the metadata on every node) until node 3 is below its reserve, after which every gateway
 * refuses every kind of write with 507. Meanwhile every acknowledged object reads back through every node, node
 * 3's admin status says it is below its reserve, and deletes work; once they have freed space on node 3 (its
 * shards reaped, its segments compacted) writes succeed again without a restart, and no shard is left behind.
 */
class FullDiskClusterIT {
    private static final long MIB = 1024 * 1024;
    private static final String BUCKET = "full";
    /** Objects up to this size are kept in their metadata record, the others erasure-coded into three shards. */
    private static final long INLINE_LIMIT = 16 * 1024;
    /** Free space above the reserve node 3 must have before the writes that show the cluster takes data again. */
    private static final long AFTER_HEADROOM = 5 * MIB;

    @TempDir
    static Path tmp;
    static TmpfsMount disk;
    static ClusterProcesses cluster;
    static final Map<Integer, S3Client> clients = new TreeMap<>();

    /** Every acknowledged object: its content seed and size. */
    private final Map<String, long[]> stored = new TreeMap<>();
    private long nextSeed = 1;

    @BeforeAll
    static void start() throws Exception {
        Path dir = tmp.resolve("cluster");
        cluster = ClusterProcesses.up(dir, 3, 2, 1, text -> {
            try {
                disk = TmpfsMount.mount(dir.resolve("node-3"), "64m");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return text.replaceFirst("\n\\[\\[node]]", "\n[storage]\nreserve_bytes = " + (16 * MIB) + "\n\n[[node]]");
        });
        for (int id : cluster.nodeIds()) {
            clients.put(id, cluster.s3(id));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            clients.values().forEach(S3Client::close);
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    void oneNodeFull_writesFailCleanlyWith507NamingIt_readsAndDeletesGoOn_andWritesResumeOnceFreed()
            throws Exception {
        assertThat(cluster.config().storage().reserveBytes()).isEqualTo(16 * MIB);
        S3Client s3 = clients.get(1);
        s3.createBucket(b -> b.bucket(BUCKET));
        String pending = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("pending")).uploadId();
        put(s3, "copy-source", MIB);

        // Node 3 fills with shards until it refuses one: free space is then at its reserve, not yet below.
        S3Exception shardsRefused = fillUntilRefused("large objects", i -> put(s3, "large-" + i, MIB));
        assertThat(shardsRefused.awsErrorDetails().errorMessage()).containsIgnoringCase("node 3");
        // Small objects, kept in the metadata every node holds, take it below (refused while a gateway still
        // counts node 3's refusal, until its next ping).
        for (int i = 0; !storage(3).belowReserve(); i++) {
            assertThat(i).as("small objects written without node 3 going below its reserve").isLessThan(3000);
            try {
                put(s3, "small-" + i, INLINE_LIMIT);
            } catch (S3Exception e) {
                assertIsStorageFull(e);
            }
        }
        long large = stored.keySet().stream().filter(k -> k.startsWith("large-")).count();
        assertThat(large).as("large objects stored before node 3 filled").isGreaterThan(20);
        System.out.printf("full node: %d large and %d small objects stored; node 3 has %d MiB free%n", large,
                stored.size() - large - 1, disk.usableBytes() / MIB);

        // Every gateway refuses every kind of write once the pings tell it; nothing partial is visible.
        for (int id : cluster.nodeIds()) {
            S3Client via = clients.get(id);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                try {
                    via.putObject(b -> b.bucket(BUCKET).key("refused-small"), Generated.body(nextSeed, 100));
                } catch (S3Exception e) {
                    assertIsStorageFull(e);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .contains("node 3 has less free space than the reserve");
                    return;
                }
                // Taken before this gateway's next ping told it: undo, and try again.
                via.deleteObject(b -> b.bucket(BUCKET).key("refused-small"));
                fail("node %d took a write although node 3 is below its reserve", id);
            });
            assertStorageFull(() -> via.putObject(b -> b.bucket(BUCKET).key("refused-large"),
                    Generated.body(nextSeed, 2 * MIB)));
            assertStorageFull(() -> via.createBucket(b -> b.bucket("refused-bucket")));
            assertStorageFull(() -> via.createMultipartUpload(b -> b.bucket(BUCKET).key("refused-upload")));
            assertStorageFull(() -> via.uploadPart(b -> b.bucket(BUCKET).key("pending").uploadId(pending)
                    .partNumber(1), Generated.body(nextSeed, MIB)));
            assertStorageFull(() -> via.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
                    .destinationBucket(BUCKET).destinationKey("refused-copy")));
        }
        for (String key : List.of("refused-small", "refused-large", "refused-copy")) {
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        }
        StorageStatus full = storage(3);
        assertThat(full.belowReserve()).isTrue();
        assertThat(full.reserveBytes()).isEqualTo(16 * MIB);
        assertThat(full.restartNeeded()).as("%s", full.problems()).isFalse();
        assertThat(storage(1).belowReserve()).isFalse();
        ClusterProcesses.Result status = ClusterProcesses.cli(Duration.ofSeconds(60), "cluster", "status", "--dir",
                cluster.dir().toString());
        assertThat(status.output()).containsPattern("(?m)^1\\s+\\S+\\s+alive\\s.*\\sok\\s+yes$")
                .containsPattern("(?m)^3\\s+\\S+\\s+alive\\s.*\\sFULL\\s+yes$")
                .containsPattern("(?m)^node 3: .* free, below its reserve of 16MiB: the cluster refuses new data");

        // The whole cluster keeps serving reads.
        for (int id : cluster.nodeIds()) {
            assertEverythingReadsBack(clients.get(id), id == 2 ? Integer.MAX_VALUE : 5);
        }

        // Deletes go through and free node 3's space.
        List<String> larges = stored.keySet().stream().filter(k -> k.startsWith("large-")).toList();
        List<String> doomed = larges.subList(4, larges.size());
        S3Client other = clients.get(2);
        for (String key : doomed.subList(0, 5)) {
            other.deleteObject(b -> b.bucket(BUCKET).key(key));
        }
        List<ObjectIdentifier> batch = doomed.subList(5, doomed.size()).stream()
                .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        assertThat(other.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(batch))).errors()).isEmpty();
        doomed.forEach(stored::remove);
        other.abortMultipartUpload(b -> b.bucket(BUCKET).key("pending").uploadId(pending));
        assertEverythingReadsBack(other, Integer.MAX_VALUE);

        // Once node 3 has reaped and compacted, the same processes take new data again. Reaping and compaction
        // free space step by step, so wait for room for everything written below (about 3 MiB of shards and
        // metadata on node 3): a write taken the moment node 3 crosses its reserve would put it back under.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(storage(3).usableBytes()).isGreaterThan(16 * MIB + AFTER_HEADROOM));
        // Each gateway learns it from its next ping of node 3.
        for (int id : cluster.nodeIds()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreException(S3Exception.class).untilAsserted(() -> put(clients.get(id), "after-" + id, 1000));
        }
        put(s3, "after-large", 2 * MIB);
        put(clients.get(3), "after-small", 1000);
        String upload = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("after-multipart")).uploadId();
        long seed = nextSeed++;
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key("after-multipart").uploadId(upload).partNumber(1),
                Generated.body(seed, MIB)).eTag();
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("after-multipart").uploadId(upload)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        stored.put("after-multipart", new long[] {seed, MIB});
        clients.get(2).copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source").destinationBucket(BUCKET)
                .destinationKey("after-copy"));
        stored.put("after-copy", stored.get("copy-source"));
        s3.createBucket(b -> b.bucket("after-bucket"));
        assertEverythingReadsBack(clients.get(3), Integer.MAX_VALUE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(storage(3).healthy()).isTrue());
        assertThat(ClusterProcesses.cli(Duration.ofSeconds(60), "cluster", "status", "--dir",
                cluster.dir().toString()).output()).containsPattern("(?m)^3\\s+\\S+\\s+alive\\s.*\\sok\\s+yes$");

        // No shard was left behind by the refused writes: three per erasure-coded object, on any node.
        long coded = stored.values().stream().filter(s -> s[1] > INLINE_LIMIT).count();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            long shards = 0;
            for (int id : cluster.nodeIds()) {
                shards += status(id).shardCount();
            }
            assertThat(shards).isEqualTo(3 * coded);
        });
        assertThat(cluster.log(3)).contains("below the reserve").contains("new data is accepted again");
        for (int id : cluster.nodeIds()) {
            // An unexpected failure becomes InternalError, logged at ERROR by the S3 service.
            assertThat(cluster.log(id)).as("node %d's log", id).doesNotContainPattern("ERROR .*S3Service");
        }
    }

    private void put(S3Client via, String key, long size) {
        long seed = nextSeed++;
        via.putObject(b -> b.bucket(BUCKET).key(key), Generated.body(seed, size));
        stored.put(key, new long[] {seed, size});
    }

    private interface Write {
        void run(int i);
    }

    /** Runs {@code write(0)}, {@code write(1)}, ... until one is refused with 507, and returns the refusal. */
    private static S3Exception fillUntilRefused(String what, Write write) {
        for (int i = 0; i < 2000; i++) {
            try {
                write.run(i);
            } catch (S3Exception e) {
                assertIsStorageFull(e);
                return e;
            }
        }
        return fail("the cluster still accepted " + what + " after 2000 of them");
    }

    /** Checks every stored object's size and, for the first {@code bytesChecked} of them, its bytes. */
    private void assertEverythingReadsBack(S3Client via, int bytesChecked) {
        int checked = 0;
        for (Map.Entry<String, long[]> e : stored.entrySet()) {
            long[] s = e.getValue();
            assertThat(via.headObject(b -> b.bucket(BUCKET).key(e.getKey())).contentLength()).as(e.getKey())
                    .isEqualTo(s[1]);
            if (checked++ < bytesChecked) {
                assertThat(Generated.md5(via.getObject(b -> b.bucket(BUCKET).key(e.getKey())))).as(e.getKey())
                        .isEqualTo(Generated.md5(s[0], 0, s[1]));
            }
        }
        List<String> listed = new ArrayList<>();
        via.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().forEach(o -> listed.add(o.key()));
        assertThat(listed).containsExactlyElementsOf(stored.keySet());
    }

    private static NodeStatus status(int nodeId) throws IOException {
        return cluster.admin(nodeId).status();
    }

    private static StorageStatus storage(int nodeId) throws IOException {
        return status(nodeId).storage();
    }

    private static void assertStorageFull(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, FullDiskClusterIT::assertIsStorageFull);
    }

    private static void assertIsStorageFull(S3Exception e) {
        assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(507);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("StorageFull");
        assertThat(e.awsErrorDetails().errorMessage()).contains("Delete objects or abort multipart uploads");
    }
}
