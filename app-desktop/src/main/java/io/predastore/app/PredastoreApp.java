package io.predastore.app;

import io.predastore.app.activity.ActivityView;
import io.predastore.app.activity.ActivityViewModel;
import io.predastore.app.browser.BrowserView;
import io.predastore.app.browser.BrowserViewModel;
import io.predastore.app.cluster.NodesView;
import io.predastore.app.cluster.NodesViewModel;
import io.predastore.app.raft.RaftView;
import io.predastore.app.raft.RaftViewModel;
import io.predastore.app.ring.RingPane;
import io.predastore.app.ring.RingViewModel;
import io.predastore.app.service.AdminEndpoint;
import io.predastore.app.service.AdminPoller;
import io.predastore.app.service.ClusterAccess;
import io.predastore.app.service.ClusterDiscovery;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.NodeSample;
import io.predastore.app.service.RecentClusters;
import io.predastore.app.service.RecentEndpoint;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.service.SdkObjectStore;
import io.predastore.app.welcome.WelcomeView;
import io.predastore.app.welcome.WelcomeViewModel;
import io.predastore.client.sigv4.Credentials;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The composition root: builds the services, view models and views, wires the services' snapshots onto the FX
 * thread, and shows the main window, reopening the last cluster if its file still exists. On exit it stops the
 * nodes it started, unless the user chose to leave them running when closing the window.
 *
 * <p>System properties: {@code predastore.nodeJar} (the node jar), {@code predastore.nodeHeap} (node {@code -Xmx},
 * default 256m), {@code predastore.nodeJvmArgs} (extra node JVM options), {@code predastore.clusterDir} (the default folder for a new dev cluster),
 * {@code predastore.configDir} (where the app remembers the clusters it opened).
 */
public final class PredastoreApp extends Application {
    private ExecutorService background;
    private ClusterService cluster;
    private volatile AdminPoller poller;
    private volatile RemoteCluster remote;
    private RecentClusters recent;
    private SdkObjectStore s3;
    private int s3Node;
    private boolean s3Chosen;
    private int s3Generation;
    private Async async;
    private MainView main;
    private ExitViewModel exitVm;
    private WelcomeViewModel welcomeVm;
    private NodesViewModel nodesVm;
    private RingViewModel ringVm;
    private RaftViewModel raftVm;
    private ActivityViewModel activityVm;
    private BrowserViewModel browserVm;
    private NodesView nodesView;
    private BrowserView browserView;

    @Override
    public void start(Stage stage) {
        background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "app-background");
            t.setDaemon(true);
            return t;
        });
        SupervisorSettings settings = SupervisorSettings.defaults()
                .withMaxHeap(System.getProperty("predastore.nodeHeap", "256m"))
                .withStartTimeout(Duration.ofSeconds(180))
                .withStopTimeout(Duration.ofSeconds(5));
        String jvmArgs = System.getProperty("predastore.nodeJvmArgs", "").trim();
        cluster = new ClusterService(settings, ClusterService.locateNodeJar(),
                jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")));
        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.systemDefault();

        Notifier notifier = new Notifier() {
            @Override
            public void error(String message) {
                main.error(message);
            }

            @Override
            public void info(String message) {
                main.info(message);
            }
        };
        async = new Async(background, Platform::runLater, notifier::error);
        welcomeVm = new WelcomeViewModel(cluster, async, defaultClusterDir(), this::opened);
        nodesVm = new NodesViewModel(cluster, async, clock);
        ringVm = new RingViewModel(async);
        raftVm = new RaftViewModel(zone);
        activityVm = new ActivityViewModel();
        browserVm = new BrowserViewModel(async, zone);

        recent = RecentClusters.atDefaultLocation();
        welcomeVm.setRecent(recent.list());
        welcomeVm.setRecentEndpoints(recent.endpoints());
        welcomeVm.setConnector(new ClusterDiscovery()::discover, this::connected);
        browserVm.setPlacementHandler(this::showPlacement);
        WelcomeView welcome = new WelcomeView(welcomeVm);
        nodesView = new NodesView(nodesVm);
        browserView = new BrowserView(browserVm, notifier);
        main = new MainView(welcome, nodesView, new RingPane(ringVm), new RaftView(raftVm),
                new ActivityView(activityVm), browserView);

        cluster.addListener(statuses -> Platform.runLater(() -> applyProcesses(statuses)));

        exitVm = new ExitViewModel(cluster::anyActive);
        stage.setOnCloseRequest(event -> {
            ClusterConfig config = cluster.config();
            String dir = config == null ? "<dir>" : String.valueOf(config.directory());
            if (exitVm.closeRequested(() -> ExitDialog.ask(stage, dir)) == ExitViewModel.Plan.STAY_OPEN) {
                event.consume();
            }
        });

        stage.setTitle("Predastore");
        Scene scene = new Scene(main, 1100, 720);
        AppTheme.apply(stage, scene);
        stage.setScene(scene);
        stage.show();
        recent.lastExisting().ifPresent(welcomeVm::open);
    }

    private static Path defaultClusterDir() {
        String dir = System.getProperty("predastore.clusterDir");
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), "predastore-dev");
    }

    /** On the FX thread: a cluster was created or opened. */
    private void opened(ClusterConfig config) {
        nodesVm.setConfig(config);
        nodesVm.applyProcesses(cluster.statuses());
        main.statusProperty().set("Cluster " + config.cluster() + " in " + config.directory() + ": "
                + config.nodes().size() + " nodes, erasure " + config.rs().data() + "+" + config.rs().parity());
        main.clusterOpenProperty().set(true);
        Path file = config.file();
        background.execute(() -> {
            if (file == null) {
                return;
            }
            try {
                List<Path> remembered = recent.remember(file);
                Platform.runLater(() -> welcomeVm.setRecent(remembered));
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> main.error("Could not remember the cluster in " + recent.file() + ": "
                        + e.getMessage()));
            }
        });
        AdminPoller p;
        try {
            p = new AdminPoller(config, snapshot -> Platform.runLater(() -> applyAdmin(snapshot)),
                    Clock.systemUTC());
        } catch (IOException e) {
            main.error("Cannot watch the nodes over HTTPS: " + e.getMessage());
            applyProcesses(cluster.statuses());
            return;
        }
        poller = p;
        ringVm.setPlacementSource(p::placement);
        p.start(Duration.ofSeconds(1));
        applyProcesses(cluster.statuses());
    }

    /** On the FX thread: connected to a cluster by endpoint; its nodes are watched, not supervised. */
    private void connected(RemoteCluster cluster) {
        remote = cluster;
        nodesVm.setRemote(cluster);
        String where = AdminEndpoint.display(cluster.adminEndpoint());
        main.statusProperty().set("Connected to the cluster of " + where + ": " + cluster.members().size()
                + " nodes (not run by this app)");
        main.clusterOpenProperty().set(true);
        Path ca = cluster.access().caCertificate();
        RecentEndpoint remembered = new RecentEndpoint(where, cluster.access().adminAccessKey(),
                cluster.access().s3AccessKey(), cluster.access().region(), ca == null ? "" : ca.toString());
        background.execute(() -> {
            try {
                List<RecentEndpoint> list = recent.rememberEndpoint(remembered);
                Platform.runLater(() -> welcomeVm.setRecentEndpoints(list));
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> main.error("Could not remember the cluster in " + recent.file() + ": "
                        + e.getMessage()));
            }
        });
        ClusterAccess a = cluster.access();
        AdminPoller p = new AdminPoller(cluster.adminUris(), new Credentials(a.adminAccessKey(),
                a.adminSecretKey()), a.region(), cluster.trust(),
                snapshot -> Platform.runLater(() -> applyAdmin(snapshot)), Clock.systemUTC());
        poller = p;
        ringVm.setPlacementSource(p::placement);
        useRemoteS3(cluster.nodeId(cluster.members().get(0)));
        p.start(Duration.ofSeconds(1));
    }

    /** Points the bucket browser at a remote node's S3 endpoint. */
    private void useRemoteS3(int nodeId) {
        RemoteCluster cluster = remote;
        ClusterAccess a = cluster.access();
        useS3(nodeId, () -> new SdkObjectStore(cluster.s3Endpoint(cluster.member(nodeId)), a.s3AccessKey(),
                a.s3SecretKey(), a.region(), cluster.trustFor(nodeId)));
    }

    /**
     * On the FX thread: points the bucket browser at a node's S3 endpoint. The SDK client is built in the
     * background (it reads the AWS profile files), and only the newest choice is kept.
     */
    private void useS3(int nodeId, java.util.concurrent.Callable<SdkObjectStore> factory) {
        s3Node = nodeId;
        s3Chosen = true;
        int generation = ++s3Generation;
        async.run("Connecting to the S3 endpoint of node " + nodeId, factory, created -> {
            if (generation != s3Generation) {
                background.execute(created::close);
                return;
            }
            SdkObjectStore old = s3;
            s3 = created;
            browserVm.setService(created);
            if (old != null) {
                // Uploads and downloads still running on the old node finish before its client closes.
                background.execute(old::closeWhenIdle);
            }
        });
    }

    /** On the FX thread: the object's shards on the ring. */
    private void showPlacement(String bucket, String key) {
        ringVm.bucketProperty().set(bucket);
        ringVm.keyProperty().set(key);
        main.showTab("tab-ring");
        ringVm.showPlacement();
    }

    private void applyAdmin(ClusterSnapshot snapshot) {
        RemoteCluster cluster = remote;
        if (cluster != null && snapshot.node(s3Node).map(n -> !n.reachable()).orElse(false)) {
            // The browser's node stopped answering: move to one that answers.
            snapshot.nodes().stream().filter(NodeSample::reachable).findFirst()
                    .ifPresent(n -> useRemoteS3(n.nodeId()));
        }
        nodesVm.applyAdmin(snapshot);
        ringVm.applyAdmin(snapshot);
        raftVm.applyAdmin(snapshot);
        activityVm.applyAdmin(snapshot);
    }

    /** Keeps the bucket browser connected to a running node. */
    private void applyProcesses(List<NodeProcessStatus> statuses) {
        nodesVm.applyProcesses(statuses);
        ClusterConfig config = cluster.config();
        if (config == null) {
            return;
        }
        boolean current = s3Chosen && statuses.stream()
                .anyMatch(s -> s.nodeId() == s3Node && s.state() == NodeState.RUNNING);
        if (current) {
            return;
        }
        statuses.stream().filter(s -> s.state() == NodeState.RUNNING).findFirst().ifPresent(running ->
                useS3(running.nodeId(), () -> new SdkObjectStore(config, running.nodeId())));
    }

    @Override
    public void stop() throws Exception {
        AdminPoller p = poller;
        if (p != null) {
            p.close();
        }
        if (cluster != null) {
            if (exitVm == null || exitVm.stopNodesOnExit()) {
                cluster.stopAll();
            }
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (background != null) {
            background.shutdownNow();
        }
    }

    // ---- for tests and screenshots ----

    public ClusterService cluster() {
        return cluster;
    }

    public MainView mainView() {
        return main;
    }

    public WelcomeViewModel welcomeViewModel() {
        return welcomeVm;
    }

    public NodesViewModel nodesViewModel() {
        return nodesVm;
    }

    public RingViewModel ringViewModel() {
        return ringVm;
    }

    public RaftViewModel raftViewModel() {
        return raftVm;
    }

    public ActivityViewModel activityViewModel() {
        return activityVm;
    }

    public BrowserViewModel browserViewModel() {
        return browserVm;
    }

    public NodesView nodesView() {
        return nodesView;
    }

    public BrowserView browserView() {
        return browserView;
    }
}
