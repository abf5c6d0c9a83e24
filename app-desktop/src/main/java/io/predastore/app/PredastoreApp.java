package io.predastore.app;

import io.predastore.app.activity.ActivityView;
import io.predastore.app.activity.ActivityViewModel;
import io.predastore.app.browser.BrowserView;
import io.predastore.app.browser.BrowserViewModel;
import io.predastore.app.cluster.NodesView;
import io.predastore.app.cluster.NodesViewModel;
import io.predastore.app.raft.RaftView;
import io.predastore.app.raft.RaftViewModel;
import io.predastore.app.ring.RingView;
import io.predastore.app.ring.RingViewModel;
import io.predastore.app.service.AdminPoller;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.RecentClusters;
import io.predastore.app.service.S3Service;
import io.predastore.app.welcome.WelcomeView;
import io.predastore.app.welcome.WelcomeViewModel;
import io.predastore.node.cluster.NodeState;
import io.predastore.node.cluster.NodeStatus;
import io.predastore.node.cluster.SupervisorSettings;
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
    private RecentClusters recent;
    private S3Service s3;
    private int s3Node;
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
        Async async = new Async(background, Platform::runLater, notifier::error);
        welcomeVm = new WelcomeViewModel(cluster, async, defaultClusterDir(), this::opened);
        nodesVm = new NodesViewModel(cluster, async, clock);
        ringVm = new RingViewModel(async);
        raftVm = new RaftViewModel(zone);
        activityVm = new ActivityViewModel();
        browserVm = new BrowserViewModel(async, zone);

        recent = RecentClusters.atDefaultLocation();
        welcomeVm.setRecent(recent.list());
        WelcomeView welcome = new WelcomeView(welcomeVm);
        nodesView = new NodesView(nodesVm);
        browserView = new BrowserView(browserVm, notifier);
        main = new MainView(welcome, nodesView, new RingView(ringVm), new RaftView(raftVm),
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
        AdminPoller p = new AdminPoller(config, snapshot -> Platform.runLater(() -> applyAdmin(snapshot)),
                Clock.systemUTC());
        poller = p;
        ringVm.setPlacementSource(p::placement);
        p.start(Duration.ofSeconds(1));
        applyProcesses(cluster.statuses());
    }

    private void applyAdmin(ClusterSnapshot snapshot) {
        nodesVm.applyAdmin(snapshot);
        ringVm.applyAdmin(snapshot);
        raftVm.applyAdmin(snapshot);
        activityVm.applyAdmin(snapshot);
    }

    /** Keeps the bucket browser connected to a running node. */
    private void applyProcesses(List<NodeStatus> statuses) {
        nodesVm.applyProcesses(statuses);
        ClusterConfig config = cluster.config();
        if (config == null) {
            return;
        }
        boolean current = s3 != null && statuses.stream()
                .anyMatch(s -> s.nodeId() == s3Node && s.state() == NodeState.RUNNING);
        if (current) {
            return;
        }
        statuses.stream().filter(s -> s.state() == NodeState.RUNNING).findFirst().ifPresent(running -> {
            S3Service old = s3;
            s3Node = running.nodeId();
            s3 = new S3Service(config, s3Node);
            browserVm.setService(s3);
            if (old != null) {
                background.execute(old::close);
            }
        });
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
