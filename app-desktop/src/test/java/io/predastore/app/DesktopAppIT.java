package io.predastore.app;

import static io.predastore.app.FxThread.fx;
import static io.predastore.app.FxThread.fxRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.app.browser.ObjectRow;
import io.predastore.app.browser.UploadItem;
import io.predastore.app.browser.UploadState;
import io.predastore.app.cluster.NodeRow;
import io.predastore.app.ring.RingMemberInfo;
import io.predastore.app.ring.ShardMark;
import io.predastore.node.supervisor.NodeState;
import io.predastore.protocol.config.ClusterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The app's main window, headless, on a real five-node 3+2 dev cluster created through the welcome screen, in
 * the order a user would go: nodes come up and one is stopped and started with its buttons; a folder and files are
 * dropped on the bucket table (real {@link DragEvent}s through the scene graph), searched, downloaded two at a
 * time, linked with a presigned URL, shown on the ring from their details, and a large upload is cancelled; then
 * the Raft leader is killed from the Nodes view, a second node is killed and a file still downloads; last, a fresh
 * app connects to the running cluster by endpoint. Every node started here is stopped afterwards.
 *
 * <p>A {@link Dragboard} has no public constructor and headless Monocle has no native drag to build one from, so
 * {@link ExternalDragboard} makes a genuine {@code Dragboard} over a clipboard peer holding the files, as the
 * toolkit does for a drag from another application; the events go through the view's own handlers.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopAppIT {
    private static final String BUCKET = "desktop-it";

    @TempDir
    static Path tmp;

    private static PredastoreApp app;
    private static byte[] report;
    private static byte[] notes;
    private static byte[] photo;
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



    private void screenshot(String tabId, String name) throws Exception {
        if (!Screenshots.enabled()) {
            return;
        }
        fxRun(() -> {
            if (tabId != null) {
                app.mainView().showTab(tabId);
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> Screenshots.save(app.mainView().getScene(), name));
    }

    /** The supervisor's view and the log tail of every node that is not running, for failure messages. */
    private static String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (io.predastore.node.supervisor.NodeProcessStatus s : app.cluster().statuses()) {
            sb.append("\nnode ").append(s.nodeId()).append(": ").append(s.state()).append(' ')
                    .append(s.detail() == null ? "" : s.detail());
            if (s.state() != NodeState.RUNNING) {
                List<String> log = app.cluster().logTail(s.nodeId());
                sb.append("\n  ").append(String.join("\n  ", log.subList(Math.max(0, log.size() - 25), log.size())));
            }
        }
        return sb.toString();
    }

    private static List<NodeRow> rows() throws Exception {
        return fx(() -> List.copyOf(app.nodesViewModel().rows()));
    }

    private static List<ObjectRow> entries() throws Exception {
        return fx(() -> List.copyOf(app.browserViewModel().entries()));
    }

    private static String uploadsText() throws Exception {
        return fx(() -> app.browserViewModel().uploads().stream()
                .map(u -> u.name() + ": " + u.statusProperty().get()).toList().toString()
                + ", notification: " + app.mainView().notificationText());
    }

    private static ClusterConfig config() {
        return app.cluster().config();
    }

    private static S3Client s3(int nodeId) {
        ClusterConfig c = config();
        return S3Client.builder().endpointOverride(URI.create(c.node(nodeId).s3Endpoint()))
                .region(Region.of(c.region())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        c.credentials().accessKey(), c.credentials().secretKey())))
                .build();
    }

    /** Drops files on the object table as the platform would: DRAG_OVER, then DRAG_DROPPED if accepted. */
    private static TransferMode drop(List<Path> files) throws Exception {
        return fx(() -> {
            TableView<ObjectRow> table = app.browserView().table();
            Dragboard board = ExternalDragboard.create(Set.of(TransferMode.COPY, TransferMode.MOVE,
                    TransferMode.LINK));
            ClipboardContent content = new ClipboardContent();
            content.putFiles(files.stream().map(Path::toFile).toList());
            board.setContent(content);
            Node target = table.lookup(".table-row-cell") != null ? table.lookup(".table-row-cell") : table;
            Bounds b = target.localToScene(target.getBoundsInLocal());
            Point2D screen = target.localToScreen(b.getWidth() / 2, b.getHeight() / 2);
            double x = b.getMinX() + b.getWidth() / 2;
            double y = b.getMinY() + b.getHeight() / 2;
            DragEvent over = new DragEvent(target, target, DragEvent.DRAG_OVER, board, x, y,
                    screen == null ? x : screen.getX(), screen == null ? y : screen.getY(), TransferMode.COPY,
                    null, null, null);
            Event.fireEvent(target, over);
            TransferMode accepted = over.getAcceptedTransferMode();
            if (accepted == null) {
                return null;
            }
            DragEvent dropped = new DragEvent(target, target, DragEvent.DRAG_DROPPED, board, x, y,
                    screen == null ? x : screen.getX(), screen == null ? y : screen.getY(), accepted, null, null,
                    null);
            Event.fireEvent(target, dropped);
            return accepted;
        });
    }

    private static void selectRows(String... names) throws Exception {
        fxRun(() -> {
            TableView<ObjectRow> table = app.browserView().table();
            table.getSelectionModel().clearSelection();
            for (String name : names) {
                for (int i = 0; i < table.getItems().size(); i++) {
                    if (table.getItems().get(i).name().equals(name)) {
                        table.getSelectionModel().select(i);
                    }
                }
            }
        });
    }

    @Test
    @Order(1)
    void createCluster_stopAndStartANode_statesFollow() throws Exception {
        Path clusterDir = tmp.resolve("cluster");
        screenshot(null, "welcome");

        fxRun(() -> app.welcomeViewModel().folderProperty().set(clusterDir.toString()));
        robot.clickOn("#create-cluster");

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(rows()).as(DesktopAppIT::describeNodes)
                        .hasSize(5).allMatch(r -> r.state() == NodeState.RUNNING, "RUNNING"));
        TableView<?> table = robot.lookup("#nodes-table").queryTableView();
        assertThat(fx(() -> table.getItems().size())).isEqualTo(5);

        fxRun(() -> table.getSelectionModel().select(4));
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
    }

    @Test
    @Order(2)
    void dropFilesAndAFolder_listedWithTheirSizes() throws Exception {
        // Until every node sees node 5 alive again an upload is refused; wait for the ring to say so.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(fx(() -> List.copyOf(app.ringViewModel().members()))).hasSize(5)
                        .allMatch(RingMemberInfo::alive, "alive"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fx(() ->
                app.browserViewModel().endpointProperty().get().startsWith("http")));
        fxRun(() -> {
            app.mainView().showTab("tab-buckets");
            app.browserViewModel().createBucket(BUCKET);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> fx(() -> BUCKET.equals(
                app.browserViewModel().bucketProperty().get())));

        Random random = new Random(42);
        report = new byte[300_000];
        notes = new byte[12_345];
        photo = new byte[100_000];
        random.nextBytes(report);
        random.nextBytes(notes);
        random.nextBytes(photo);
        Path desk = Files.createDirectories(tmp.resolve("desktop"));
        Files.write(desk.resolve("report.bin"), report);
        Files.write(desk.resolve("notes.txt"), notes);
        Path album = Files.createDirectories(desk.resolve("album/2024"));
        Files.write(album.resolve("photo.jpg"), photo);
        Files.write(desk.resolve("album/cover.png"), new byte[50_000]);
        List<Path> dropped = List.of(desk.resolve("report.bin"), desk.resolve("notes.txt"), desk.resolve("album"));

        assertThat(drop(dropped)).isEqualTo(TransferMode.COPY);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            if (fx(() -> app.browserViewModel().uploads().stream()
                    .anyMatch(u -> u.stateProperty().get() == UploadState.FAILED))) {
                // A node may still be catching up after its restart: drop the same things again.
                fxRun(() -> app.browserViewModel().clearFinishedUploads());
                drop(dropped);
            }
            assertThat(entries()).as(DesktopAppIT::uploadsTextQuietly)
                    .extracting(ObjectRow::name, ObjectRow::size)
                    .contains(Tuple.tuple("album/", 0L), Tuple.tuple("report.bin", (long) report.length),
                            Tuple.tuple("notes.txt", (long) notes.length));
        });
        assertThat(fx(() -> app.browserViewModel().uploads().stream().filter(u -> u.name().equals("report.bin"))
                .findFirst().orElseThrow().progressProperty().get())).isEqualTo(1.0);

        // The folder kept its structure under the current folder.
        fxRun(() -> app.browserViewModel().navigate("album/"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entries())
                .extracting(ObjectRow::name, ObjectRow::size)
                .containsExactly(Tuple.tuple("2024/", 0L), Tuple.tuple("cover.png", 50_000L)));
        fxRun(() -> app.browserViewModel().navigate("album/2024/"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entries())
                .extracting(ObjectRow::name, ObjectRow::size).containsExactly(Tuple.tuple("photo.jpg", 100_000L)));
        fxRun(() -> app.browserViewModel().navigate(""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(entries()).hasSize(3));
    }

    private static String uploadsTextQuietly() {
        try {
            return uploadsText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    @Order(3)
    void searchByPrefix_narrowsTheTable() throws Exception {
        fxRun(() -> app.mainView().showTab("tab-buckets"));
        TextField search = robot.lookup("#object-search").queryAs(TextField.class);
        fxRun(() -> search.setText("re"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(fx(() -> app.browserView().table().getItems().stream().map(ObjectRow::name).toList()))
                        .containsExactly("report.bin"));
        fxRun(() -> search.setText("no"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(entries()).extracting(ObjectRow::name).containsExactly("notes.txt"));
        fxRun(() -> search.setText(""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(entries()).extracting(ObjectRow::name).containsExactly("album/", "notes.txt",
                        "report.bin"));
    }

    @Test
    @Order(4)
    void multiSelectTwoObjects_downloadButtonWritesBoth() throws Exception {
        Path into = Files.createDirectories(tmp.resolve("downloads"));
        fxRun(() -> app.browserView().setFolderChooser(window -> into.toFile()));
        selectRows("report.bin", "notes.txt");
        assertThat(fx(() -> List.copyOf(app.browserViewModel().selection()))).hasSize(2);
        robot.clickOn("#download-object");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(into.resolve("report.bin")).exists();
            assertThat(Files.readAllBytes(into.resolve("report.bin"))).isEqualTo(report);
            assertThat(Files.readAllBytes(into.resolve("notes.txt"))).isEqualTo(notes);
        });
    }

    @Test
    @Order(5)
    void copyPresignedUrl_plainHttpGetReturnsTheBytes() throws Exception {
        fxRun(() -> app.mainView().showTab("tab-buckets"));
        fxRun(() -> Clipboard.getSystemClipboard().clear());
        selectRows("report.bin");
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() ->
                !robot.lookup("#presign-object").queryButton().isDisabled()));
        robot.clickOn("#presign-object");
        AtomicReference<String> url = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            url.set(fx(() -> Clipboard.getSystemClipboard().getString()));
            assertThat(url.get()).startsWith("http://");
        });
        assertThat(url.get()).contains("/" + BUCKET + "/report.bin?", "X-Amz-Expires=3600");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(fx(() -> app.mainView().notificationText())).contains("presigned URL"));
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.get()))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(report);
    }

    @Test
    @Order(6)
    void details_showPlacement_switchesToTheRingWithKPlusMShardMarks() throws Exception {
        fxRun(() -> app.mainView().showTab("tab-buckets"));
        selectRows("report.bin");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(fx(() -> robot.lookup("#object-details").query().isVisible())).isTrue();
            assertThat(fx(() -> robot.lookup("#details-size").queryAs(Label.class).getText()))
                    .contains("300000 bytes");
        });
        assertThat(fx(() -> robot.lookup("#details-etag").queryAs(Label.class).getText())).hasSize(32);
        // The uploads above are what the activity charts show; the buckets shot comes last to return to that tab.
        screenshot("tab-activity", "activity");
        screenshot("tab-buckets", "buckets");
        robot.clickOn("#details-show-placement");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(fx(() -> app.mainView().tabs().getSelectionModel().getSelectedItem().getId()))
                    .isEqualTo("tab-ring");
            assertThat(fx(() -> List.copyOf(app.ringViewModel().shards()))).extracting(ShardMark::label)
                    .containsExactly("D0", "D1", "D2", "P0", "P1");
            assertThat(fx(() -> robot.lookup(".shard-mark").queryAll().size())).isEqualTo(5);
        });
        assertThat(fx(() -> app.ringViewModel().healthProperty().get())).contains("report.bin", "readable");
        screenshot("tab-ring", "ring");
    }

    @Test
    @Order(7)
    void cancelALargeUpload_leavesNoObjectAndNoPendingUpload() throws Exception {
        Path big = Files.createDirectories(tmp.resolve("big")).resolve("large.bin");
        byte[] block = new byte[1 << 20];
        new Random(7).nextBytes(block);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 64; i++) {
                out.write(block);
            }
        }
        fxRun(() -> app.mainView().showTab("tab-buckets"));
        assertThat(drop(List.of(big))).isEqualTo(TransferMode.COPY);
        AtomicReference<UploadItem> item = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            item.set(fx(() -> app.browserViewModel().uploads().stream().filter(u -> u.name().equals("large.bin"))
                    .findFirst().orElse(null)));
            assertThat(item.get()).isNotNull();
            assertThat(item.get().transfer().sent()).isPositive();
        });
        // Press the Cancel button of that upload's row.
        fxRun(() -> robot.lookup(".upload-cancel").queryAllAs(Button.class).stream()
                .filter(b -> b.getParent().getChildrenUnmodifiable().stream()
                        .anyMatch(n -> n instanceof Label l && "large.bin".equals(l.getText())))
                .findFirst().orElseThrow().fire());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(fx(() -> item.get().stateProperty().get())).as(DesktopAppIT::uploadsTextQuietly)
                        .isEqualTo(UploadState.CANCELLED));
        assertThat(item.get().transfer().sent()).isLessThan(item.get().transfer().total());
        try (S3Client s3 = s3(1)) {
            assertThat(catching(() -> s3.headObject(b -> b.bucket(BUCKET).key("large.bin"))))
                    .isInstanceOf(NoSuchKeyException.class);
            List<MultipartUpload> pending = s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads();
            assertThat(pending).extracting(MultipartUpload::key)
                    .as(() -> "pending uploads " + pending.stream().map(u -> u.key() + " " + u.uploadId() + " from "
                            + u.initiated()).toList() + "; the app's uploads: " + uploadsTextQuietly())
                    .doesNotContain("large.bin");
        }
        assertThat(entries()).extracting(ObjectRow::name).doesNotContain("large.bin");
    }

    private static Throwable catching(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    @Order(8)
    void killTheRaftLeaderFromTheNodesView_raftViewNamesANewLeader() throws Exception {
        fxRun(() -> app.mainView().showTab("tab-nodes"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(fx(() -> app.raftViewModel().leaderProperty().get())).startsWith("node-"));
        String leader = fx(() -> app.raftViewModel().leaderProperty().get());
        long termBefore = Long.parseLong(fx(() -> app.raftViewModel().termProperty().get()));
        int leaderId = Integer.parseInt(leader.substring("node-".length()));
        TableView<NodeRow> table = app.nodesView().table();
        fxRun(() -> table.getSelectionModel().select(leaderId - 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> app.nodesViewModel().canStopProperty().get()));
        robot.clickOn("#node-kill");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(rows().get(leaderId - 1).state()).isIn(NodeState.EXITED, NodeState.FAILED,
                        NodeState.STOPPED));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            String now = fx(() -> app.raftViewModel().leaderProperty().get());
            assertThat(now).startsWith("node-").isNotEqualTo(leader);
            assertThat(fx(() -> List.copyOf(app.raftViewModel().leaderChanges())))
                    .as("the timeline shows the election of %s", now)
                    .anySatisfy(c -> {
                        assertThat(c.leaderId()).isEqualTo(now);
                        assertThat(c.term()).isGreaterThan(termBefore);
                    });
        });
        screenshot("tab-raft", "raft");
    }

    @Test
    @Order(9)
    void killASecondNode_filesStillDownload() throws Exception {
        int second = -1;
        for (NodeRow r : rows()) {
            if (r.state() == NodeState.RUNNING) {
                second = r.id();
            }
        }
        int victim = second;
        fxRun(() -> app.mainView().showTab("tab-nodes"));
        TableView<NodeRow> table = app.nodesView().table();
        fxRun(() -> table.getSelectionModel().select(victim - 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> fx(() -> app.nodesViewModel().canStopProperty().get()));
        robot.clickOn("#node-kill");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(rows().stream().filter(r -> r.state() == NodeState.RUNNING).count()).isEqualTo(3));

        Path into = Files.createDirectories(tmp.resolve("after-two-kills"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            CountDownLatch done = new CountDownLatch(1);
            fxRun(() -> app.browserViewModel().download("report.bin", into.resolve("report.bin"), done::countDown));
            assertThat(done.await(30, TimeUnit.SECONDS)).as(() -> "notification: " + notification()).isTrue();
            assertThat(Files.readAllBytes(into.resolve("report.bin"))).isEqualTo(report);
        });
        CountDownLatch done = new CountDownLatch(1);
        fxRun(() -> app.browserViewModel().download("album/2024/photo.jpg", into.resolve("photo.jpg"),
                done::countDown));
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllBytes(into.resolve("photo.jpg"))).isEqualTo(photo);
        screenshot("tab-nodes", "nodes");
    }

    private static String notification() {
        try {
            return fx(() -> app.mainView().notificationText());
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    @Order(10)
    void connectByEndpoint_freshApp_seesTheFiveNodes() throws Exception {
        ClusterConfig c = config();
        int live = rows().stream().filter(r -> r.state() == NodeState.RUNNING).findFirst().orElseThrow().id();
        String endpoint = c.node(live).host() + ":" + c.node(live).adminPort();
        System.setProperty("predastore.configDir", tmp.resolve("config-fresh").toString());
        PredastoreApp fresh = fx(PredastoreApp::new);
        Stage stage = fx(() -> {
            Stage s = new Stage();
            fresh.start(s);
            return s;
        });
        try {
            assertThat(fx(() -> fresh.mainView().clusterOpenProperty().get())).isFalse();
            Node root = stage.getScene().getRoot();
            fxRun(() -> {
                ((TextField) root.lookup("#connect-endpoint")).setText(endpoint);
                ((TextField) root.lookup("#connect-admin-key")).setText(c.credentials().adminAccessKey());
                ((TextField) root.lookup("#connect-admin-secret")).setText("wrong-secret");
                ((TextField) root.lookup("#connect-s3-key")).setText(c.credentials().accessKey());
                ((TextField) root.lookup("#connect-s3-secret")).setText(c.credentials().secretKey());
                ((Button) root.lookup("#connect-cluster")).fire();
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(fx(() -> fresh.mainView().notificationText()))
                            .contains("admin credentials were refused"));
            assertThat(fx(() -> fresh.mainView().clusterOpenProperty().get())).isFalse();

            fxRun(() -> {
                ((TextField) root.lookup("#connect-admin-secret")).setText(c.credentials().adminSecretKey());
                ((Button) root.lookup("#connect-cluster")).fire();
            });
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                List<NodeRow> rows = fx(() -> List.copyOf(fresh.nodesViewModel().rows()));
                assertThat(rows).extracting(NodeRow::id).containsExactly(1, 2, 3, 4, 5);
                assertThat(rows).allMatch(NodeRow::remote, "remote");
                assertThat(rows.stream().filter(r -> r.state() == NodeState.RUNNING).count()).isEqualTo(3);
                assertThat(fx(() -> List.copyOf(fresh.browserViewModel().buckets()))).contains(BUCKET);
            });
            fxRun(() -> fresh.nodesViewModel().selectedNodeProperty().set(live));
            assertThat(fx(() -> fresh.nodesViewModel().canStopProperty().get())).isFalse();
            assertThat(fx(() -> fresh.nodesViewModel().canStartProperty().get())).isFalse();
            assertThat(fx(() -> fresh.nodesView().lookup("#node-kill").isDisabled())).isTrue();
            if (Screenshots.enabled()) {
                fxRun(() -> fresh.mainView().showTab("tab-nodes"));
                WaitForAsyncUtils.waitForFxEvents();
                fxRun(() -> Screenshots.save(stage.getScene(), "connected"));
            }
            assertThat(Files.readString(tmp.resolve("config-fresh/settings.json"))).contains(endpoint)
                    .doesNotContain(c.credentials().adminSecretKey());
        } finally {
            fxRun(() -> {
                try {
                    fresh.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                stage.close();
            });
        }
        assertThat(rows().stream().filter(r -> r.state() == NodeState.RUNNING).count())
                .as("closing a connected app leaves the cluster running").isEqualTo(3);
    }
}
