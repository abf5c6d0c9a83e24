package io.predastore.node.it;

import io.predastore.node.supervisor.PidFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One five-node RS(3,2) cluster ({@code cluster init} + {@code cluster up}, each node its own JVM) shared by every
 * {@link OnCluster} test class of the JVM: started by the first such class, stopped when the whole test run ends
 * (JUnit closes {@link AutoCloseable} values of the root store), with a shutdown hook as a last resort. The cluster
 * file is given the test credentials of {@link NodeProcess} so that the single-node suites run unchanged.
 */
final class SharedCluster implements AutoCloseable {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);
    private static volatile SharedCluster current;

    private final ClusterProcesses processes;
    private final List<URI> endpoints;
    private final RandomNodeRouting routing;
    private final S3Client s3;
    private final Thread killer;

    private SharedCluster(ClusterProcesses processes, long seed) {
        this.processes = processes;
        this.endpoints = processes.nodeIds().stream().map(processes::endpoint).toList();
        this.routing = new RandomNodeRouting(endpoints, seed);
        this.s3 = Clients.s3Routed(endpoints.get(0), routing, NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY);
        Path dir = processes.dir();
        List<Integer> ids = processes.nodeIds();
        this.killer = new Thread(() -> ids.forEach(id -> PidFiles.liveProcess(dir, id)
                .ifPresent(ProcessHandle::destroyForcibly)), "kill-shared-cluster");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts (once per JVM) the shared cluster for a test class marked {@link OnCluster}. */
    static final class Acquire implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            if (OnCluster.class.isAssignableFrom(context.getRequiredTestClass())) {
                current = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SharedCluster.class,
                        k -> start(), SharedCluster.class);
            }
        }
    }

    static SharedCluster get() {
        SharedCluster c = current;
        if (c == null) {
            throw new IllegalStateException("no shared cluster: the test class must implement OnCluster");
        }
        return c;
    }

    private static SharedCluster start() {
        long seed = Long.getLong("predastore.it.seed", System.nanoTime());
        System.out.println("shared cluster: routing seed " + seed + " (-Dpredastore.it.seed=" + seed + ")");
        try {
            Path dir = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "shared-cluster-");
            ClusterProcesses processes = ClusterProcesses.up(dir.resolve("cluster"), 5, 3, 2,
                    SharedCluster::withTestCredentials);
            return new SharedCluster(processes, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The cluster file with the S3 key pair of the single-node tests. */
    static String withTestCredentials(String clusterFile) {
        return clusterFile
                .replaceFirst("(?m)^access_key = .*$", Matcher.quoteReplacement("access_key = \""
                        + NodeProcess.ACCESS_KEY + "\""))
                .replaceFirst("(?m)^secret_key = .*$", Matcher.quoteReplacement("secret_key = \""
                        + NodeProcess.SECRET_KEY + "\""));
    }

    /** A client that sends each request to a random node. */
    S3Client s3() {
        return s3;
    }

    /** A client with other credentials that also sends each request to a random node. */
    S3Client s3(String accessKey, String secretKey) {
        return Clients.s3Routed(endpoints.get(0), routing, accessKey, secretKey);
    }

    RandomNodeRouting routing() {
        return routing;
    }

    List<URI> endpoints() {
        return endpoints;
    }

    ClusterProcesses processes() {
        return processes;
    }

    @Override
    public void close() throws IOException {
        current = null;
        s3.close();
        try {
            processes.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (!Boolean.getBoolean("predastore.it.keep")) {
            Path root = processes.dir().getParent();
            List<Path> paths = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
            }
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
