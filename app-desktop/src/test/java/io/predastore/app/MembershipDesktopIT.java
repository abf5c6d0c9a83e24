package io.predastore.app;

import static io.predastore.app.FxThread.fx;
import static io.predastore.app.FxThread.fxRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.app.cluster.NodeRow;
import io.predastore.app.health.HealthViewModel;
import io.predastore.app.raft.PeerRow;
import io.predastore.app.ring.RingMemberInfo;
import io.predastore.app.ring.RingPane;
import io.predastore.node.supervisor.DevClusterInit;
import io.predastore.node.supervisor.HttpTls;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.PortAllocator;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adding and removing a node from the nodes screen, on a real three-node 2+1 dev cluster opened from the welcome
 * screen (the smallest that can grow and shrink: removing a node of three would leave fewer than data + parity, so
 * the button says why it is off). Add node, confirmed in its dialog, makes node-4: it shows in the nodes table as
 * a member, on the ring, and in the Raft group as a listener (three voters stay), and the rebalance progress reaches
 * 100 % with shards moved onto it. Remove node on node-2 then makes it draining, and once its shards have moved
 * and it has exited it leaves the table and the cluster file; every object still reads back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MembershipDesktopIT {
    private static final String BUCKET = "members-it";
    /** Enough that adding a fourth node to three moves a shard of some set (each set misses it with p = 1/4). */
    private static final int OBJECTS = 8;
    /** How often the cluster's protection pass runs in this test. */
    private static final long PASS_MS = 2_000;

    @TempDir
    static Path tmp;

    private static PredastoreApp app;
    private final FxRobot robot = new FxRobot();

    @BeforeAll
    static void launch() throws Exception {
        System.setProperty("predastore.configDir", tmp.resolve("config").toString());
        FxToolkit.registerPrimaryStage();
        app = (PredastoreApp) FxToolkit.setupApplication(PredastoreApp.class);
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (app != null) {
            app.cluster().stopAll();
            FxToolkit.cleanupApplication(app);
        }
        FxToolkit.cleanupStages();
    }

    private static List<NodeRow> rows() throws Exception {
        return fx(() -> List.copyOf(app.nodesViewModel().rows()));
    }

    private static NodeRow row(int id) throws Exception {
        return rows().stream().filter(r -> r.id() == id).findFirst().orElse(null);
    }

    private static HealthViewModel health() {
        return app.healthViewModel();
    }

    private static S3Client s3(int nodeId) {
        ClusterConfig c = app.cluster().config();
        return S3Client.builder().endpointOverride(URI.create(c.node(nodeId).s3Endpoint()))
                .region(Region.of(c.region())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        c.credentials().accessKey(), c.credentials().secretKey())))
                .build();
    }

    private static byte[] body(int i) {
        byte[] b = new byte[20_000 + i * 1_000];
        Arrays.fill(b, (byte) (i + 1));
        return b;
    }

    @Test
    void addNode_joinsRingAndRaftAsListener_rebalances_thenRemoveNode_drainsAndLeaves() throws Exception {
        Path clusterFile = devCluster(tmp.resolve("cluster"));
        fxRun(() -> app.welcomeViewModel().open(clusterFile));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows()).hasSize(3).allMatch(r -> r.state() == NodeState.RUNNING, "RUNNING")
                        .allMatch(r -> r.memberState().equals("active"), "active"));

        try (S3Client s3 = s3(1)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> s3.createBucket(b -> b.bucket(BUCKET)) != null);
            for (int i = 0; i < OBJECTS; i++) {
                String key = "object-" + i;
                byte[] body = body(i);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body))
                                != null);
            }
        }
        fxRun(() -> app.mainView().showTab("tab-nodes"));

        // Three members of 2+1: none may go; the button is off and says why, as the cluster would.
        fxRun(() -> app.nodesViewModel().selectedNodeProperty().set(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fx(() -> app.nodesViewModel().removeBlockedProperty().get()))
                        .contains("would leave 2 active members, fewer than the 3"));
        assertThat(fx(() -> robot.lookup("#node-remove").queryButton().isDisabled())).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> fx(() -> app.nodesViewModel().canAddProperty().get()));
        robot.clickOn("#node-add");
        assertThat(confirmText()).startsWith("node-4 joins; about ");
        confirm();

        boolean[] shotJoining = {false};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            NodeRow added = row(4);
            assertThat(added).as("node-4 in the table").isNotNull();
            if (!shotJoining[0] && added.memberState().equals("joining")) {
                shotJoining[0] = true;
                screenshot("tab-nodes", "nodes-joining");
            }
            assertThat(added.state()).isEqualTo(NodeState.RUNNING);
            assertThat(added.memberState()).isEqualTo("active");
            assertThat(added.raftRole()).isEqualTo("listener");
        });
        assertThat(app.cluster().config().nodes()).extracting(NodeConfig::id).containsExactly(1, 2, 3, 4);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(fx(() -> List.copyOf(app.ringViewModel().members()))).extracting(RingMemberInfo::id)
                    .containsExactly("node-1", "node-2", "node-3", "node-4");
            assertThat(fx(() -> List.copyOf(app.raftViewModel().peers())))
                    .anySatisfy(p -> assertThat(p).extracting(PeerRow::id, PeerRow::role)
                            .containsExactly("node-4", "listener"))
                    .filteredOn(p -> !p.role().equals("listener")).hasSize(3);
        });
        screenshot("tab-ring", "ring-after-join");

        // Shards move onto node-4 until nothing is left to move at the new epoch.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(fx(() -> health().rebalanceProperty().get())).as("moved shards, nothing left")
                    .startsWith("rebalance: nothing to move (");
            assertThat(fx(() -> health().rebalanceProgressProperty().get())).isEqualTo(1.0);
        });
        screenshot("tab-health", "health-rebalance");

        fxRun(() -> app.nodesViewModel().selectedNodeProperty().set(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> app.nodesViewModel().canRemoveProperty().get()));
        fxRun(() -> app.mainView().showTab("tab-nodes"));
        robot.clickOn("#node-remove");
        assertThat(confirmText()).startsWith("node-2's ");
        confirm();
        boolean[] shotDraining = {false};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            NodeRow leaving = row(2);
            if (!shotDraining[0] && leaving != null && leaving.memberState().equals("draining")) {
                shotDraining[0] = true;
                screenshot("tab-nodes", "nodes-draining");
                screenshot("tab-ring", "ring-draining");
            }
            assertThat(rows()).as(MembershipDesktopIT::describe).extracting(NodeRow::id).containsExactly(1, 3, 4);
            assertThat(ClusterConfigLoader.load(app.cluster().config().file()).nodes()).extracting(NodeConfig::id)
                    .containsExactly(1, 3, 4);
        });
        assertThat(shotDraining[0] || !Screenshots.enabled()).as("node-2 was seen draining").isTrue();
        try (S3Client s3 = s3(1)) {
            for (int i = 0; i < OBJECTS; i++) {
                int n = i;
                assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("object-" + n)).asByteArray())
                        .isEqualTo(body(n));
            }
        }
    }

    /**
     * A 3-node 2+1 dev cluster as {@code cluster init} (and the welcome screen's Create) makes it, with the
     * protection pass every {@value #PASS_MS} ms instead of every minute: the pass finds the shards to move and says
     * when a draining node is empty, so the default would make this test wait minutes between the steps.
     */
    private static Path devCluster(Path dir) throws Exception {
        Files.createDirectories(dir);
        ClusterConfig config = DevClusterInit.create(dir, 3, new ErasureConfig(2, 1), "127.0.0.1",
                PortAllocator.from(InetAddress.getLoopbackAddress(), 0), HttpTls.AUTO);
        Files.writeString(config.file(), "\n[tuning]\nprotection_check_interval_ms = " + PASS_MS
                + "\nrepair_check_interval_ms = 500\n", StandardOpenOption.APPEND);
        assertThat(ClusterConfigLoader.load(config.file()).tuning().protectionCheckInterval())
                .isEqualTo(Duration.ofMillis(PASS_MS));
        return config.file();
    }

    /** What the screens say about the members and the moves, for a failed wait. */
    private static String describe() {
        try {
            return fx(() -> app.nodesViewModel().memberSummaryProperty().get() + " / " + rows() + " / "
                    + health().rebalanceProperty().get() + " / " + health().drainingProperty().get());
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The text of the open member-change confirmation. */
    private String confirmText() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> robot.lookup("#member-confirm").tryQuery()
                .isPresent()));
        return fx(() -> robot.lookup("#member-confirm").queryAs(DialogPane.class).getContentText());
    }

    private void confirm() throws Exception {
        Node ok = fx(() -> robot.lookup("#member-confirm").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        robot.clickOn(ok);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> robot.lookup("#member-confirm").tryQuery()
                .isEmpty()));
    }

    private static void screenshot(String tab, String name) throws Exception {
        if (!Screenshots.enabled()) {
            return;
        }
        fxRun(() -> app.mainView().showTab(tab));
        WaitForAsyncUtils.waitForFxEvents();
        if (tab.equals("tab-ring")) {
            // The drawing as it settles after the epoch change, not midway.
            RingPane ring = (RingPane) fx(() -> app.mainView().getScene().lookup("#ring-view"));
            await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> !ring.animating()));
        }
        fxRun(() -> Screenshots.save(app.mainView().getScene(), name));
    }
}
