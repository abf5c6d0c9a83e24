package io.predastore.node.it;

import io.predastore.client.AdminClient;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A dev cluster brought up exactly as a user does it: {@code predastore-node cluster init} then
 * {@code cluster up}, each node its own JVM; {@code cluster down} (and a kill of whatever is left) when closed.
 */
final class ClusterProcesses implements AutoCloseable {
    /** The heap of every node unless a test asks for another. */
    static final String DEFAULT_HEAP = "192m";

    private final Path dir;
    private volatile ClusterConfig config;
    /** Every node id the cluster file ever listed, so that close() stops nodes added and removed meanwhile. */
    private final java.util.Set<Integer> everListed = new java.util.concurrent.ConcurrentSkipListSet<>();
    private final String heap;
    private final java.util.Map<Integer, AdminClient> admins = new java.util.concurrent.ConcurrentHashMap<>();
    private String upOutput = "";

    private ClusterProcesses(Path dir, ClusterConfig config, String heap) {
        this.dir = dir;
        this.config = config;
        this.heap = heap;
        config.nodes().forEach(n -> everListed.add(n.id()));
    }

    /** Reads the cluster file again, after a command changed it (e.g. {@code cluster add-node}). */
    void reload() throws IOException {
        config = ClusterConfigLoader.load(dir.resolve("cluster.toml"));
        config.nodes().forEach(n -> everListed.add(n.id()));
    }

    /** The heap every node of this cluster runs with, e.g. {@code 192m}. */
    String heap() {
        return heap;
    }

    record Result(int exit, String output) {
    }

    /** Runs the node CLI as a process and returns its exit code and output. */
    static Result cli(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-jar", NodeProcess.jar().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("predastore-node " + String.join(" ", args) + " timed out:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    static ClusterProcesses up(Path dir, int nodes, int data, int parity) throws IOException, InterruptedException {
        return up(dir, nodes, data, parity, UnaryOperator.identity());
    }

    /**
     * Like {@link #up(Path, int, int, int)}, with the cluster file written by {@code cluster init} rewritten by
     * {@code editClusterFile} before the nodes start (e.g. to add a {@code [raft]} table or fixed credentials).
     */
    static ClusterProcesses up(Path dir, int nodes, int data, int parity, UnaryOperator<String> editClusterFile)
            throws IOException, InterruptedException {
        return up(dir, nodes, data, parity, editClusterFile, DEFAULT_HEAP);
    }

    /** As above, with every node's heap ({@code -Xmx}) set to {@code heap}, also when restarted. */
    static ClusterProcesses up(Path dir, int nodes, int data, int parity, UnaryOperator<String> editClusterFile,
            String heap) throws IOException, InterruptedException {
        init(dir, nodes, data, parity);
        Path file = dir.resolve("cluster.toml");
        Files.writeString(file, editClusterFile.apply(Files.readString(file)));
        return upInitialized(dir, heap);
    }

    /** {@code cluster init} with the given extra arguments (e.g. {@code --tls on}); fails unless it succeeds. */
    static Result init(Path dir, int nodes, int data, int parity, String... extra)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("cluster", "init", "--dir", dir.toString(), "--nodes",
                Integer.toString(nodes), "--data", Integer.toString(data), "--parity", Integer.toString(parity),
                "--base-port", "0"));
        args.addAll(List.of(extra));
        Result init = cli(Duration.ofSeconds(60), args.toArray(String[]::new));
        if (init.exit() != 0) {
            throw new IOException("cluster init failed:\n" + init.output());
        }
        return init;
    }

    /** {@code cluster up} of a cluster directory {@link #init} wrote (and a test may have edited). */
    static ClusterProcesses upInitialized(Path dir) throws IOException, InterruptedException {
        return upInitialized(dir, DEFAULT_HEAP);
    }

    private static ClusterProcesses upInitialized(Path dir, String heap) throws IOException, InterruptedException {
        Path file = dir.resolve("cluster.toml");
        ClusterProcesses cluster = new ClusterProcesses(dir, ClusterConfigLoader.load(file), heap);
        Result up = cli(Duration.ofSeconds(330), "cluster", "up", "--dir", dir.toString(), "--wait", "300s",
                "--heap", heap);
        if (up.exit() != 0) {
            cluster.close();
            throw new IOException("cluster up failed:\n" + up.output());
        }
        cluster.upOutput = up.output();
        return cluster;
    }

    /** What {@code cluster up} printed when it started the cluster. */
    String upOutput() {
        return upOutput;
    }

    ClusterConfig config() {
        return config;
    }

    Path dir() {
        return dir;
    }

    /**
     * An admin API client of a node as the cluster file gives it, with the cluster's admin credential (over HTTPS
     * trusting the cluster CA and that node only, when the node serves TLS).
     */
    /**
     * The admin client of a node, one per node for the cluster's life: like the desktop app, tests keep their clients
     * (and so their connections) instead of opening new ones for every call, which a node's per-client connection
     * cap would refuse.
     */
    AdminClient admin(int nodeId) {
        return admins.computeIfAbsent(nodeId, id -> {
            try {
                return AdminClient.forNode(config, id, Duration.ofSeconds(10));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * An SDK client of a node, with the cluster's S3 credential (over HTTPS trusting the cluster CA and that node
     * only, when the node serves TLS); close it after use.
     */
    S3Client s3(int nodeId) {
        String ak = config.credentials().accessKey();
        String sk = config.credentials().secretKey();
        if (!config.node(nodeId).s3Tls()) {
            return Clients.s3(endpoint(nodeId), ak, sk);
        }
        return Clients.s3(endpoint(nodeId), ak, sk, trust().expectingNode(nodeId));
    }

    /** Trust in the cluster CA for this cluster's nodes. */
    ClusterTrust trust() {
        try {
            return ClusterTrust.load(config.tls().caCert(), Membership.of(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint(int nodeId) {
        return URI.create(config.node(nodeId).s3Endpoint());
    }

    List<Integer> nodeIds() {
        return config.nodes().stream().map(NodeConfig::id).toList();
    }

    /** SIGKILLs a node, as a crash would. */
    void kill(int nodeId) throws InterruptedException {
        Optional<ProcessHandle> p = PidFiles.liveProcess(dir, nodeId);
        if (p.isPresent()) {
            p.get().destroyForcibly();
            p.get().onExit().orTimeout(20, TimeUnit.SECONDS).join();
        }
    }

    /** Stops a node with SIGTERM, as an operator would, and waits until it has exited. */
    void stop(int nodeId) {
        Optional<ProcessHandle> p = PidFiles.liveProcess(dir, nodeId);
        if (p.isPresent()) {
            p.get().destroy();
            try {
                p.get().onExit().orTimeout(60, TimeUnit.SECONDS).join();
            } catch (java.util.concurrent.CompletionException e) {
                p.get().destroyForcibly();
                throw new IllegalStateException("node " + nodeId + " did not stop within 60 s of SIGTERM", e);
            }
        }
    }

    boolean alive(int nodeId) {
        return PidFiles.liveProcess(dir, nodeId).isPresent();
    }

    /** Starts every node that is not running ({@code cluster up} skips running ones). */
    void restartStopped() throws IOException, InterruptedException {
        Result up = cli(Duration.ofSeconds(330), "cluster", "up", "--dir", dir.toString(), "--wait", "300s",
                "--heap", heap);
        if (up.exit() != 0) {
            throw new IOException("cluster up failed:\n" + up.output());
        }
    }

    String log(int nodeId) throws IOException {
        Path log = dir.resolve("logs").resolve("node-" + nodeId + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws IOException {
        try {
            cli(Duration.ofSeconds(90), "cluster", "down", "--dir", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (int id : everListed) {
                Optional<ProcessHandle> p = PidFiles.liveProcess(dir, id);
                p.ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
