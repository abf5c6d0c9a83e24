package io.predastore.app;

import io.predastore.app.service.ClusterService;
import io.predastore.app.service.SdkObjectStore;
import io.predastore.app.service.Transfer;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/**
 * The app's headless self-test ({@code Predastore --smoke}): without starting the JavaFX toolkit, creates a
 * five-node Reed-Solomon 3+2 dev cluster in a temporary folder through the services the app builds, with the same
 * construction code ({@link AppWiring}), waits until every node answers S3, uploads a file through one node, downloads it through another and compares the
 * bytes, prints how long the cluster took to run from the launch of the process, then stops every node and
 * deletes the folder. Used by the installer checks to prove that an installed image runs on its own runtime.
 *
 * <p>System properties as for the app: {@code predastore.nodeJar}, {@code predastore.nodeHeap},
 * {@code predastore.nodeJvmArgs}. Not thread-safe; run once per process.
 */
public final class SmokeRun {
    /** The argument that selects this mode. */
    public static final String FLAG = "--smoke";

    static final int NODES = 5;
    static final int DATA = 3;
    static final int PARITY = 2;
    /**
     * Generous, because five JVMs start at once: on a busy 2-core machine a node took over 3 minutes to be ready.
     * A healthy machine needs well under a minute.
     */
    private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(360);
    private static final Duration DEADLINE = Duration.ofSeconds(480);
    private static final String BUCKET = "smoke";
    private static final String KEY = "check/payload.bin";
    /** Three full 256 KiB stripes and a partial one. */
    private static final int PAYLOAD_BYTES = 3 * 3 * 256 * 1024 + 12_345;

    private final PrintStream out;
    private final Instant launched;

    SmokeRun(PrintStream out, Instant launched) {
        this.out = out;
        this.launched = launched;
    }

    /** Runs the check and returns the process exit code: 0 when it passed. */
    public static int run(PrintStream out) {
        Instant launched = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
        return new SmokeRun(out, launched).run();
    }

    int run() {
        Path dir = null;
        ClusterService cluster = null;
        try {
            dir = Files.createTempDirectory("predastore-smoke-");
            cluster = newClusterService();
            out.println("Smoke test: " + NODES + "-node dev cluster, erasure " + DATA + "+" + PARITY + ", in " + dir);
            out.println("Node code:  " + cluster.nodeJar());
            out.println("Java:       " + SupervisorSettings.currentJava());
            check(cluster, dir);
            out.println("SMOKE OK");
            return 0;
        } catch (Exception e) {
            out.println("SMOKE FAILED: " + e.getMessage());
            if (cluster != null) {
                printLogs(cluster);
            }
            return 1;
        } finally {
            if (cluster != null) {
                stop(cluster);
            }
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    /** The service the app builds ({@link AppWiring}), with more time for the nodes to start. */
    private static ClusterService newClusterService() {
        return AppWiring.clusterService(NODE_START_TIMEOUT);
    }

    private void check(ClusterService cluster, Path dir) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        ClusterConfig config = cluster.create(dir.resolve("cluster"), NODES, DATA, PARITY);
        cluster.startAll();
        awaitRunning(cluster, deadline);
        IntFunction<SdkObjectStore> s3For = AppWiring.localS3(config);
        for (NodeConfig node : config.nodes()) {
            try (SdkObjectStore s3 = s3For.apply(node.id())) {
                retry("node " + node.id() + " answering S3", deadline, s3::listBuckets);
            }
        }
        Duration toCluster = Duration.between(launched, Instant.now());
        out.printf("Cluster running: %d nodes answer S3, %.1f s after launch%n", NODES, toCluster.toMillis() / 1000.0);

        byte[] payload = new byte[PAYLOAD_BYTES];
        new Random(20261126L).nextBytes(payload);
        Path upload = dir.resolve("upload.bin");
        Path download = dir.resolve("download.bin");
        Files.write(upload, payload);
        int first = config.nodes().get(0).id();
        int last = config.nodes().get(config.nodes().size() - 1).id();
        try (SdkObjectStore writer = s3For.apply(first); SdkObjectStore reader = s3For.apply(last)) {
            retry("bucket creation", deadline, () -> {
                if (!writer.listBuckets().contains(BUCKET)) {
                    writer.createBucket(BUCKET);
                }
                return null;
            });
            writer.upload(BUCKET, KEY, upload, new Transfer(Files.size(upload)));
            reader.download(BUCKET, KEY, download);
        }
        long mismatch = Files.mismatch(upload, download);
        if (mismatch != -1) {
            throw new IllegalStateException("the object read back through node " + last + " differs from the upload "
                    + "at byte " + mismatch);
        }
        out.printf("Round trip:      %d bytes uploaded through node %d, read back identical through node %d%n",
                PAYLOAD_BYTES, first, last);
    }

    private void awaitRunning(ClusterService cluster, Instant deadline) throws InterruptedException {
        while (true) {
            List<NodeProcessStatus> statuses = cluster.statuses();
            for (NodeProcessStatus s : statuses) {
                if (s.state() == NodeState.FAILED || s.state() == NodeState.EXITED) {
                    throw new IllegalStateException("node " + s.nodeId() + " is " + s.state() + ": " + s.detail());
                }
            }
            if (statuses.size() == NODES && statuses.stream().allMatch(s -> s.state() == NodeState.RUNNING)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the nodes did not all run within " + DEADLINE.toSeconds() + " s: "
                        + statuses);
            }
            Thread.sleep(100);
        }
    }

    /** Calls until it succeeds or the deadline passes; the last failure is the cause of the error. */
    private static <T> T retry(String what, Instant deadline, Callable<T> call) throws Exception {
        while (true) {
            try {
                return call.call();
            } catch (Exception e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(what + " did not succeed before the deadline: " + e.getMessage(),
                            e);
                }
                Thread.sleep(250);
            }
        }
    }

    private void printLogs(ClusterService cluster) {
        for (NodeProcessStatus s : cluster.statuses()) {
            List<String> tail = cluster.logTail(s.nodeId());
            out.println("---- node " + s.nodeId() + " (" + s.state() + "), last lines of its log ----");
            tail.subList(Math.max(0, tail.size() - 20), tail.size()).forEach(out::println);
        }
    }

    private void stop(ClusterService cluster) {
        try {
            cluster.stopAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cluster.close();
        }
        long active = cluster.statuses().stream().filter(s -> s.state().isActive()).count();
        out.println(active == 0 ? "Stopped all nodes" : "WARNING: " + active + " nodes may still run");
    }

    private void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            out.println("WARNING: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
