package io.predastore.node.cli;

import io.predastore.node.bench.Durations;
import io.predastore.node.supervisor.DevFaults;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cluster replace-node N}: node N of a cluster on this machine starts again on an empty data directory, as
 * after a disk replacement, keeping its id, address, certificate and cluster secret. It rejoins the metadata group by
 * itself (a snapshot from the leader) and the protection pass finds every shard it held absent and rebuilds it in
 * place from the other nodes (see docs/healing.md).
 *
 * <p>It refuses while any object is at risk or unreadable (unless {@code --force}): those objects have no shard to
 * spare, and the replaced node's shards may be among those they still have. Degraded objects are fine: losing one
 * more shard leaves them readable, and they are rebuilt with the rest.
 */
@Command(name = "replace-node", mixinStandardHelpOptions = true,
        description = {"Replace node N with an empty one, as after a disk replacement; the cluster rebuilds its "
                + "shards.",
            "%nThe node keeps its id, address, certificate and cluster secret: it is stopped, its shards and "
                    + "metadata are deleted, and it is started again. Refused while any object is at risk or "
                    + "unreadable, unless --force. Returns once the node serves again; follow the rebuild with "
                    + "'cluster health'."})
final class ReplaceNodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterDirectory cluster;

    @Parameters(index = "0", paramLabel = "N", description = "The id of the node to replace.")
    int nodeId;

    @Option(names = "--force", description = "Replace it even if objects are at risk, unreadable, or their "
            + "protection cannot be read.")
    boolean force;

    @Option(names = "--timeout", defaultValue = "10s", description = "How long the node gets to stop before SIGKILL "
            + "(default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--wait", defaultValue = "120s", description = "How long to wait for the new node to serve "
            + "(default: ${DEFAULT-VALUE}).")
    String wait;

    @Mixin
    NodeLaunch launch;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterConfig config = cluster.load(err);
        if (config == null) {
            return 1;
        }
        if (config.hasRemoteNodes()) {
            err.println("error: " + ClusterDirectory.LOCAL_ONLY.formatted("'cluster replace-node'"));
            return 1;
        }
        Optional<NodeConfig> found = config.nodes().stream().filter(n -> n.id() == nodeId).findFirst();
        if (found.isEmpty()) {
            err.println("error: the cluster has no node " + nodeId + " (its nodes: " + config.nodes().stream()
                    .map(n -> Integer.toString(n.id())).toList() + ")");
            return 2;
        }
        NodeConfig node = found.get();
        Duration stopWait;
        Duration startWait;
        Path nodeJar;
        try {
            stopWait = Durations.parse(timeout);
            startWait = Durations.parse(wait);
            nodeJar = launch.nodeJar();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        // Checked before the node is stopped: a directory that is not a node's is never touched, and the node
        // keeps running.
        try {
            DevFaults.requireNodeDataDir(node.dataDir());
        } catch (IOException e) {
            err.println("error: not replacing node " + nodeId + ": " + e.getMessage());
            return 1;
        }
        if (!force) {
            String refusal = refusal(config, nodeId);
            if (refusal != null) {
                err.println("error: not replacing node " + nodeId + ": " + refusal);
                err.println("Wait until 'predastore-node cluster health --dir " + cluster.dir + "' shows no object "
                        + "at risk or unreadable, or pass --force to replace it anyway.");
                return 1;
            }
        }
        Path clusterDir = config.directory();
        PidFiles.StopOutcome stopped = PidFiles.stopAll(clusterDir, List.of(nodeId), stopWait).get(nodeId);
        out.println("node " + nodeId + ": " + switch (stopped) {
            case NOT_RUNNING -> "was not running";
            case STOPPED -> "stopped";
            case KILLED -> "killed after " + timeout;
        });
        List<Path> deleted;
        try {
            deleted = DevFaults.wipe(node.dataDir());
        } catch (IOException e) {
            err.println("error: could not empty the data directory of node " + nodeId + ": " + e.getMessage());
            err.println("Nothing was started; fix the directory and run this command again.");
            return 1;
        }
        out.println("node " + nodeId + ": deleted " + (deleted.isEmpty() ? "nothing (already empty)" : deleted)
                + "; kept its cluster secret and certificate");
        SupervisorSettings settings = SupervisorSettings.defaults().withMaxHeap(launch.heap)
                .withStartTimeout(startWait);
        try (NodeSupervisor supervisor = NodeSupervisor.create(clusterDir, settings)) {
            supervisor.start(nodeId, NodeLaunchSpec.forClusterNode(config, nodeId, nodeJar));
            String failure = ClusterCommand.Up.awaitServing(supervisor, node, startWait);
            if (failure != null) {
                ClusterCommand.Up.printStartFailure(err, clusterDir, nodeId, failure);
                err.println("Its data directory is empty now; start it again with 'predastore-node cluster up --dir "
                        + cluster.dir + "' once the cause is fixed.");
                return 1;
            }
        }
        out.println("node " + nodeId + " started empty at " + node.s3Endpoint() + " (pid "
                + PidFiles.readPid(clusterDir, nodeId).orElse(-1L) + "). It rejoins the metadata group by itself, "
                + "and the cluster rebuilds the shards it held from the other nodes.");
        out.println("Follow the rebuild with: predastore-node cluster health --dir " + cluster.dir);
        out.flush();
        return 0;
    }

    /** Why replacing {@code nodeId} now could lose data, or null if it cannot. */
    static String refusal(ClusterConfig config, int nodeId) {
        List<String> failures = new ArrayList<>();
        ProtectionReport report = HealthCommand.fetch(config, nodeId, failures);
        if (report == null) {
            return "no other node's admin API answered, so the objects' protection is unknown (" + String.join("; ",
                    failures) + ")";
        }
        return refusal(report);
    }

    /**
     * Why a cluster in the state {@code report} describes must not lose a node's data now, or null
     * ({@link ProtectionReport#replacementRefusal}).
     */
    static String refusal(ProtectionReport report) {
        return report.replacementRefusal().orElse(null);
    }
}
