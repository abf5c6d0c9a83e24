package io.predastore.app.service;

import io.predastore.node.supervisor.DevClusterInit;
import io.predastore.node.supervisor.DevFaults;
import io.predastore.node.supervisor.HttpTls;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PortAllocator;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The cluster the app has open: creates a dev cluster (or opens a cluster file), and starts, stops, kills and
 * restarts its nodes through a {@link NodeSupervisor}. Publishes the states of all the cluster's nodes as an
 * immutable list on every change (on the supervisor's thread). Holds no UI types; thread-safe.
 */
public final class ClusterService implements AutoCloseable {
    /** Lines of a node's log the app shows. */
    public static final int LOG_LINES = 200;

    private final SupervisorSettings settings;
    private final Path nodeJar;
    private final List<String> nodeJvmArgs;
    private final List<Consumer<List<NodeProcessStatus>>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClusterConfig>> configListeners = new CopyOnWriteArrayList<>();
    private volatile ClusterConfig config;
    private volatile NodeSupervisor supervisor;

    public ClusterService(SupervisorSettings settings, Path nodeJar) {
        this(settings, nodeJar, List.of());
    }

    /** A service whose nodes run with extra JVM options (e.g. {@code -XX:+UseSerialGC}). */
    public ClusterService(SupervisorSettings settings, Path nodeJar, List<String> nodeJvmArgs) {
        this.settings = Objects.requireNonNull(settings);
        this.nodeJar = Objects.requireNonNull(nodeJar);
        this.nodeJvmArgs = List.copyOf(nodeJvmArgs);
    }

    /**
     * The node jar: the {@code predastore.nodeJar} system property, else {@code node-runtime/target/predastore-node.jar}
     * found from the working directory or its parent.
     */
    public static Path locateNodeJar() {
        String property = System.getProperty("predastore.nodeJar");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path base = cwd; base != null; base = base.getParent()) {
            Path candidate = base.resolve("node-runtime").resolve("target").resolve("predastore-node.jar");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return cwd.resolve("predastore-node.jar");
    }

    /** Listens for node states of the open cluster (all its nodes, by id). */
    public void addListener(Consumer<List<NodeProcessStatus>> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Listens for a new version of the open cluster's file: a node was added to it or a removed one dropped
     * ({@link MemberChanges}). Called on the thread that changed it.
     */
    public void addConfigListener(Consumer<ClusterConfig> listener) {
        configListeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Takes {@code next}, the open cluster's file as rewritten by a member change, in place of the open one. The
     * supervisor stays: it watches the cluster's directory, which has not changed.
     *
     * @throws IllegalArgumentException if {@code next} is another cluster's file
     */
    void replaceConfig(ClusterConfig next) {
        ClusterConfig current = requireConfig();
        if (!next.directory().equals(current.directory())) {
            throw new IllegalArgumentException("the cluster file " + next.file() + " is not that of the open cluster "
                    + "in " + current.directory());
        }
        config = next;
        publish();
        for (Consumer<ClusterConfig> l : configListeners) {
            l.accept(next);
        }
    }

    /**
     * Creates a dev cluster in {@code dir} (free loopback ports; S3 and admin plain HTTP, as {@code cluster init}
     * does on loopback) and opens it; nodes are not started.
     */
    public ClusterConfig create(Path dir, int nodes, int data, int parity) throws IOException {
        return create(dir, nodes, data, parity, HttpTls.AUTO);
    }

    /** As above, with TLS on the nodes' S3 and admin ports as chosen. */
    public ClusterConfig create(Path dir, int nodes, int data, int parity, HttpTls httpTls) throws IOException {
        Files.createDirectories(dir);
        ClusterConfig created = DevClusterInit.create(dir, nodes, new ErasureConfig(data, parity), "127.0.0.1",
                PortAllocator.from(InetAddress.getLoopbackAddress(), 0), httpTls);
        open(created);
        return created;
    }

    /** Opens the cluster of a cluster file (or of a directory holding {@code cluster.toml}). */
    public ClusterConfig open(Path file) {
        Path f = Files.isDirectory(file) ? DevClusterInit.clusterFile(file) : file;
        ClusterConfig loaded = ClusterConfigLoader.load(f);
        open(loaded);
        return loaded;
    }

    private synchronized void open(ClusterConfig next) {
        if (supervisor != null) {
            throw new IllegalStateException("a cluster is already open: " + config.file());
        }
        config = next;
        supervisor = NodeSupervisor.create(next.directory(), settings);
        supervisor.addListener((previous, current) -> publish());
        publish();
    }

    /** The open cluster, or null. */
    public ClusterConfig config() {
        return config;
    }

    public Path nodeJar() {
        return nodeJar;
    }

    /** Starts every node that is not active. */
    public void startAll() {
        for (NodeConfig node : requireConfig().nodes()) {
            if (!supervisor.status(node.id()).state().isActive()) {
                start(node.id());
            }
        }
    }

    public NodeProcessStatus start(int nodeId) {
        if (!Files.isRegularFile(nodeJar)) {
            throw new IllegalStateException("the node jar " + nodeJar + " does not exist; build it with "
                    + "mvn -B -q install -DskipTests");
        }
        try {
            // A cluster made before nodes had a cluster secret gets one: its nodes all run on this machine.
            DevClusterInit.addSecret(requireConfig());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        NodeLaunchSpec spec = NodeLaunchSpec.forClusterNode(requireConfig(), nodeId, nodeJar);
        if (!nodeJvmArgs.isEmpty()) {
            spec = new NodeLaunchSpec(spec.jar(), nodeJvmArgs, spec.programArgs(), spec.logFile(), spec.s3Address());
        }
        return requireSupervisor().start(nodeId, spec);
    }

    public CompletableFuture<NodeProcessStatus> stop(int nodeId) {
        return requireSupervisor().stop(nodeId);
    }

    public CompletableFuture<NodeProcessStatus> kill(int nodeId) {
        return requireSupervisor().kill(nodeId);
    }

    /** Restarts a node this app started; starts it if it never was. */
    public CompletableFuture<NodeProcessStatus> restart(int nodeId) {
        NodeSupervisor s = requireSupervisor();
        if (s.status(nodeId).logFile() == null) {
            return CompletableFuture.completedFuture(start(nodeId));
        }
        return s.restart(nodeId);
    }

    /** The states of all the open cluster's nodes (empty if none is open). */
    public List<NodeProcessStatus> statuses() {
        ClusterConfig c = config;
        NodeSupervisor s = supervisor;
        if (c == null || s == null) {
            return List.of();
        }
        List<NodeProcessStatus> out = new ArrayList<>();
        for (NodeConfig node : c.nodes()) {
            out.add(s.status(node.id()));
        }
        return List.copyOf(out);
    }

    /** The last {@link #LOG_LINES} lines of the node's log. */
    public List<String> logTail(int nodeId) {
        ClusterConfig c = config;
        if (c == null) {
            return List.of();
        }
        return NodeSupervisor.tail(NodeLaunchSpec.logFile(c.directory(), nodeId), LOG_LINES);
    }

    /**
     * Whether the open cluster is a dev cluster on this machine, the only kind the dev faults
     * ({@link #corruptRandomShard}, {@link #wipeNode}) may touch: every node on a loopback address.
     */
    public boolean isLocalDevCluster() {
        ClusterConfig c = config;
        return c != null && c.nodes().stream().allMatch(n -> isLoopback(n.host()));
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /**
     * Flips {@value DevFaults#FLIPPED_BYTES} bytes in a shard segment of a random node of this local dev cluster
     * (see {@link DevFaults#corruptRandomShard}: a dead record hit goes undetected). Blocking.
     *
     * @return what was done, for the activity log
     * @throws IOException if this is not a local dev cluster, or no node holds a segment yet
     */
    public String corruptRandomShard(Random random) throws IOException {
        ClusterConfig c = requireLocalDev();
        List<NodeConfig> nodes = new ArrayList<>(c.nodes());
        Collections.shuffle(nodes, random);
        IOException last = null;
        for (NodeConfig node : nodes) {
            try {
                DevFaults.Corruption done = DevFaults.corruptRandomShard(node.dataDir(), random);
                return "Corrupted a shard on node-" + node.id() + ": flipped " + done.length() + " bytes at offset "
                        + done.offset() + " of " + done.segment().getFileName() + " (if they fell in a dead record, "
                        + "nothing will be detected)";
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no node of the cluster holds a shard segment yet; upload some objects first"
                + (last == null ? "" : " (last: " + last.getMessage() + ")"), last);
    }

    /**
     * Stops node {@code nodeId} of this local dev cluster, deletes its shards and metadata (keeping its cluster
     * secret; credentials live in the cluster file) and starts it again, as after a disk replacement. Blocking.
     *
     * @return what was done, for the activity log
     * @throws IOException if this is not a local dev cluster, the node still answers after being stopped (it was
     *     started outside this app: stop it there first), or its files cannot be deleted
     */
    public String wipeNode(int nodeId) throws IOException, InterruptedException {
        ClusterConfig c = requireLocalDev();
        NodeConfig node = c.node(nodeId);
        try {
            stop(nodeId).get(settings.stopTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("node-" + nodeId + " did not stop, so its data was not wiped: " + e.getMessage(),
                    e);
        }
        if (answers(node.host(), node.s3Port())) {
            throw new IOException("node-" + nodeId + " still answers on " + node.host() + ":" + node.s3Port()
                    + " after stopping: it runs outside this app; stop it there first (its data was not wiped)");
        }
        List<Path> deleted = DevFaults.wipe(node.dataDir());
        start(nodeId);
        return "Wiped node-" + nodeId + ": stopped it, deleted " + (deleted.isEmpty() ? "nothing (already empty)"
                : deleted.stream().map(p -> p.getFileName().toString()).toList()) + " in " + node.dataDir()
                + ", kept its cluster secret, and started it again";
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ClusterConfig requireLocalDev() throws IOException {
        ClusterConfig c = requireConfig();
        if (!isLocalDevCluster()) {
            throw new IOException("the cluster in " + c.directory() + " has nodes on other machines; dev faults "
                    + "only touch a dev cluster whose nodes all run on this machine");
        }
        return c;
    }

    /** Stops every node this app started and waits for them. */
    public void stopAll() throws InterruptedException {
        NodeSupervisor s = supervisor;
        if (s != null) {
            s.stopAll(Duration.ofSeconds(5));
        }
    }

    /** Whether any node of the open cluster may still be running. */
    public boolean anyActive() {
        return statuses().stream().anyMatch(st -> st.state().isActive() || st.state() == NodeState.STARTING);
    }

    private void publish() {
        List<NodeProcessStatus> snapshot = statuses();
        for (Consumer<List<NodeProcessStatus>> l : listeners) {
            l.accept(snapshot);
        }
    }

    private ClusterConfig requireConfig() {
        ClusterConfig c = config;
        if (c == null) {
            throw new IllegalStateException("no cluster is open");
        }
        return c;
    }

    private NodeSupervisor requireSupervisor() {
        requireConfig();
        return supervisor;
    }

    /** Stops watching; node processes keep running unless {@link #stopAll()} was called. */
    @Override
    public void close() {
        NodeSupervisor s = supervisor;
        if (s != null) {
            s.close();
        }
    }
}
