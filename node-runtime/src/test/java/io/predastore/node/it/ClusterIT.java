package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.node.admin.AdminClient;
import io.predastore.node.metrics.PrometheusScrape;
import io.predastore.node.store.cluster.DistributedBackend;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    static final int SNAPSHOT_EVERY = 200;
    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;
    static final Map<Integer, S3Client> clients = new LinkedHashMap<>();
    static final Random random = new Random(42);
    static final Map<String, String> written = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // Frequent snapshots and small log segments, so that a node stopped for a while has to catch up by a
        // snapshot install (raftCatchUp_...), and every other test runs with snapshots being taken.
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 5, 3, 2, text -> text.replaceFirst("\n\\[\\[node]]",
                "\n[raft]\nsnapshot_every = " + SNAPSHOT_EVERY + "\nlog_segment_bytes = 65536\n\n[[node]]"));
        assertThat(cluster.config().raft().snapshotEvery()).isEqualTo(SNAPSHOT_EVERY);
        for (int id : cluster.nodeIds()) {
            clients.put(id, cluster.s3(id));
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
     * settles) may still have been applied; the SDK's retry then meets the bucket, which in us-east-1 is a success.
     */
    static void createBucket(String name) {
        any().createBucket(b -> b.bucket(name));
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
        // Re-creating an owned bucket in us-east-1 succeeds, as in S3; it changes nothing.
        any().createBucket(b -> b.bucket("cluster"));
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

    /** One object of the durability test: its contents come from {@link Generated} with this seed. */
    record Spec(String key, long seed, long size, long partSize) {
        boolean multipart() {
            return partSize > 0;
        }
    }

    /**
     * 200 objects, about 400 MiB: six multipart uploads (5 MiB to 40 MiB, one to eight parts), four large single
     * PUTs (12 MiB to 40 MiB) and 190 objects from 0 B to 4 MiB.
     */
    static List<Spec> durabilitySpecs() {
        Random r = new Random(2024);
        List<Spec> specs = new ArrayList<>();
        long[][] multipart = {{40L * MIB, 5 * MIB}, {25L * MIB + 3, 8 * MIB}, {16L * MIB, 5 * MIB},
            {10L * MIB + 1, 5 * MIB}, {5L * MIB + 17, 5 * MIB}, {5L * MIB, 5 * MIB}};
        long[] large = {40L * MIB, 32L * MIB - 1, 20L * MIB + 5, 12L * MIB};
        for (int i = 0; i < 200; i++) {
            long size;
            long partSize = 0;
            if (i < multipart.length) {
                size = multipart[i][0];
                partSize = multipart[i][1];
            } else if (i < multipart.length + large.length) {
                size = large[i - multipart.length];
            } else {
                size = switch (i % 5) {
                    case 0 -> i % 10 == 0 ? 0 : 1 + r.nextInt(1000);
                    case 1 -> 1024 + r.nextInt(63 * 1024);
                    case 2 -> 64 * 1024 + r.nextInt(960 * 1024);
                    case 3 -> MIB + r.nextInt(MIB);
                    default -> 2 * MIB + r.nextInt(2 * MIB);
                };
            }
            specs.add(new Spec("obj/" + i, 1000 + i, size, partSize));
        }
        return specs;
    }

    /** Writes one object through random nodes (a multipart upload for a multipart spec). */
    static void write(Spec spec) {
        if (!spec.multipart()) {
            any().putObject(b -> b.bucket("durable").key(spec.key()), Generated.body(spec.seed(), spec.size()));
            return;
        }
        String uploadId = any().createMultipartUpload(b -> b.bucket("durable").key(spec.key())).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int number = 1;
        for (long offset = 0; offset < spec.size(); offset += spec.partSize(), number++) {
            long length = Math.min(spec.partSize(), spec.size() - offset);
            int n = number;
            long from = offset;
            String etag = any().uploadPart(b -> b.bucket("durable").key(spec.key()).uploadId(uploadId)
                    .partNumber(n), Generated.body(spec.seed(), from, length)).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        any().completeMultipartUpload(b -> b.bucket("durable").key(spec.key()).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** Runs {@code task} for every item on {@code threads} threads; rethrows the first failure. */
    static <T> void inParallel(List<T> items, int threads, ThrowingConsumer<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    task.accept(item);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get(10, TimeUnit.MINUTES);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    interface ThrowingConsumer<T> {
        void accept(T item) throws Exception;
    }

    static int nodeNumber(String nodeId) {
        return Integer.parseInt(nodeId.replaceAll("\\D", ""));
    }

    static int leaderId() throws Exception {
        for (int id : cluster.nodeIds()) {
            if (cluster.alive(id)) {
                String leader = admin(id).raft().leaderId();
                if (leader != null) {
                    return nodeNumber(leader);
                }
            }
        }
        throw new IllegalStateException("no metadata leader");
    }

    /**
     * A node's {@code /metrics}, scraped as Prometheus would: every series the node exposed before its meters moved
     * to Micrometer (same names and types), counting the requests just made, and the JVM, Netty and RocksDB meters.
     */
    @Test
    @Order(1)
    void metrics_scrapeOfANode_requestCountersJvmNettyAndRocksDbMeters() throws Exception {
        int node = cluster.nodeIds().get(0);
        S3Client s3 = clients.get(node);
        createBucket("metrics");
        s3.putObject(b -> b.bucket("metrics").key("k"), RequestBody.fromString("counted"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("metrics").key("k")).asUtf8String()).isEqualTo("counted");

        PrometheusScrape scrape = PrometheusScrape.parse(admin(node).metrics());
        PrometheusScrape before;
        try (InputStream in = ClusterIT.class.getResourceAsStream(
                "/io/predastore/node/admin/metrics-before-micrometer.txt")) {
            before = PrometheusScrape.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(scrape.types()).containsAllEntriesOf(before.types());
        assertThat(scrape.samples().get("predastore_s3_requests_total")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.samples().get("predastore_s3_received_bytes_total")).isGreaterThanOrEqualTo(7);
        assertThat(scrape.samples().get("predastore_s3_sent_bytes_total")).isGreaterThanOrEqualTo(7);
        assertThat(scrape.samples()).containsKeys("predastore_s3_operation_requests_total{operation=\"PUT_OBJECT\"}",
                "predastore_s3_operation_requests_total{operation=\"GET_OBJECT\"}");

        assertThat(scrape.samples().get("jvm_threads_live_threads")).isPositive();
        assertThat(scrape.hasMetric("jvm_memory_used_bytes")).isTrue();
        assertThat(scrape.hasMetric("jvm_gc_memory_allocated_bytes_total")).isTrue();
        assertThat(scrape.hasMetric("jvm_classes_loaded_classes")).isTrue();
        assertThat(scrape.samples().get("system_cpu_count")).isPositive();
        assertThat(scrape.hasMetric("netty_allocator_memory_used")).isTrue();
        for (String server : List.of("s3", "admin")) {
            assertThat(scrape.samples().keySet()).as(server).anyMatch(k -> k.startsWith(
                    "netty_eventexecutor_tasks_pending{") && k.contains("server=\"" + server + "\""));
        }
        for (String db : List.of("metadata", "shard-index")) {
            for (String gauge : List.of("live_data_size", "memtable_size", "block_cache_usage")) {
                assertThat(scrape.samples().get(PrometheusScrape.series("predastore_rocksdb_" + gauge + "_bytes",
                        Map.of("db", db)))).as(db + " " + gauge).isNotNaN().isNotNegative();
            }
            assertThat(scrape.samples().get(PrometheusScrape.series("predastore_rocksdb_pending_compaction_bytes",
                    Map.of("db", db)))).as(db).isNotNaN().isNotNegative();
        }
    }

    @Test
    @Order(2)
    void durability_200MixedObjects_killTwoShardHolders_everyObjectReadsBackOnEachSurvivor() throws Exception {
        long started = System.nanoTime();
        createBucket("durable");
        List<Spec> specs = durabilitySpecs();
        assertThat(specs.stream().mapToLong(Spec::size).sum()).isBetween(300L * MIB, 500L * MIB);
        assertThat(specs.stream().mapToLong(Spec::size).max().orElseThrow()).isEqualTo(40L * MIB);
        inParallel(specs, 3, ClusterIT::write);
        for (Spec spec : specs) {
            written.put(spec.key(), Generated.md5(spec.seed(), 0, spec.size()));
        }
        System.out.printf("durability: wrote %d objects (%d MiB) in %d s%n", specs.size(),
                specs.stream().mapToLong(Spec::size).sum() / MIB, (System.nanoTime() - started) / 1_000_000_000L);

        // Victims: two nodes (not the metadata leader, whose loss another test covers) that hold shards of every
        // non-empty object, per the admin placement API.
        int leader = leaderId();
        Map<String, ObjectPlacement> placements = new LinkedHashMap<>();
        java.util.Set<Integer> holdAll = new java.util.TreeSet<>(cluster.nodeIds());
        for (Spec spec : specs) {
            ObjectPlacement p = admin(1 + random.nextInt(5)).placement("durable", spec.key()).orElseThrow();
            assertThat(p.size()).as(spec.key()).isEqualTo(spec.size());
            placements.put(spec.key(), p);
            // Objects up to the inline limit are kept whole in the metadata, larger ones in shards.
            assertThat(p.segments().isEmpty()).as(spec.key() + " kept in the metadata")
                    .isEqualTo(spec.size() <= DistributedBackend.INLINE_LIMIT);
            if (!p.segments().isEmpty()) {
                java.util.Set<Integer> holders = new java.util.HashSet<>();
                p.segments().forEach(seg -> {
                    assertThat(seg.shards()).as(spec.key()).hasSize(5)
                            .allSatisfy(sh -> assertThat(sh.state()).isEqualTo(ShardState.PRESENT));
                    seg.shards().forEach(sh -> holders.add(nodeNumber(sh.nodeId())));
                });
                holdAll.retainAll(holders);
            }
        }
        holdAll.remove(leader);
        assertThat(holdAll).as("nodes holding shards of every object, leader %d excluded", leader).hasSizeGreaterThan(1);
        List<Integer> victims = new ArrayList<>(holdAll).subList(0, 2);
        // Losing them costs data shards of (nearly) every object: reads must decode from parity.
        long needDecoding = placements.values().stream().filter(p -> p.segments().stream()
                .anyMatch(seg -> seg.shards().stream().anyMatch(sh -> !sh.parity()
                        && victims.contains(nodeNumber(sh.nodeId()))))).count();
        assertThat(needDecoding).isGreaterThan(100);

        for (int victim : victims) {
            cluster.kill(victim);
        }
        List<Integer> survivors = new ArrayList<>(cluster.nodeIds());
        survivors.removeAll(victims);
        assertThat(survivors).hasSize(3).allSatisfy(id -> assertThat(cluster.alive(id)).isTrue());

        // Every object byte-exact: each through one survivor in turn, objects under 1 MiB through all three.
        long readStarted = System.nanoTime();
        List<Integer> indexes = java.util.stream.IntStream.range(0, specs.size()).boxed().toList();
        inParallel(indexes, 3, i -> {
            Spec spec = specs.get(i);
            List<Integer> via = spec.size() < MIB ? survivors : List.of(survivors.get(i % 3));
            for (int id : via) {
                S3Client s3 = clients.get(id);
                var head = s3.headObject(b -> b.bucket("durable").key(spec.key()));
                assertThat(head.contentLength()).as(spec.key()).isEqualTo(spec.size());
                assertThat(Generated.md5(s3.getObject(b -> b.bucket("durable").key(spec.key()))))
                        .as(spec.key() + " via node " + id).isEqualTo(written.get(spec.key()));
            }
        });
        System.out.printf("durability: read everything back through 3 survivors in %d s%n",
                (System.nanoTime() - readStarted) / 1_000_000_000L);
        for (int id : survivors) {
            assertThat(clients.get(id).listObjectsV2(b -> b.bucket("durable")).keyCount()).isEqualTo(200);
        }

        // A small object needs only the metadata majority, which three of five nodes still are.
        S3Client small = clients.get(survivors.get(random.nextInt(3)));
        small.putObject(b -> b.bucket("durable").key("after-kill/small"), Generated.body(1000, 1000));
        assertThat(admin(survivors.get(0)).placement("durable", "after-kill/small").orElseThrow().segments())
                .isEmpty();
        for (int id : survivors) {
            assertThat(Generated.md5(clients.get(id).getObject(b -> b.bucket("durable").key("after-kill/small"))))
                    .isEqualTo(Generated.md5(1000, 0, 1000));
        }

        // A new large object cannot get five distinct live nodes. It is either stored with all five shards present
        // on live nodes, or refused with a clean 503 that leaves nothing behind.
        for (long size : new long[] {DistributedBackend.INLINE_LIMIT + 1, 6L * MIB + 5}) {
            String key = "after-kill/" + size;
            S3Client s3 = clients.get(survivors.get(random.nextInt(3)));
            try {
                s3.putObject(b -> b.bucket("durable").key(key), Generated.body(size, size));
                ObjectPlacement p = admin(survivors.get(0)).placement("durable", key).orElseThrow();
                assertThat(p.segments()).isNotEmpty().allSatisfy(seg -> assertThat(seg.shards()).hasSize(5)
                        .allSatisfy(sh -> {
                            assertThat(sh.state()).isEqualTo(ShardState.PRESENT);
                            assertThat(survivors).contains(nodeNumber(sh.nodeId()));
                        }));
                assertThat(Generated.md5(any().getObject(b -> b.bucket("durable").key(key))))
                        .isEqualTo(Generated.md5(size, 0, size));
                System.out.printf("durability: %s stored with all shards on the three live nodes%n", key);
            } catch (S3Exception e) {
                System.out.printf("durability: %s refused: %d %s%n", key, e.statusCode(),
                        e.awsErrorDetails().errorCode());
                assertThat(e.statusCode()).as("a refused write answers 503: %s", e.getMessage()).isEqualTo(503);
                for (int id : survivors) {
                    assertThat(clients.get(id).listObjectsV2(b -> b.bucket("durable").prefix(key)).contents())
                            .as("nothing listed after a refused write of " + key).isEmpty();
                    assertThatThrownBy(() -> clients.get(id).headObject(b -> b.bucket("durable").key(key)))
                            .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(404));
                }
            }
        }
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
        return cluster.admin(nodeId);
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
        // A node restarted by the previous test learns the leader with its first heartbeat, not at once.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin(3).raft().leaderId()).isNotNull());
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

    @Test
    @Order(7)
    void badClusterFile_duplicatePort_failsWithOneClearLine() throws Exception {
        Path file = cluster.dir().resolve("cluster.toml");
        String text = java.nio.file.Files.readString(file);
        var n1 = cluster.config().node(1);
        var n2 = cluster.config().node(2);
        // node 2's shard port made equal to node 1's Raft port.
        String bad = text.replace("shard_port = " + n2.shardPort() + "\n", "shard_port = " + n1.raftPort() + "\n");
        assertThat(bad).isNotEqualTo(text);
        Path badFile = tmp.resolve("bad-cluster.toml");
        java.nio.file.Files.writeString(badFile, bad);
        int line = 1 + (int) bad.substring(0, bad.indexOf("shard_port = " + n1.raftPort())).chars()
                .filter(c -> c == '\n').count();

        ClusterProcesses.Result r = ClusterProcesses.cli(Duration.ofSeconds(60), "serve", "--backend",
                "distributed", "--config", badFile.toString(), "--node", "1");

        assertThat(r.exit()).isNotZero();
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("the whole output:%n%s", r.output()).hasSize(1);
        assertThat(lines.get(0)).contains("cluster file " + badFile.toAbsolutePath().normalize())
                .contains("line " + line + ":")
                .contains("node[1].shard_port = " + n1.raftPort())
                .contains("is already used by node[0].raft_port");
    }

    /** Start index of the oldest Raft log segment a node still has. */
    static long oldestLogIndex(int nodeId) throws Exception {
        Path raft = cluster.config().node(nodeId).dataDir().resolve("meta").resolve("raft");
        long oldest = Long.MAX_VALUE;
        try (var groups = java.nio.file.Files.list(raft)) {
            for (Path group : (Iterable<Path>) groups::iterator) {
                Path current = group.resolve("current");
                if (!java.nio.file.Files.isDirectory(current)) {
                    continue;
                }
                try (var files = java.nio.file.Files.list(current)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?")
                                .matcher(f.getFileName().toString());
                        if (m.matches()) {
                            oldest = Math.min(oldest, Long.parseLong(m.group(1)));
                        }
                    }
                }
            }
        }
        return oldest;
    }

    @Test
    @Order(8)
    void raftCatchUp_nodeStoppedWhileTheLogWasPurged_catchesUpBySnapshotInstall() throws Exception {
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin(1).health().nodes()).hasSize(5).allSatisfy(n -> assertThat(n.alive()).isTrue()));
        byte[] before = bytes(300_000, 77);
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                any().putObject(b -> b.bucket("durable").key("catch-up/before"), RequestBody.fromBytes(before)));
        int leader = leaderId();
        int victim = cluster.nodeIds().stream().filter(id -> id != leader).reduce((a, b) -> b).orElseThrow();
        long stoppedAt = admin(victim).raft().lastAppliedIndex();
        cluster.stop(victim);
        int logLength = cluster.log(victim).length();

        // Bucket creations are metadata writes (Raft entries) that a majority of four nodes accepts. Write until
        // every running node has snapshotted and purged its log past the stopped node's last entry, so it can
        // only catch up from a snapshot.
        List<Integer> live = new ArrayList<>(cluster.nodeIds());
        live.remove(Integer.valueOf(victim));
        List<String> created = java.util.Collections.synchronizedList(new ArrayList<>());
        int round = 0;
        while (true) {
            long oldest = Long.MAX_VALUE;
            for (int id : live) {
                oldest = Math.min(oldest, oldestLogIndex(id));
            }
            if (oldest > stoppedAt + 1) {
                break;
            }
            assertThat(round).as("log still starts at %d, stopped node at %d after %d buckets", oldest, stoppedAt,
                    created.size()).isLessThan(30);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                names.add(String.format("catch-up-%02d-%03d", round, i));
            }
            inParallel(names, 4, name -> {
                createBucket(name);
                created.add(name);
            });
            round++;
        }
        System.out.printf("catch-up: %d buckets created while node %d was down (stopped at index %d)%n",
                created.size(), victim, stoppedAt);

        cluster.restartStopped();
        await().ignoreExceptions().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            long commit = admin(leaderId()).raft().commitIndex();
            assertThat(admin(victim).raft().lastAppliedIndex()).isEqualTo(commit);
        });
        String log = cluster.log(victim);
        assertThat(log.length()).isGreaterThan(logLength);
        String sinceRestart = log.substring(logLength);
        assertThat(sinceRestart).as("node %d log since its restart", victim)
                .contains("restoring metadata from snapshot");
        // The restored snapshot is past the stopped node's own log, so it can only be the one the leader sent.
        java.util.regex.Matcher restored = java.util.regex.Pattern.compile(
                "restoring metadata from snapshot \\S*snapshot\\.\\d+_(\\d+)").matcher(sinceRestart);
        assertThat(restored.find()).as(sinceRestart).isTrue();
        assertThat(Long.parseLong(restored.group(1))).isGreaterThan(stoppedAt);
        sinceRestart.lines().filter(l -> l.contains("restoring metadata from snapshot"))
                .forEach(l -> System.out.println("catch-up: " + l));

        S3Client through = clients.get(victim);
        assertThat(through.getObjectAsBytes(b -> b.bucket("durable").key("catch-up/before")).asByteArray())
                .isEqualTo(before);
        assertThat(md5Of(through, "durable", "obj/0")).isEqualTo(written.get("obj/0"));
        String last = created.get(created.size() - 1);
        through.headBucket(b -> b.bucket(last));
        assertThat(through.listBuckets().buckets()).extracting(x -> x.name()).containsAll(created);
        await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                through.putObject(b -> b.bucket(last).key("after"), RequestBody.fromString("caught up")));
        assertThat(any().getObjectAsBytes(b -> b.bucket(last).key("after")).asUtf8String()).isEqualTo("caught up");
    }

    @Test
    @Order(9)
    void deletingEverything_freesShardSpaceOnTheCluster() throws Exception {
        Map<Integer, Long> before = new LinkedHashMap<>();
        for (int id : cluster.nodeIds()) {
            before.put(id, segmentBytes(id));
        }
        // Every object of every bucket, so that no live shard keeps a segment from being rewritten.
        List<String[]> objects = new ArrayList<>();
        for (var bucket : any().listBuckets().buckets()) {
            any().listObjectsV2Paginator(b -> b.bucket(bucket.name())).contents()
                    .forEach(o -> objects.add(new String[] {bucket.name(), o.key()}));
        }
        assertThat(objects).hasSizeGreaterThan(200);
        inParallel(objects, 4, o -> any().deleteObject(b -> b.bucket(o[0]).key(o[1])));
        // Tombstones are reaped at once and every 30 s; compaction rewrites mostly dead segments every 10 s, sealed
        // or not, so with nothing left alive every node gives back (nearly) all its segment space.
        long total = before.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("the durability objects filled several segments").isGreaterThan(400L * MIB);
        long start = System.nanoTime();
        await().ignoreExceptions().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Map<Integer, Long> now = new LinkedHashMap<>();
                    for (int id : cluster.nodeIds()) {
                        now.put(id, segmentBytes(id));
                    }
                    assertThat(now).as("segment bytes per node, %s before", before).allSatisfy((id, bytes) ->
                            assertThat(bytes).isLessThan(Math.min(before.get(id) / 8, 16L * MIB)));
                });
        System.out.printf("compaction: every node compacted %d s after the deletes%n",
                (System.nanoTime() - start) / 1_000_000_000L);
        System.out.printf("compaction: segment bytes per node %s before the deletes, %s after%n", before,
                cluster.nodeIds().stream().map(id -> {
                    try {
                        return segmentBytes(id);
                    } catch (java.io.IOException e) {
                        return -1L;
                    }
                }).toList());
    }

    static long segmentBytes(int nodeId) throws java.io.IOException {
        Path dir = cluster.config().node(nodeId).dataDir().resolve("shards").resolve("segments");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            long total = 0;
            for (Path f : files.toList()) {
                total += java.nio.file.Files.size(f);
            }
            return total;
        }
    }
}
