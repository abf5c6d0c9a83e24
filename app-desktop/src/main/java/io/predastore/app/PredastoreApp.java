package io.predastore.app;

import io.predastore.app.activity.ActivityView;
import io.predastore.app.activity.ActivityViewModel;
import io.predastore.app.browser.BrowserView;
import io.predastore.app.browser.BrowserViewModel;
import io.predastore.app.cluster.NodesView;
import io.predastore.app.cluster.NodesViewModel;
import io.predastore.app.health.DevFaultActions;
import io.predastore.app.health.HealthBannerView;
import io.predastore.app.health.HealthView;
import io.predastore.app.health.HealthViewModel;
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
import io.predastore.app.service.MemberChanges;
import io.predastore.app.service.NodeSample;
import io.predastore.app.service.ProtectionFetch;
import io.predastore.app.service.RecentClusters;
import io.predastore.app.service.RecentEndpoint;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.service.SdkObjectStore;
import io.predastore.app.session.BrowserSession;
import io.predastore.app.task.Async;
import io.predastore.app.task.FxTasks;
import io.predastore.app.task.Notifier;
import io.predastore.app.welcome.WelcomeView;
import io.predastore.app.welcome.WelcomeViewModel;
import io.predastore.client.sigv4.Credentials;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.protocol.config.ClusterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
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
 * <p>Which node the bucket browser uses is the {@link BrowserSession}'s decision; this class only feeds it the
 * process and admin snapshots and opens the clients it asks for.
 *
 * <p>System properties: those of {@link AppWiring} (node jar, heap and JVM options, default cluster folder), and
 * {@code predastore.configDir} (where the app remembers the clusters it opened).
 */
public final class PredastoreApp extends Application {
    /** How often the health screen reads the protection report, which the cluster recomputes every few seconds. */
    private static final Duration PROTECTION_PERIOD = Duration.ofSeconds(2);

    private ExecutorService background;
    private ClusterService cluster;
    private volatile AdminPoller poller;
    private RecentClusters recent;
    private BrowserSession<SdkObjectStore> session;
    private Async async;
    private Clock clock;
    private MainView main;
    private ExitViewModel exitVm;
    private WelcomeViewModel welcomeVm;
    private NodesViewModel nodesVm;
    private HealthViewModel healthVm;
    private RingViewModel ringVm;
    private RaftViewModel raftVm;
    private ActivityViewModel activityVm;
    private BrowserViewModel browserVm;
    private NodesView nodesView;
    private HealthView healthView;
    private BrowserView browserView;

    @Override
    public void start(Stage stage) {
        background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "app-background");
            t.setDaemon(true);
            return t;
        });
        cluster = AppWiring.clusterService(AppWiring.NODE_START_TIMEOUT);
        clock = Clock.systemUTC();
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
        async = new FxTasks(background, notifier);
        welcomeVm = new WelcomeViewModel(cluster, async, AppWiring.defaultClusterDir(), this::opened);
        nodesVm = new NodesViewModel(cluster, async, clock);
        ringVm = new RingViewModel(async);
        raftVm = new RaftViewModel(zone);
        activityVm = new ActivityViewModel(clock, zone);
        healthVm = new HealthViewModel(clock, async);
        healthVm.setPlacementHandler(this::showPlacement);
        healthVm.setActivityLog(activityVm::log);
        nodesVm.setActivityLog(activityVm::log);
        browserVm = new BrowserViewModel(async, zone);
        // Uploads and downloads still running on a replaced node finish before its client closes.
        session = new BrowserSession<>(browserVm::setService, old -> background.execute(old::closeWhenIdle),
                stale -> background.execute(stale::close));

        recent = RecentClusters.atDefaultLocation();
        welcomeVm.setRecent(recent.list());
        welcomeVm.setRecentEndpoints(recent.endpoints());
        welcomeVm.setConnector(new ClusterDiscovery()::discover, this::connected);
        browserVm.setPlacementHandler(this::showPlacement);
        WelcomeView welcome = new WelcomeView(welcomeVm);
        nodesView = new NodesView(nodesVm);
        browserView = new BrowserView(browserVm, notifier);
        healthView = new HealthView(healthVm);
        main = new MainView(welcome, nodesView, healthView, new HealthBannerView(healthVm), new RingPane(ringVm),
                new RaftView(raftVm), new ActivityView(activityVm), browserView);

        cluster.addListener(statuses -> Platform.runLater(() -> applyProcesses(statuses)));
        cluster.addConfigListener(config -> Platform.runLater(() -> membersChanged(config)));

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

    /** On the FX thread: a cluster was created or opened. */
    private void opened(ClusterConfig config) {
        // The file gains and loses nodes as members change: a client is opened for the node as the file has it now.
        session.supervise(nodeId -> AppWiring.localS3(cluster.config()).apply(nodeId));
        nodesVm.setConfig(config);
        nodesVm.applyProcesses(cluster.statuses());
        nodesVm.setMemberChanges(cluster.isLocalDevCluster() ? new MemberChanges(cluster, clock) : null);
        healthVm.reset();
        healthVm.setDevFaults(cluster.isLocalDevCluster() ? devFaults(config) : null);
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
        watch(config);
        applyProcesses(cluster.statuses());
    }

    /** Polls the admin APIs of the nodes of {@code config}, in place of the poller of an older version of it. */
    private void watch(ClusterConfig config) {
        AdminPoller old = poller;
        if (old != null) {
            old.close();
        }
        AdminPoller p;
        try {
            p = new AdminPoller(config, snapshot -> Platform.runLater(() -> applyAdmin(snapshot)), clock);
        } catch (IOException e) {
            main.error("Cannot watch the nodes over HTTPS: " + e.getMessage());
            return;
        }
        poller = p;
        ringVm.setPlacementSource(p::placement);
        p.start(Duration.ofSeconds(1));
        p.startProtection(PROTECTION_PERIOD, fetch -> Platform.runLater(() -> applyProtection(fetch)));
    }

    /** On the FX thread: a node was added to the open cluster's file or a removed one dropped from it. */
    private void membersChanged(ClusterConfig config) {
        nodesVm.setConfig(config);
        nodesVm.applyProcesses(cluster.statuses());
        healthVm.setDevFaults(cluster.isLocalDevCluster() ? devFaults(config) : null);
        main.statusProperty().set("Cluster " + config.cluster() + " in " + config.directory() + ": "
                + config.nodes().size() + " nodes, erasure " + config.rs().data() + "+" + config.rs().parity());
        watch(config);
    }

    private void applyProtection(ProtectionFetch fetch) {
        healthVm.apply(fetch);
        nodesVm.applyProtection(fetch);
    }

    /** The dev fault buttons of the health screen, on this app's cluster service (a local dev cluster only). */
    private DevFaultActions devFaults(ClusterConfig config) {
        Random random = new Random();
        return new DevFaultActions() {
            @Override
            public String corruptRandomShard() throws Exception {
                return cluster.corruptRandomShard(random);
            }

            @Override
            public String wipeNode(int nodeId) throws Exception {
                return cluster.wipeNode(nodeId);
            }

            @Override
            public List<Integer> nodeIds() {
                return config.nodes().stream().map(n -> n.id()).toList();
            }
        };
    }

    /** On the FX thread: connected to a cluster by endpoint; its nodes are watched, not supervised. */
    private void connected(RemoteCluster cluster) {
        nodesVm.setRemote(cluster);
        healthVm.reset();
        healthVm.setDevFaults(null);
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
        List<Integer> members = cluster.members().stream().map(cluster::nodeId).toList();
        connect(session.watch(members, AppWiring.remoteS3(cluster)));
        AdminPoller p = new AdminPoller(cluster.adminUris(), new Credentials(a.adminAccessKey(),
                a.adminSecretKey()), a.region(), cluster.trust(),
                snapshot -> Platform.runLater(() -> applyAdmin(snapshot)), Clock.systemUTC());
        poller = p;
        ringVm.setPlacementSource(p::placement);
        p.start(Duration.ofSeconds(1));
        p.startProtection(PROTECTION_PERIOD, fetch -> Platform.runLater(() -> applyProtection(fetch)));
    }

    /** On the FX thread: opens the client for the browser's newly chosen node in the background. */
    private void connect(BrowserSession.Connection<SdkObjectStore> connection) {
        async.run("Connecting to the S3 endpoint of node " + connection.nodeId(), connection::open,
                client -> session.opened(connection, client));
    }

    /** On the FX thread: the object's shards on the ring. */
    private void showPlacement(String bucket, String key) {
        ringVm.bucketProperty().set(bucket);
        ringVm.keyProperty().set(key);
        main.showTab("tab-ring");
        ringVm.showPlacement();
    }

    private void applyAdmin(ClusterSnapshot snapshot) {
        List<Integer> reachable = snapshot.nodes().stream().filter(NodeSample::reachable)
                .map(NodeSample::nodeId).toList();
        List<Integer> unreachable = snapshot.nodes().stream().filter(n -> !n.reachable())
                .map(NodeSample::nodeId).toList();
        session.polled(reachable, unreachable).ifPresent(this::connect);
        nodesVm.applyAdmin(snapshot);
        ringVm.applyAdmin(snapshot);
        raftVm.applyAdmin(snapshot);
        activityVm.applyAdmin(snapshot);
    }

    private void applyProcesses(List<NodeProcessStatus> statuses) {
        nodesVm.applyProcesses(statuses);
        List<Integer> running = statuses.stream().filter(s -> s.state() == NodeState.RUNNING)
                .map(NodeProcessStatus::nodeId).toList();
        session.running(running).ifPresent(this::connect);
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
        if (session != null) {
            session.close().ifPresent(SdkObjectStore::close);
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

    public HealthViewModel healthViewModel() {
        return healthVm;
    }

    public HealthView healthView() {
        return healthView;
    }

    public NodesView nodesView() {
        return nodesView;
    }

    public BrowserView browserView() {
        return browserView;
    }
}
