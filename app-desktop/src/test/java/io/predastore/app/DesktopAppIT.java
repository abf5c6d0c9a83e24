package io.predastore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.app.browser.ObjectRow;
import io.predastore.app.cluster.NodeRow;
import io.predastore.app.ring.ShardMark;
import io.predastore.node.cluster.NodeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The app's main window, headless, on a real five-node dev cluster created through the welcome screen: nodes come
 * up, one is stopped with its button, a file is uploaded, listed, downloaded and its shards shown on the ring.
 * Every node started here is stopped afterwards.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DesktopAppIT {
    private static final String BUCKET = "desktop-it";

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

    private static <T> T fx(Callable<T> call) throws Exception {
        return WaitForAsyncUtils.asyncFx(call).get(10, TimeUnit.SECONDS);
    }

    private void screenshot(String tabId, String name) throws Exception {
        if (!Screenshots.enabled()) {
            return;
        }
        fx(() -> {
            if (tabId != null) {
                app.mainView().tabs().getSelectionModel().select(
                        app.mainView().tabs().getTabs().stream().filter(t -> tabId.equals(t.getId())).findFirst()
                                .orElseThrow());
            }
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> {
            Screenshots.save(app.mainView().getScene(), name);
            return null;
        });
    }

    /** The supervisor's view and the log tail of every node that is not running, for failure messages. */
    private static String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (io.predastore.node.cluster.NodeStatus s : app.cluster().statuses()) {
            sb.append("\nnode ").append(s.nodeId()).append(": ").append(s.state()).append(' ')
                    .append(s.detail() == null ? "" : s.detail());
            if (s.state() != NodeState.RUNNING) {
                List<String> log = app.cluster().logTail(s.nodeId());
                sb.append("\n  ").append(String.join("\n  ", log.subList(Math.max(0, log.size() - 25), log.size())));
            }
        }
        return sb.toString();
    }

    private List<NodeRow> rows() throws Exception {
        return fx(() -> List.copyOf(app.nodesViewModel().rows()));
    }

    @Test
    void createClusterStopNodeUploadDownloadAndShowPlacement() throws Exception {
        Path clusterDir = tmp.resolve("cluster");
        screenshot(null, "welcome");

        // Create the cluster through the welcome screen.
        fx(() -> {
            app.welcomeViewModel().folderProperty().set(clusterDir.toString());
            return null;
        });
        robot.clickOn("#create-cluster");

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows()).as(DesktopAppIT::describeNodes)
                        .hasSize(5).allMatch(r -> r.state() == NodeState.RUNNING, "RUNNING"));
        TableView<?> table = robot.lookup("#nodes-table").queryTableView();
        assertThat(fx(() -> table.getItems().size())).isEqualTo(5);

        // Stop node 5 with its button and see the state change.
        fx(() -> {
            table.getSelectionModel().select(4);
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> app.nodesViewModel().canStopProperty().get()));
        robot.clickOn("#node-stop");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(rows().get(4).state()).isEqualTo(NodeState.STOPPED));
        assertThat(rows().subList(0, 4)).allMatch(r -> r.state() == NodeState.RUNNING, "RUNNING");
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> app.nodesViewModel().canStartProperty().get()));
        Button start = robot.lookup("#node-start").queryButton();
        assertThat(fx(start::isDisabled)).isFalse();

        // Writes need every shard's node (3+2 on 5 nodes): start node 5 again with its button.
        robot.clickOn("#node-start");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(rows().get(4).state()).as(DesktopAppIT::describeNodes).isEqualTo(NodeState.RUNNING));

        // Create a bucket and upload a file through the drop intent.
        fx(() -> {
            app.browserViewModel().createBucket(BUCKET);
            return null;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> BUCKET.equals(
                app.browserViewModel().bucketProperty().get())));
        byte[] content = new byte[300_000];
        new Random(42).nextBytes(content);
        Path file = tmp.resolve("report.bin");
        Files.write(file, content);
        fx(() -> {
            app.browserViewModel().upload(List.of(file));
            return null;
        });
        // Until the other nodes see node 5 alive again an upload may be refused; drop the file again then.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            fx(() -> {
                if (app.browserViewModel().uploads().get(0).statusProperty().get().startsWith("failed")) {
                    app.browserViewModel().upload(List.of(file));
                }
                return null;
            });
            assertThat(fx(() -> List.copyOf(app.browserViewModel().entries())))
                        .as(fx(() -> "upload " + app.browserViewModel().uploads().get(0).statusProperty().get()
                                + ", notification: " + app.mainView().notificationText()))
                        .extracting(ObjectRow::name, ObjectRow::size)
                        .contains(org.assertj.core.groups.Tuple.tuple("report.bin", (long) content.length));
        });
        assertThat(fx(() -> app.browserViewModel().uploads().get(0).progressProperty().get())).isEqualTo(1.0);

        // Download it and compare.
        Path downloaded = tmp.resolve("downloaded.bin");
        CountDownLatch done = new CountDownLatch(1);
        fx(() -> {
            app.browserViewModel().download("report.bin", downloaded, done::countDown);
            return null;
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);

        // Show where its shards are.
        fx(() -> {
            app.mainView().tabs().getSelectionModel().select(1);
            app.ringViewModel().bucketProperty().set(BUCKET);
            app.ringViewModel().keyProperty().set("report.bin");
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#show-placement");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(fx(() -> List.copyOf(app.ringViewModel().shards()))).extracting(ShardMark::label)
                    .containsExactly("D0", "D1", "D2", "P0", "P1");
            assertThat(fx(() -> robot.lookup(".shard-mark").queryAll().size())).isEqualTo(5);
        });
        assertThat(fx(() -> app.ringViewModel().healthProperty().get())).contains("readable");

        if (Screenshots.enabled()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(rows()).allMatch(r -> r.state() == NodeState.RUNNING, "RUNNING"));
            Thread.sleep(2500);
            fx(() -> {
                app.nodesViewModel().selectedNodeProperty().set(1);
                return null;
            });
            Thread.sleep(1200);
            screenshot("tab-nodes", "nodes");
            fx(() -> {
                app.ringViewModel().showPlacement();
                return null;
            });
            Thread.sleep(1000);
            screenshot("tab-ring", "ring");
            screenshot("tab-raft", "raft");
            screenshot("tab-buckets", "buckets");
        }
    }
}
