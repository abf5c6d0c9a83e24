package io.predastore.chaos.workload;

import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dev cluster on loopback, brought up as a user does it ({@code predastore-node cluster init}, then
 * {@code cluster up}, one JVM per node) and taken down with {@code cluster down} and a kill of anything left.
 */
final class LoopbackCluster implements AutoCloseable {
    private final Path dir;
    private final ClusterConfig config;

    private LoopbackCluster(Path dir, ClusterConfig config) {
        this.dir = dir;
        this.config = config;
    }

    /** Initialises and starts a cluster of {@code nodes} nodes in {@code dir}, each with heap {@code heap}. */
    static LoopbackCluster up(Path dir, int nodes, String heap) throws IOException, InterruptedException {
        cli(Duration.ofSeconds(60), "cluster", "init", "--dir", dir.toString(), "--nodes", Integer.toString(nodes),
                "--base-port", "0");
        LoopbackCluster cluster = new LoopbackCluster(dir, ClusterConfigLoader.load(dir.resolve("cluster.toml")));
        try {
            cli(Duration.ofSeconds(200), "cluster", "up", "--dir", dir.toString(), "--wait", "180s", "--heap", heap);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    ClusterConfig config() {
        return config;
    }

    private static void cli(Duration timeout, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("predastore.node.jar", "../node-runtime/target/predastore-node.jar");
        Path jarPath = Paths.get(jar).toAbsolutePath();
        if (!Files.isRegularFile(jarPath)) {
            throw new IllegalStateException("the node jar " + jarPath + " is missing; build it with "
                    + "mvn -o -pl node-runtime -am package -DskipTests");
        }
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-jar", jarPath.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("predastore-node " + String.join(" ", args) + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new IOException("predastore-node " + String.join(" ", args) + " failed with exit "
                    + p.exitValue() + ":\n" + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            cli(Duration.ofSeconds(90), "cluster", "down", "--dir", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (NodeConfig n : config.nodes()) {
                PidFiles.liveProcess(dir, n.id()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
