package io.predastore.node.supervisor;

import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to launch one node process: {@code java <jvmArgs> -jar <jar> <programArgs>}. The node writes its own log to
 * {@code logFile} (rolled and bounded, with {@code serve --log-file}); what the process itself prints on stdout and
 * stderr (the JVM's own errors, a crash) goes to {@link #consoleFile()}, emptied at each start.
 *
 * @param jar         the node jar ({@code predastore-node.jar})
 * @param jvmArgs     extra JVM options; the supervisor adds {@code -Xmx} and the Vector API module unless present
 * @param programArgs the node's command line, e.g. {@code serve --backend ...}
 * @param logFile     the node's log; the supervisor also marks each start in it
 * @param s3Address   the node's S3 address; reaching it over TCP also counts as ready. May be null, then only
 *                    the {@code S3 endpoint: } line in the log does
 */
public record NodeLaunchSpec(Path jar, List<String> jvmArgs, List<String> programArgs, Path logFile,
        InetSocketAddress s3Address) {

    public NodeLaunchSpec {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(logFile, "logFile");
        jvmArgs = List.copyOf(jvmArgs);
        programArgs = List.copyOf(programArgs);
    }

    /** {@code <clusterDir>/logs/node-N.log}. */
    public static Path logFile(Path clusterDir, int nodeId) {
        return clusterDir.resolve("logs").resolve("node-" + nodeId + ".log");
    }

    /**
     * Where the process's stdout and stderr go: {@code node-N.out} beside {@code node-N.log}. Normally empty, since
     * the node logs to its log file; it catches what the JVM prints before or beyond logging.
     */
    public Path consoleFile() {
        return consoleFileOf(logFile);
    }

    /** The console file that goes with a node log file: {@code node-N.out} for {@code node-N.log}. */
    public static Path consoleFileOf(Path logFile) {
        String name = logFile.getFileName().toString();
        String base = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
        return logFile.resolveSibling(base + ".out");
    }

    /**
     * Runs the cluster node: {@code serve --backend distributed --config <cluster file> --node N --log-file
     * <logs/node-N.log>}, this jar.
     */
    public static NodeLaunchSpec forClusterNode(ClusterConfig config, int nodeId) {
        return forClusterNode(config, nodeId, runningJar());
    }

    /** Runs the cluster node from {@code jar}. */
    public static NodeLaunchSpec forClusterNode(ClusterConfig config, int nodeId, Path jar) {
        if (config.file() == null) {
            throw new IllegalArgumentException("the cluster configuration must come from a cluster file");
        }
        NodeConfig node = config.node(nodeId);
        Path log = logFile(config.directory(), nodeId);
        return new NodeLaunchSpec(jar, List.of(), List.of("serve", "--backend", "distributed", "--config",
                config.file().toString(), "--node", Integer.toString(nodeId), "--log-file", log.toString()),
                log, new InetSocketAddress(node.host(), node.s3Port()));
    }

    /** The jar this class was loaded from. */
    public static Path runningJar() {
        try {
            Path location = Path.of(NodeLaunchSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && location.toString().endsWith(".jar")) {
                return location;
            }
            throw new IllegalStateException("not running from the node jar (loaded from " + location
                    + "); pass the path of predastore-node.jar");
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            throw new IllegalStateException("cannot tell which jar is running; pass the path of predastore-node.jar",
                    e);
        }
    }

    /** The same launch with other program arguments. */
    public NodeLaunchSpec withProgramArgs(List<String> args) {
        return new NodeLaunchSpec(jar, jvmArgs, args, logFile, s3Address);
    }
}
