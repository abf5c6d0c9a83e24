package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.node.admin.AdminClient;
import io.predastore.node.auth.Credentials;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A five-node RS(3,2) cluster brought up with {@code cluster init} and {@code cluster up}, each node its own
 * JVM, used through the AWS SDK with every request sent to a randomly chosen node; then two shard-holding nodes
 * are killed with SIGKILL and every object must still read back byte-exact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    static final int MIB = 1024 * 1024;
    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;
    static final Map<Integer, S3Client> clients = new LinkedHashMap<>();
    static final Random random = new Random(42);
    static final Map<String, String> written = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 5, 3, 2);
        for (int id : cluster.nodeIds()) {
            clients.put(id, Clients.s3(cluster.endpoint(id), cluster.config().credentials().accessKey(),
                    cluster.config().credentials().secretKey()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(S3Client::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A client of a random live node. */
    static S3Client any() {
        List<Integer> live = new ArrayList<>();
        for (int id : clients.keySet()) {
            if (cluster.alive(id)) {
                live.add(id);
            }
        }
        return clients.get(live.get(random.nextInt(live.size())));
    }

    /**
     * Creates a bucket through a random node. A metadata write whose answer was lost (a 503 while the Raft group
     * settles) may still have been applied, and the SDK's retry then meets the bucket: that counts as created.
     */
    static void createBucket(String name) {
        try {
            any().createBucket(b -> b.bucket(name));
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException e) {
            assertThat(e.numAttempts()).as("only a retry may find the bucket").isGreaterThan(1);
        }
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    static String md5Of(S3Client s3, String bucket, String key) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    @Order(1)
    void s3Operations_throughRandomNodes_work() throws Exception {
        createBucket("cluster");
        assertThatThrownBy(() -> any().createBucket(b -> b.bucket("cluster")))
                .satisfies(t -> assertThat(((S3Exception) t).awsErrorDetails().errorCode())
                        .isEqualTo("BucketAlreadyOwnedByYou"));
        any().headBucket(b -> b.bucket("cluster"));

        byte[] small = bytes(1000, 1);
        any().putObject(b -> b.bucket("cluster").key("dir/small").contentType("text/x").metadata(Map.of("k", "v")),
                RequestBody.fromBytes(small));
        var got = any().getObjectAsBytes(b -> b.bucket("cluster").key("dir/small"));
        assertThat(got.asByteArray()).isEqualTo(small);
        assertThat(got.response().contentType()).isEqualTo("text/x");
        assertThat(got.response().metadata()).containsEntry("k", "v");

        byte[] big = bytes(3 * MIB + 12345, 2);
        any().putObject(b -> b.bucket("cluster").key("dir/big"), RequestBody.fromBytes(big));
        assertThat(md5Of(any(), "cluster", "dir/big")).isEqualTo(md5(big));
        byte[] range = any().getObjectAsBytes(b -> b.bucket("cluster").key("dir/big")
                .range("bytes=1000000-1000999")).asByteArray();
        assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(big, 1_000_000, 1_001_000));

        assertThatThrownBy(() -> any().putObject(b -> b.bucket("cluster").key("dir/small").ifNoneMatch("*"),
                RequestBody.fromString("x"))).satisfies(t -> assertThat(((S3Exception) t).statusCode())
                .isEqualTo(412));
        any().copyObject(b -> b.sourceBucket("cluster").sourceKey("dir/small").destinationBucket("cluster")
                .destinationKey("copy/small"));
        assertThat(any().getObjectAsBytes(b -> b.bucket("cluster").key("copy/small")).asByteArray())
                .isEqualTo(small);

        var listing = any().listObjectsV2(b -> b.bucket("cluster").delimiter("/"));
        assertThat(listing.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("copy/", "dir/");

        String uploadId = any().createMultipartUpload(b -> b.bucket("cluster").key("mp")).uploadId();
        byte[] p1 = bytes(5 * MIB, 3);
        byte[] p2 = bytes(MIB + 7, 4);
        String e1 = any().uploadPart(b -> b.bucket("cluster").key("mp").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e2 = any().uploadPart(b -> b.bucket("cluster").key("mp").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();
        any().completeMultipartUpload(b -> b.bucket("cluster").key("mp").uploadId(uploadId).multipartUpload(m -> m
                .parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, whole, 0, p1.length);
        System.arraycopy(p2, 0, whole, p1.length, p2.length);
        assertThat(md5Of(any(), "cluster", "mp")).isEqualTo(md5(whole));

        any().deleteObject(b -> b.bucket("cluster").key("copy/small"));
        assertThatThrownBy(() -> any().headObject(b -> b.bucket("cluster").key("copy/small")))
                .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(404));
    }

    @Test
    @Order(2)
    void durability_killTwoNodes_everyObjectStillReadsBack() throws Exception {
        createBucket("durable");
        for (int i = 0; i < 40; i++) {
            int size = switch (i % 5) {
                case 0 -> 0;
                case 1 -> 1 + random.nextInt(1000);
                case 2 -> 100_000 + random.nextInt(100_000);
                case 3 -> MIB + random.nextInt(MIB);
                default -> 3 * MIB + random.nextInt(MIB);
            };
            byte[] data = bytes(size, 100 + i);
            String key = "obj/" + i;
            any().putObject(b -> b.bucket("durable").key(key), RequestBody.fromBytes(data));
            written.put(key, md5(data));
        }
        cluster.kill(2);
        cluster.kill(4);
        for (Map.Entry<String, String> e : written.entrySet()) {
            assertThat(md5Of(any(), "durable", e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(any().listObjectsV2(b -> b.bucket("durable")).keyCount()).isEqualTo(40);
        // With 3 of 5 nodes alive, a new object cannot get 5 distinct nodes: the write fails cleanly.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThatThrownBy(() -> any().putObject(b -> b.bucket("durable").key("under-protected"),
                        RequestBody.fromString("x")))
                        .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(503)));
        assertThatThrownBy(() -> any().headObject(b -> b.bucket("durable").key("under-protected")))
                .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(404));
    }

    @Test
    @Order(3)
    void restartedNodes_catchUpAndWritesResume() throws Exception {
        cluster.restartStopped();
        // Until the restarted nodes are seen alive again (and while the group settles) writes may answer 503.
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                any().putObject(b -> b.bucket("durable").key("after-restart"), RequestBody.fromString("back")));
        for (int id : cluster.nodeIds()) {
            S3Client s3 = clients.get(id);
            await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(s3.getObjectAsBytes(b -> b.bucket("durable").key("after-restart")).asUtf8String())
                        .isEqualTo("back");
                assertThat(md5Of(s3, "durable", "obj/3")).isEqualTo(written.get("obj/3"));
            });
        }
    }

    static AdminClient admin(int nodeId) {
        var n = cluster.config().node(nodeId);
        return new AdminClient(URI.create("http://" + n.host() + ":" + n.adminPort()),
                new Credentials(cluster.config().credentials().adminAccessKey(),
                        cluster.config().credentials().adminSecretKey()), cluster.config().region());
    }

    @Test
    @Order(4)
    void adminApi_showsPlacementRingRaftAndCounters() throws Exception {
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin(4).health().nodes()).hasSize(5).allSatisfy(n -> assertThat(n.alive()).isTrue()));
        ObjectPlacement placement = admin(1).placement("durable", "obj/3").orElseThrow();
        assertThat(placement.dataShards()).isEqualTo(3);
        assertThat(placement.parityShards()).isEqualTo(2);
        assertThat(placement.segments()).isNotEmpty();
        assertThat(placement.segments().get(0).shards()).hasSize(5)
                .allSatisfy(s -> assertThat(s.state()).isEqualTo(ShardState.PRESENT))
                .extracting(ShardPlacement::nodeId).doesNotHaveDuplicates();
        assertThat(placement.readable()).isTrue();
        assertThat(admin(2).ring().members()).hasSize(5);
        assertThat(admin(3).raft().leaderId()).isNotNull();
        any().getObjectAsBytes(b -> b.bucket("durable").key("after-restart"));
        long requests = 0;
        for (int id : cluster.nodeIds()) {
            requests += admin(id).counters().requests();
        }
        assertThat(requests).isPositive();
    }

    @Test
    @Order(5)
    void raft_killLeaderDuringPuts_everyAcknowledgedPutSurvives() throws Exception {
        String leader = admin(1).raft().leaderId();
        int leaderId = Integer.parseInt(leader.substring("node-".length()));
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                String key = "raft/" + i++;
                try {
                    clientExcept(leaderId).putObject(b -> b.bucket("durable").key(key),
                            RequestBody.fromString("value " + key));
                    acknowledged.add(key);
                } catch (RuntimeException e) {
                    // unacknowledged writes may or may not exist; only acknowledged ones are checked
                }
            }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 5);
        cluster.kill(leaderId);
        int survivor = leaderId == 1 ? 2 : 1;
        // A new leader is elected among the four survivors; metadata reads and writes go on.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin(survivor).raft().leaderId()).isNotNull().isNotEqualTo(leader));
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                clientExcept(leaderId).headBucket(b -> b.bucket("durable")));
        createBucket("after-election");
        clientExcept(leaderId).headBucket(b -> b.bucket("after-election"));
        // With one of five nodes down, new objects cannot get five distinct nodes: PUTs fail cleanly (503)
        // until the node is back, then resume.
        cluster.restartStopped();
        int before = acknowledged.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= before + 5);
        running.set(false);
        writer.join(60_000);
        for (String key : acknowledged) {
            assertThat(any().getObjectAsBytes(b -> b.bucket("durable").key(key)).asUtf8String())
                    .isEqualTo("value " + key);
        }
        // The restarted node catches up with the log.
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var killed = admin(leaderId).raft();
            var current = admin(survivor).raft();
            assertThat(killed.lastAppliedIndex()).isGreaterThanOrEqualTo(current.commitIndex() - 1);
        });
    }

    static S3Client clientExcept(int nodeId) {
        List<Integer> ids = new ArrayList<>(clients.keySet());
        ids.remove(Integer.valueOf(nodeId));
        return clients.get(ids.get(random.nextInt(ids.size())));
    }

    @Test
    @Order(6)
    void wrongNodeId_failsWithOneClearMessage() throws Exception {
        ClusterProcesses.Result r = ClusterProcesses.cli(Duration.ofSeconds(60), "serve", "--backend",
                "distributed", "--config", cluster.dir().resolve("cluster.toml").toString(), "--node", "9");
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("node 9").contains("1, 2, 3, 4, 5");
    }
}
