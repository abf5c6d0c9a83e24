package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.admin.RaftRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Self-healing with real node processes: seven nodes, RS 3+2, a protection pass every 2 s and a dead-node grace of
 * 40 s. The metadata group has five voters and two listeners, so three nodes can be down while it keeps a majority
 * when one of them is a listener.
 * <ol>
 *   <li>A node whose data directory is wiped (shards and metadata; its cluster secret kept) rejoins Raft by a
 *       snapshot install, and its absent shards are found by the protection pass and rebuilt in place until
 *       {@code cluster health} says every object is full again; every object then reads back byte-exact through it
 *       with two other nodes killed.</li>
 *   <li>{@code cluster replace-node} empties a node's data directory and starts it again; its shards are rebuilt in
 *       place.</li>
 *   <li>A node killed for good is declared lost after the grace and its shards are rebuilt on the six survivors,
 *       each on a node holding no other shard of its set, until every object is full again; every object then
 *       reads back byte-exact with two more nodes killed.</li>
 *   <li>Once those two are lost too, the four survivors cannot hold five shards each: {@code cluster health} says
 *       exactly what is left, every object degraded by one shard.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelfHealingClusterIT {
    private static final int NODES = 7;
    private static final int SHARDS = 5;
    private static final int OBJECTS = 6;
    private static final long SIZE = 700_000;
    private static final String BUCKET = "healing";
    /** Long enough for the wiped node's downtime, short enough for the test's patience. */
    private static final Duration GRACE = Duration.ofSeconds(40);
    private static final Duration HEAL_WAIT = Duration.ofSeconds(180);

    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;
    static final Map<Integer, S3Client> clients = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), NODES, 3, 2, text -> text.replaceFirst("\n\\[\\[node]]",
                "\n[raft]\nsnapshot_every = 40\nlog_segment_bytes = 16384\n\n[tuning]\nping_interval_ms = 500\n"
                        + "protection_check_interval_ms = 2000\nrepair_check_interval_ms = 500\n"
                        + "repair_round_interval_ms = 2000\ndead_node_grace_ms = " + GRACE.toMillis() + "\n\n[[node]]"));
        for (int id : cluster.nodeIds()) {
            clients.put(id, cluster.s3(id));
        }
        clients.get(1).createBucket(b -> b.bucket(BUCKET));
        for (int i = 0; i < OBJECTS; i++) {
            int seed = i;
            clients.get(1 + i % NODES).putObject(b -> b.bucket(BUCKET).key("obj-" + seed), Generated.body(seed, SIZE + seed));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        clients.values().forEach(S3Client::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ClusterProcesses.Result health(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("cluster", "health", "--dir", cluster.dir().toString()));
        args.addAll(List.of(extra));
        return ClusterProcesses.cli(Duration.ofSeconds(60), args.toArray(String[]::new));
    }

    private static String firstLine(ClusterProcesses.Result r) {
        return r.output().lines().filter(l -> l.startsWith("protection:")).findFirst().orElse(r.output());
    }

    private static void awaitHealth(String summary, int exit) {
        await().atMost(HEAL_WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            ClusterProcesses.Result r = health();
            assertThat(firstLine(r)).as(r.output()).isEqualTo(summary);
            assertThat(r.exit()).as(r.output()).isEqualTo(exit);
        });
    }

    private static int leader() throws Exception {
        for (int id : cluster.nodeIds()) {
            if (cluster.alive(id)) {
                String leader = cluster.admin(id).raft().leaderId();
                if (leader != null) {
                    return Integer.parseInt(leader.substring("node-".length()));
                }
            }
        }
        throw new AssertionError("no leader");
    }

    private static void assertAllReadBack(int via) {
        for (int i = 0; i < OBJECTS; i++) {
            int seed = i;
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Generated.md5(clients.get(via).getObject(b -> b.bucket(BUCKET).key("obj-" + seed))))
                            .as("obj-%d via node %d", seed, via).isEqualTo(Generated.md5(seed, 0, SIZE + seed)));
        }
    }

    /** The first index of node {@code nodeId}'s Raft log on disk (segment file names carry it). */
    private static long oldestLogIndex(int nodeId) {
        Path raft = cluster.config().node(nodeId).dataDir().resolve("meta").resolve("raft");
        java.util.regex.Pattern segment = java.util.regex.Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");
        long oldest = Long.MAX_VALUE;
        try (Stream<Path> files = Files.walk(raft, 3)) {
            for (Path f : files.toList()) {
                java.util.regex.Matcher m = segment.matcher(f.getFileName().toString());
                if (m.matches() && f.getParent().getFileName().toString().equals("current")) {
                    oldest = Math.min(oldest, Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return oldest == Long.MAX_VALUE ? 0 : oldest;
    }

    private static ProtectionReport report() throws Exception {
        return AdminJson.read(health("--json").output().trim(), ProtectionReport.class);
    }

    /** How many shards node {@code id} holds (one per object at most). */
    private static long shardsOn(ProtectionReport report, int id) {
        return report.nodes().stream().filter(n -> n.nodeId().equals("node-" + id)).findFirst().orElseThrow()
                .shards();
    }

    /** The node other than the leader (and {@code except}) holding the most shards. */
    private static int busiestFollower(int leader, List<Integer> except) throws Exception {
        return busiestFollower(leader, except, id -> true);
    }

    private static int busiestFollower(int leader, List<Integer> except, java.util.function.IntPredicate eligible)
            throws Exception {
        ProtectionReport report = report();
        return cluster.nodeIds().stream().filter(id -> id != leader && !except.contains(id) && cluster.alive(id)
                        && eligible.test(id))
                .max(Comparator.comparingLong((Integer id) -> shardsOn(report, id)).thenComparing(id -> -id))
                .orElseThrow();
    }

    /** The metadata group's voters, by node id, as its leader reports them (the other members are listeners). */
    private static java.util.Set<Integer> voters(int leader) throws Exception {
        java.util.Set<Integer> ids = new java.util.TreeSet<>();
        for (RaftPeerStatus p : cluster.admin(leader).raft().peers()) {
            if (p.role() == RaftRole.LEADER || p.role() == RaftRole.FOLLOWER) {
                ids.add(Integer.parseInt(p.id().substring("node-".length())));
            }
        }
        assertThat(ids).as("voters of seven members").hasSize(5);
        return ids;
    }

    private static String degraded(long degraded) {
        return "protection: " + (OBJECTS - degraded) + " full, " + degraded + " degraded, 0 at risk, 0 unreadable";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @Order(1)
    void aWipedNode_rejoinsBySnapshot_andItsShardsAreRebuiltInPlace_untilEveryObjectIsFull() throws Exception {
        String full = "protection: " + OBJECTS + " full, 0 degraded, 0 at risk, 0 unreadable";
        awaitHealth(full, 0);
        int leader = leader();
        int victim = busiestFollower(leader, List.of());
        long held = shardsOn(report(), victim);
        assertThat(held).as("shards on node %d", victim).isPositive();
        cluster.stop(victim);
        long stoppedAt = System.nanoTime();
        Path data = cluster.config().node(victim).dataDir();
        deleteTree(data.resolve("shards"));
        deleteTree(data.resolve("meta"));
        int logLength = cluster.log(victim).length();

        // With the victim down, every object with a shard on it is degraded by one.
        awaitHealth(degraded(held), 1);
        // Metadata writes while it is down, until every survivor has snapshotted and purged the start of its log:
        // the wiped node can then only catch up by the leader sending it a snapshot.
        List<Integer> survivors = cluster.nodeIds().stream().filter(id -> id != victim).toList();
        int created = 0;
        while (survivors.stream().mapToLong(SelfHealingClusterIT::oldestLogIndex).min().orElseThrow() <= 1) {
            assertThat(created).as("buckets created without the log being purged").isLessThan(3000);
            for (int i = 0; i < 100; i++) {
                String name = "filler-" + created++;
                await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        clients.get(leader).createBucket(b -> b.bucket(name)));
            }
        }

        Duration down = Duration.ofNanos(System.nanoTime() - stoppedAt);
        // Past the grace the node would be lost and its shards rebuilt elsewhere, not in place.
        assertThat(down).as("how long the wiped node was down").isLessThan(GRACE.minusSeconds(5));
        cluster.restartStopped();
        awaitHealth(full, 0);
        String sinceRestart = cluster.log(victim).substring(logLength);
        assertThat(sinceRestart).as("node %d log since its restart", victim)
                .contains("restoring metadata from snapshot");
        System.out.printf("healing: node %d wiped; %d buckets created while it was down; %s%n", victim, created,
                sinceRestart.lines().filter(l -> l.contains("restoring metadata from snapshot")).findFirst()
                        .orElse(""));
        ProtectionReport report = report();
        assertThat(shardsOn(report, victim)).isEqualTo(held);
        assertThat(report.repairs().repairedSets()).isGreaterThanOrEqualTo(held);

        // Its rebuilt shards carry the data: with two other nodes killed, every object reads back through it.
        List<Integer> others = cluster.nodeIds().stream().filter(id -> id != victim).limit(2).toList();
        for (int id : others) {
            cluster.kill(id);
        }
        assertAllReadBack(victim);
        cluster.restartStopped();
        awaitHealth(full, 0);
    }

    @Test
    @Order(2)
    void replaceNode_refusedForAnUnknownNode_thenRefillsTheReplacedNodeInPlace() throws Exception {
        String full = "protection: " + OBJECTS + " full, 0 degraded, 0 at risk, 0 unreadable";
        ClusterProcesses.Result unknown = ClusterProcesses.cli(Duration.ofSeconds(60), "cluster", "replace-node", "99",
                "--dir", cluster.dir().toString());
        assertThat(unknown.exit()).as(unknown.output()).isEqualTo(2);
        assertThat(unknown.output()).contains("the cluster has no node 99");

        int leader = leader();
        int replaced = busiestFollower(leader, List.of());
        long held = shardsOn(report(), replaced);
        ClusterProcesses.Result r = ClusterProcesses.cli(Duration.ofSeconds(180), "cluster", "replace-node",
                Integer.toString(replaced), "--dir", cluster.dir().toString(), "--heap", "128m");
        assertThat(r.exit()).as(r.output()).isZero();
        Path data = cluster.config().node(replaced).dataDir().toRealPath();
        assertThat(r.output()).contains("node " + replaced + ": deleted [" + data.resolve("shards") + ", "
                + data.resolve("meta") + "]").contains("node " + replaced + " started empty")
                .contains("Follow the rebuild with: predastore-node cluster health --dir");
        awaitHealth(full, 0);
        assertThat(shardsOn(report(), replaced)).as("rebuilt in place").isEqualTo(held);
        assertAllReadBack(replaced);
    }

    @Test
    @Order(3)
    void aNodeKilledForGood_isRebuiltOnTheSurvivorsAfterTheGrace_andEveryObjectThenSurvivesTwoMoreKills()
            throws Exception {
        String full = "protection: " + OBJECTS + " full, 0 degraded, 0 at risk, 0 unreadable";
        int leader = leader();
        int gone = busiestFollower(leader, List.of());
        long held = shardsOn(report(), gone);
        long repairedBefore = report().repairs().repairedSets();
        cluster.kill(gone);
        awaitHealth(degraded(held), 1);

        // Past the grace the node is lost and its shards are rebuilt on the six survivors.
        awaitHealth(full, 0);
        ProtectionReport report = report();
        assertThat(report.nodes()).filteredOn(n -> n.nodeId().equals("node-" + gone)).singleElement()
                .satisfies(n -> assertThat(n.lost()).isTrue());
        assertThat(report.nodes().stream().filter(n -> !n.nodeId().equals("node-" + gone))
                .mapToLong(n -> n.shards()).sum()).as("shards on the survivors").isEqualTo((long) OBJECTS * SHARDS);
        assertThat(report.repairs().repairedSets() - repairedBefore).isGreaterThanOrEqualTo(held);
        assertThat(health().output()).contains("node-" + gone + ": LOST since");

        // Full protection again: two more nodes may go. Of the five voters, at most two may be among the three down.
        java.util.Set<Integer> voters = voters(leader);
        List<Integer> killed = new ArrayList<>(List.of(gone));
        for (int k = 0; k < 2; k++) {
            boolean voterMayGo = killed.stream().filter(voters::contains).count() < 2;
            int next = busiestFollower(leader, killed, id -> voterMayGo || !voters.contains(id));
            killed.add(next);
            cluster.kill(next);
        }
        for (int id : cluster.nodeIds()) {
            if (cluster.alive(id)) {
                assertAllReadBack(id);
            }
        }
    }

    @Test
    @Order(4)
    void whenTooFewNodesRemainForFullProtection_healthSaysExactlyWhatIsLeft() throws Exception {
        // Three of seven nodes lost: the four survivors hold at most four shards of each object, never five.
        awaitHealth(degraded(OBJECTS), 1);
        await().atMost(HEAL_WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            ProtectionReport report = report();
            assertThat(report.nodes().stream().filter(NodeProtection::lost).count()).isEqualTo(3);
            assertThat(report.nodes().stream().filter(n -> !n.lost()).mapToLong(NodeProtection::shards).sum())
                    .as("every object rebuilt to one shard per survivor").isEqualTo((long) OBJECTS * (NODES - 3));
        });
        ClusterProcesses.Result r = health();
        assertThat(firstLine(r)).isEqualTo(degraded(OBJECTS));
        assertAllReadBack(leader());
    }
}
