package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RaftRole;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Changing the members of a running cluster with real node processes, under a steady S3 load (one writer and
 * reader, through the nodes that are never removed or replaced): five nodes, RS 3+2.
 * <ol>
 *   <li>{@code cluster add-node} twice: the sixth and seventh nodes join, become active, and the rebalancer moves
 *       shards onto them.</li>
 *   <li>Mid-move, the node running the rebalancer and the node moved to are killed (SIGKILL) and restarted: the
 *       rebalance completes, both new nodes hold shards, a pass at the new epoch finds nothing to move, and with
 *       seven members the metadata group has exactly five voters and two listeners.</li>
 *   <li>Two voters are killed: with three of five voters left, the metadata stays writable.</li>
 *   <li>{@code cluster remove-node 2 --wait}, with two multipart uploads left open whose parts have shards on node
 *       2: it drains (the parts' shards included), is removed, stops, deletes its data and leaves the cluster file;
 *       a listener takes its vote; the uploads are then completed and read back.</li>
 *   <li>{@code cluster replace-node 3}: it comes back empty and its shards are rebuilt on it.</li>
 * </ol>
 * Throughout, the load sees no failure a client would not retry (503 SlowDown or ServiceUnavailable are allowed);
 * at the end every object reads back byte-exact with k + m healthy shards on active members, and the shard counts
 * per node are within the ring's load bound.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipClusterIT {
    private static final int SHARDS = 5;
    private static final int OBJECTS = 16;
    private static final String BUCKET = "members";
    /** Nodes the load goes through: never removed or replaced. */
    private static final List<Integer> STEADY = List.of(1, 4, 5);
    private static final Duration SETTLE = Duration.ofSeconds(180);
    /** The size of the single part of each upload left open across a removal. */
    private static final long UPLOAD_PART = 300_000;

    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;
    static final Map<Integer, S3Client> clients = new ConcurrentHashMap<>();
    /** The seed and size of the content each key has once its last write was acknowledged. */
    static final Map<String, long[]> expected = new ConcurrentHashMap<>();
    static final AtomicBoolean loading = new AtomicBoolean(true);
    static final AtomicLong loadRequests = new AtomicLong();
    static final AtomicLong loadRetried = new AtomicLong();
    static final List<String> loadFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    static Thread load;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 5, 3, 2, text -> text.replaceFirst("\n\\[\\[node]]",
                "\n[raft]\nsnapshot_every = 40\nlog_segment_bytes = 16384\n\n[tuning]\nping_interval_ms = 500\n"
                        + "protection_check_interval_ms = 2000\nrepair_check_interval_ms = 500\n"
                        + "repair_round_interval_ms = 1000\ndead_node_grace_ms = 600000\n"
                        + "repair_bytes_per_second = 100000\n\n[[node]]"));
        for (int id : cluster.nodeIds()) {
            clients.put(id, cluster.s3(id));
        }
        clients.get(1).createBucket(b -> b.bucket(BUCKET));
        for (int i = 0; i < OBJECTS; i++) {
            put("obj-" + i, i, 150_000 + 37_000L * i);
        }
        load = new Thread(MembershipClusterIT::runLoad, "membership-load");
        load.setDaemon(true);
        load.start();
    }

    @AfterAll
    static void stop() throws Exception {
        loading.set(false);
        if (load != null) {
            load.join(30_000);
        }
        clients.values().forEach(S3Client::close);
        if (cluster != null) {
            cluster.close();
            // Kept for a failed run: the nodes' logs say what the members and the rebalancer did.
            Path kept = Path.of("target", "it-logs", "MembershipClusterIT");
            java.nio.file.Files.createDirectories(kept);
            try (var logs = java.nio.file.Files.list(cluster.dir().resolve("logs"))) {
                for (Path log : logs.toList()) {
                    java.nio.file.Files.copy(log, kept.resolve(log.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void put(String key, long seed, long size) {
        clients.get(STEADY.get((int) (seed % STEADY.size()))).putObject(b -> b.bucket(BUCKET).key(key),
                Generated.body(seed, size));
        expected.put(key, new long[] {seed, size});
    }

    /**
     * One request at a time, alternately overwriting an object and reading one back, through a random steady node.
     * A request refused with 503 (after the SDK's own retries) or that cannot reach its node is retried through
     * another, as a client would; any other failure is recorded.
     */
    private static void runLoad() {
        Random random = new Random(16);
        long seed = 1000;
        while (loading.get()) {
            String key = "obj-" + random.nextInt(OBJECTS);
            boolean write = random.nextBoolean();
            long nextSeed = seed++;
            for (int attempt = 0; attempt < 20 && loading.get(); attempt++) {
                S3Client client = clients.get(STEADY.get(random.nextInt(STEADY.size())));
                loadRequests.incrementAndGet();
                try {
                    if (write) {
                        long size = 100_000 + nextSeed % 5 * 50_000;
                        client.putObject(b -> b.bucket(BUCKET).key(key), Generated.body(nextSeed, size));
                        expected.put(key, new long[] {nextSeed, size});
                    } else {
                        long[] want = expected.get(key);
                        String md5 = Generated.md5(client.getObject(b -> b.bucket(BUCKET).key(key)));
                        long[] now = expected.get(key);
                        if (want == now && !md5.equals(Generated.md5(want[0], 0, want[1]))) {
                            loadFailures.add("GET " + key + " returned other bytes than its last write");
                        }
                    }
                    break;
                } catch (S3Exception e) {
                    if (e.statusCode() != 503) {
                        loadFailures.add((write ? "PUT " : "GET ") + key + ": " + e.statusCode() + " "
                                + e.awsErrorDetails().errorCode() + " " + e.getMessage());
                        break;
                    }
                    loadRetried.incrementAndGet();
                } catch (SdkClientException e) {
                    loadRetried.incrementAndGet(); // the node is down (killed on purpose): try another
                }
                sleep(200);
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code count} keys (not used by the load) whose shards a write now places on {@code node}: the first k + m
     * nodes of the ring of the active members for the key, as the nodes place a new write.
     */
    private static List<String> keysPlacedOn(int node, int count) throws Exception {
        Ring ring = Ring.of(active().stream().map(id -> new Member(MetaPeerConfig.peerIdOf(id))).toList());
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "upload-" + i;
            if (ring.placement(Ring.hashObject(BUCKET, key), SHARDS).stream()
                    .anyMatch(m -> m.id().equals(MetaPeerConfig.peerIdOf(node)))) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static ClusterProcesses.Result cli(String... args) throws Exception {
        return ClusterProcesses.cli(Duration.ofSeconds(400), args);
    }

    private static String dir() {
        return cluster.dir().toString();
    }

    private static ClusterMembers members() throws Exception {
        return cluster.admin(STEADY.get(0)).members();
    }

    private static MemberState state(String id) throws Exception {
        return members().member(id).map(ClusterMember::state).orElse(null);
    }

    private static Set<Integer> active() throws Exception {
        Set<Integer> ids = new TreeSet<>();
        for (ClusterMember m : members().inState(MemberState.ACTIVE)) {
            ids.add(Integer.parseInt(m.id().substring("node-".length())));
        }
        return ids;
    }

    private static int leader() throws Exception {
        String id = cluster.admin(STEADY.get(0)).raft().leaderId();
        assertThat(id).as("a metadata leader").isNotNull();
        return Integer.parseInt(id.substring("node-".length()));
    }

    private static ProtectionReport protection() throws Exception {
        return cluster.admin(STEADY.get(0)).protection();
    }

    /** Waits until a protection pass at the current epoch finds every object full and nothing to move. */
    private static void awaitSettled() {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            long epoch = members().epoch();
            ProtectionReport r = protection();
            assertThat(r.rebalance()).as("rebalance progress").isNotNull();
            assertThat(r.rebalance().membersEpoch()).as("a pass at the current epoch").isEqualTo(epoch);
            assertThat(r.rebalance().pending()).as("moves left: %s", r.rebalance()).isFalse();
            assertThat(r.cluster().full()).as("objects not full: %s", r.cluster()).isEqualTo(r.cluster().objects());
        });
    }

    private static void roles(int voters, int listeners) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> {
                    Map<RaftRole, Integer> count = new HashMap<>();
                    for (var p : cluster.admin(leader()).raft().peers()) {
                        count.merge(p.role(), 1, Integer::sum);
                    }
                    assertThat(count.getOrDefault(RaftRole.LEADER, 0) + count.getOrDefault(RaftRole.FOLLOWER, 0))
                            .as("voters: %s", count).isEqualTo(voters);
                    assertThat(count.getOrDefault(RaftRole.LISTENER, 0)).as("listeners: %s", count)
                            .isEqualTo(listeners);
                });
    }

    @Test
    @Order(1)
    void addNode_twice_joinsAsActiveMembers() throws Exception {
        // Five active members and five shards per object: none can be removed until a node is added.
        ClusterProcesses.Result refused = cli("cluster", "remove-node", "2", "--dir", dir());
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("add-node");
        assertThat(state("node-2")).isEqualTo(MemberState.ACTIVE);

        for (int id : List.of(6, 7)) {
            ClusterProcesses.Result r = cli("cluster", "add-node", "--dir", dir(), "--heap", cluster.heap(),
                    "--timeout", "180s");
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("node " + id + ": active at");
            cluster.reload();
            assertThat(cluster.nodeIds()).contains(id);
            assertThat(state("node-" + id)).isEqualTo(MemberState.ACTIVE);
            clients.put(id, cluster.s3(id));
        }
    }

    @Test
    @Order(2)
    void killingTheRebalancerAndTheMovedToNode_midMove_losesNothing_rebalanceCompletes_fiveVotersTwoListeners() throws Exception {
        // Once the first shards have been copied onto node 7 and more are left: the repair engine is throttled for
        // this test, so the moves onto it take several seconds.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> {
                    ProtectionReport r = protection();
                    assertThat(r.rebalance()).isNotNull();
                    assertThat(r.rebalance().pending()).as("moves left: %s", r.rebalance()).isTrue();
                    assertThat(cluster.admin(7).status().shardCount()).as("shards copied onto node 7").isPositive();
                });
        int rebalancer = leader(); // the metadata leader runs the repair engine; a listener (6, 7) never leads
        cluster.kill(rebalancer);
        cluster.kill(7);
        sleep(2000);
        cluster.restartStopped();
        awaitSettled();
        roles(5, 2);
        assertThat(cluster.admin(7).status().shardCount()).as("shards moved onto node 7").isPositive();
        assertThat(cluster.admin(6).status().shardCount()).as("shards moved onto node 6").isPositive();
        ClusterProcesses.Result status = cli("cluster", "status", "--dir", dir(), "--json");
        assertThat(status.exit()).as(status.output()).isZero();
        ClusterMembers listed = io.predastore.protocol.admin.AdminJson.read(
                status.output().getBytes(java.nio.charset.StandardCharsets.UTF_8), ClusterMembers.class);
        assertThat(listed.inState(MemberState.ACTIVE)).hasSize(7);
        // The new nodes serve S3 like the others.
        assertThat(Generated.md5(clients.get(7).getObject(b -> b.bucket(BUCKET).key("obj-0"))))
                .isEqualTo(Generated.md5(expected.get("obj-0")[0], 0, expected.get("obj-0")[1]));
    }

    @Test
    @Order(3)
    void twoVotersKilled_withSevenMembers_theMetadataStaysWritable() throws Exception {
        cluster.kill(2);
        cluster.kill(3);
        // Three of the five voters are left: a new bucket and a new object commit (after an election if the
        // leader was one of the two).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> clients.get(1).createBucket(b -> b.bucket("two-voters-down")));
        byte[] body = "written while two voters were down".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        clients.get(4).putObject(b -> b.bucket("two-voters-down").key("k"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
        assertThat(clients.get(6).getObjectAsBytes(b -> b.bucket("two-voters-down").key("k")).asByteArray())
                .isEqualTo(body);
        cluster.restartStopped();
        roles(5, 2);
        awaitSettled();
    }

    @Test
    @Order(4)
    void removeNode_drainsItLeavesTheGroupStopsAndDeletesItsData_evenWithAnUploadLeftOpen() throws Exception {
        Path data = cluster.config().node(2).dataDir();
        // Multipart uploads left open across the removal, with their parts' shards on node 2: the parts are moved
        // off it too, so the removal does not wait for the uploads to be completed or aborted.
        S3Client steady = clients.get(STEADY.get(0));
        Map<String, String> uploads = new TreeMap<>();
        Map<String, String> etags = new TreeMap<>();
        Map<String, Long> seeds = new TreeMap<>();
        for (String key : keysPlacedOn(2, 2)) {
            String uploadId = steady.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
            long seed = 70_000 + uploads.size();
            seeds.put(key, seed);
            etags.put(key, steady.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                    Generated.body(seed, UPLOAD_PART)).eTag());
            uploads.put(key, uploadId);
        }

        ClusterProcesses.Result r = cli("cluster", "remove-node", "2", "--dir", dir(), "--wait", "--timeout",
                "300s");
        assertThat(r.exit()).as(r.output()).isZero();
        for (Map.Entry<String, String> u : uploads.entrySet()) {
            String key = u.getKey();
            steady.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(u.getValue())
                    .multipartUpload(m -> m.parts(software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                            .partNumber(1).eTag(etags.get(key)).build())));
            long seed = seeds.get(key);
            assertThat(Generated.md5(steady.getObject(b -> b.bucket(BUCKET).key(key))))
                    .as("%s completed after node 2 left", key).isEqualTo(Generated.md5(seed, 0, UPLOAD_PART));
            // The final check reads it through every active member and checks where its shards are.
            expected.put(key, new long[] {seed, UPLOAD_PART});
        }
        assertThat(state("node-2")).isEqualTo(MemberState.REMOVED);
        assertThat(cluster.alive(2)).isFalse();
        cluster.reload();
        assertThat(cluster.nodeIds()).doesNotContain(2);
        assertThat(data.resolve("shards")).as("node 2's shards are deleted").doesNotExist();
        assertThat(data.resolve("meta")).as("node 2's metadata is deleted").doesNotExist();
        clients.remove(2).close();
        assertThat(active()).containsExactly(1, 3, 4, 5, 6, 7);
        // node 2 was a voter: a listener takes its vote.
        roles(5, 1);
        awaitSettled();
    }

    @Test
    @Order(5)
    void replaceNode_rebuildsItsShardsOnTheEmptyNode() throws Exception {
        ClusterProcesses.Result r = cli("cluster", "replace-node", "3", "--dir", dir(), "--force", "--heap",
                cluster.heap());
        assertThat(r.exit()).as(r.output()).isZero();
        awaitSettled();
        assertThat(cluster.admin(3).status().shardCount()).as("shards rebuilt on node 3").isPositive();
    }

    @Test
    @Order(6)
    void afterAll_everyObjectReadsBackWithFullShardsOnActiveMembers_andLoadsWithinTheBound() throws Exception {
        loading.set(false);
        load.join(60_000);
        assertThat(loadFailures).as("load failures (of %d requests, %d retried)", loadRequests.get(),
                loadRetried.get()).isEmpty();
        assertThat(loadRequests.get()).isGreaterThan(50);
        awaitSettled();
        Set<Integer> active = active();
        Map<Integer, Integer> perNode = new HashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            for (int via : active) {
                assertThat(Generated.md5(clients.get(via).getObject(b -> b.bucket(BUCKET).key(e.getKey()))))
                        .as("%s via node %d", e.getKey(), via).isEqualTo(Generated.md5(e.getValue()[0], 0,
                                e.getValue()[1]));
            }
            ObjectPlacement p = cluster.admin(1).placement(BUCKET, e.getKey()).orElseThrow();
            for (SegmentPlacement s : p.segments()) {
                Set<String> nodes = new TreeSet<>();
                for (ShardPlacement shard : s.shards()) {
                    assertThat(shard.state()).as("%s shard %d", e.getKey(), shard.index()).isEqualTo(ShardState.PRESENT);
                    int node = Integer.parseInt(shard.nodeId().substring("node-".length()));
                    assertThat(active).as("%s shard %d on an active member", e.getKey(), shard.index())
                            .contains(node);
                    nodes.add(shard.nodeId());
                    perNode.merge(node, 1, Integer::sum);
                }
                assertThat(nodes).as("%s: %d distinct nodes", e.getKey(), SHARDS).hasSize(SHARDS);
            }
        }
        double average = perNode.values().stream().mapToInt(Integer::intValue).sum() / (double) active.size();
        assertThat(perNode.values()).as("shards per node %s, average %.1f", perNode, average)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo((int) Math.ceil(average * 1.25)));
    }
}
