package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.NodeConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Changing the members of a running dev cluster with the command line, as a user does: five nodes, RS 3+2;
 * {@code cluster remove-node} refused while only data + parity members are active; {@code cluster add-node} makes a
 * sixth that joins, becomes active, serves what the others stored and is in the cluster file and in
 * {@code cluster status}; then {@code cluster remove-node 2 --wait} drains node 2 until it has left and drops it from
 * the cluster file.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipCliIT {
    private static final String BUCKET = "members";
    private static final byte[] BODY = "stored before the sixth node came".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;

    @BeforeAll
    static void start() throws Exception {
        // A protection pass every 2 s: a draining member is removed after two passes find nothing left on it.
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 5, 3, 2, text -> text.replaceFirst("\n\\[\\[node]]",
                "\n[tuning]\nprotection_check_interval_ms = 2000\nrepair_check_interval_ms = 500\n"
                        + "repair_round_interval_ms = 2000\n\n[[node]]"));
        try (S3Client s3 = cluster.s3(1)) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putObject(b -> b.bucket(BUCKET).key("before"), RequestBody.fromBytes(BODY));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ClusterProcesses.Result cli(Duration timeout, String... args) throws Exception {
        return ClusterProcesses.cli(timeout, args);
    }

    private static ClusterProcesses.Result status() throws Exception {
        return cli(Duration.ofSeconds(60), "cluster", "status", "--dir", cluster.dir().toString());
    }

    @Test
    @Order(1)
    void removeNode_withOnlyDataPlusParityActive_isRefusedSayingWhy() throws Exception {
        ClusterProcesses.Result r = cli(Duration.ofSeconds(60), "cluster", "remove-node", "2", "--dir",
                cluster.dir().toString());

        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("error: not removing node 2: the cluster would keep 4 active member(s), "
                + "fewer than the 5 (data + parity = 3 + 2)").contains("Add a node first");
        assertThat(status().output()).containsPattern("(?m)^2\\s+active\\s+alive");
    }

    @Test
    @Order(2)
    void addNode_joinsBecomesActive_andIsInTheClusterFileAndTheStatus() throws Exception {
        ClusterProcesses.Result r = cli(Duration.ofSeconds(330), "cluster", "add-node", "--dir",
                cluster.dir().toString(), "--heap", ClusterProcesses.DEFAULT_HEAP, "--timeout", "300s");

        cluster.reload();
        assertThat(r.exit()).as(r.output()).isZero();
        ClusterConfig file = ClusterConfigLoader.load(cluster.dir().resolve("cluster.toml"));
        assertThat(file.nodes()).extracting(NodeConfig::id).containsExactly(1, 2, 3, 4, 5, 6);
        NodeConfig sixth = file.node(6);
        assertThat(r.output()).contains("node 6: added to the member list as joining (ring epoch ",
                "node 6: appended to " + file.file(), "node 6: active at " + sixth.s3Endpoint() + " (pid ",
                "Follow the rebalance:       predastore-node cluster health --dir " + cluster.dir());
        ClusterProcesses.Result s = status();
        for (int id = 1; id <= 6; id++) {
            assertThat(s.output()).as(s.output()).containsPattern("(?m)^" + id + "\\s+active\\s+alive");
        }
        assertThat(s.output()).containsPattern("Member list: ring epoch \\d+, from node 1; 6 active of 6 member");
        ClusterProcesses.Result json = cli(Duration.ofSeconds(60), "cluster", "status", "--dir",
                cluster.dir().toString(), "--json");
        assertThat(json.exit()).as(json.output()).isZero();
        ClusterMembers members = AdminJson.read(json.output(), ClusterMembers.class);
        assertThat(members.inState(MemberState.ACTIVE)).extracting(ClusterMember::id)
                .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
        assertThat(members.epoch()).isGreaterThanOrEqualTo(3);
        try (S3Client s3 = Clients.s3(URI.create(sixth.s3Endpoint()), file.credentials().accessKey(),
                file.credentials().secretKey())) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("before")).asByteArray()).isEqualTo(BODY);
        }
    }

    @Test
    @Order(3)
    void removeNode_wait_drainsTheNodeUntilItLeaves_andDropsItFromTheClusterFile() throws Exception {
        ClusterProcesses.Result r = cli(Duration.ofSeconds(330), "cluster", "remove-node", "2", "--dir",
                cluster.dir().toString(), "--wait", "--timeout", "300s");
        cluster.reload();

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("node 2: draining (ring epoch ", "node 2: removed; its process has exited",
                "node 2: dropped its [[node]] from ");
        ClusterConfig file = ClusterConfigLoader.load(cluster.dir().resolve("cluster.toml"));
        assertThat(file.nodes()).extracting(NodeConfig::id).containsExactly(1, 3, 4, 5, 6);
        assertThat(cluster.dir().resolve("node-2")).doesNotExist();
        ClusterProcesses.Result s = status();
        assertThat(s.output()).as(s.output()).containsPattern("(?m)^2\\s+removed\\s+stopped")
                .doesNotContainPattern("(?m)^2\\s+(active|draining|joining)")
                .containsPattern("Member list: ring epoch \\d+, from node 1; 5 active of 6 member");
        try (S3Client s3 = cluster.s3(1)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("before")).asByteArray()).isEqualTo(BODY);
        }
    }

    @Test
    @Order(4)
    void down_stopsEveryNode_theAddedOneToo() throws Exception {
        ClusterProcesses.Result r = cli(Duration.ofSeconds(120), "cluster", "down", "--dir",
                cluster.dir().toString());

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("node 6: stopped");
        for (int id = 1; id <= 6; id++) {
            assertThat(PidFiles.liveProcess(cluster.dir(), id)).as("node %d", id).isEmpty();
        }
    }
}
