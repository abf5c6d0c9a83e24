package io.predastore.node.cli;

import io.predastore.node.bench.Durations;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cluster start-node N}, {@code stop-node N} and {@code kill-node N}: one node's process, on this machine or,
 * over SSH, on its host, as {@code cluster up} and {@code cluster down} do for every node.
 */
final class NodeProcessCommands {
    private NodeProcessCommands() {
    }

    /** The node {@code id} of {@code config}, or null after saying on {@code err} that there is none. */
    static NodeConfig node(ClusterConfig config, int id, PrintWriter err) {
        try {
            return config.node(id);
        } catch (ClusterConfigException e) {
            err.println("error: " + e.getMessage());
            return null;
        }
    }

    @Command(name = "start-node", mixinStandardHelpOptions = true,
            description = "Start one node of the cluster (on this machine or over SSH on its host) and wait until it "
                    + "serves S3.")
    static final class StartNode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The node's id.")
        int id;

        @Mixin
        ClusterDirectory cluster;

        @Option(names = "--wait", defaultValue = "60s", description = "How long to wait for the node "
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
            NodeConfig node = node(config, id, err);
            if (node == null) {
                return 2;
            }
            NodeLaunch.Resolved resolved = launch.resolve(wait, err);
            if (resolved == null) {
                return 2;
            }
            if (node.remote()) {
                try (RemoteHosts hosts = new RemoteHosts(config)) {
                    List<RemoteNodeControl.Started> started = new ArrayList<>();
                    try {
                        RemoteNodeControl.start(hosts, config, List.of(node), launch.heap, out, started);
                    } catch (RemoteNodeControl.StartFailure e) {
                        err.println("error: " + e.getMessage());
                        return 1;
                    }
                    if (started.isEmpty()) {
                        out.flush();
                        return 0;
                    }
                    String failure = RemoteNodeControl.awaitServing(hosts, config, started.get(0),
                            resolved.timeout());
                    if (failure != null) {
                        RemoteNodeControl.printStartFailure(err, hosts, config, node, failure);
                        err.println("Stopping it.");
                        RemoteNodeControl.stopStarted(hosts, config, started, err);
                        return 1;
                    }
                    out.println("node " + id + " serves at " + node.s3Endpoint() + " (pid " + started.get(0).pid()
                            + " on " + RemoteNodes.login(node) + ")");
                    out.flush();
                    return 0;
                }
            }
            Path dir = config.directory();
            Optional<ProcessHandle> running = PidFiles.liveProcess(dir, id);
            if (running.isPresent()) {
                out.println("node " + id + " is already running (pid " + running.get().pid() + ")");
                out.flush();
                return 0;
            }
            SupervisorSettings settings = SupervisorSettings.defaults().withMaxHeap(launch.heap)
                    .withStartTimeout(resolved.timeout());
            try (NodeSupervisor supervisor = NodeSupervisor.create(dir, settings)) {
                supervisor.start(id, NodeLaunchSpec.forClusterNode(config, id, resolved.nodeJar()));
                String failure = ClusterCommand.Up.awaitServing(supervisor, node, resolved.timeout());
                if (failure != null) {
                    ClusterCommand.Up.printStartFailure(err, dir, id, failure);
                    err.println("Stopping it.");
                    err.flush();
                    supervisor.stopAll(Duration.ofSeconds(5));
                    return 1;
                }
            }
            out.println("node " + id + " serves at " + node.s3Endpoint() + " (pid "
                    + PidFiles.readPid(dir, id).orElse(-1L) + ")");
            out.flush();
            return 0;
        }
    }

    @Command(name = "stop-node", mixinStandardHelpOptions = true,
            description = "Stop one node of the cluster (SIGTERM, then SIGKILL after the timeout), on this machine "
                    + "or over SSH on its host.")
    static final class StopNode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The node's id.")
        int id;

        @Mixin
        ClusterDirectory cluster;

        @Option(names = "--timeout", defaultValue = "10s", description = "How long the node gets to stop before "
                + "SIGKILL (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Override
        public Integer call() throws InterruptedException {
            return stopOrKill(spec, cluster, id, timeout, false);
        }
    }

    @Command(name = "kill-node", mixinStandardHelpOptions = true,
            description = "Kill one node of the cluster at once (SIGKILL, as a crash would end it), on this machine "
                    + "or over SSH on its host.")
    static final class KillNode implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "The node's id.")
        int id;

        @Mixin
        ClusterDirectory cluster;

        @Override
        public Integer call() throws InterruptedException {
            return stopOrKill(spec, cluster, id, null, true);
        }
    }

    private static int stopOrKill(CommandLine.Model.CommandSpec spec, ClusterDirectory cluster, int id,
            String timeoutText, boolean kill) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterConfig config = cluster.load(err);
        if (config == null) {
            return 1;
        }
        NodeConfig node = node(config, id, err);
        if (node == null) {
            return 2;
        }
        Duration timeout = Duration.ofSeconds(10);
        if (timeoutText != null) {
            try {
                timeout = Durations.parse(timeoutText);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
        }
        PidFiles.StopOutcome outcome;
        if (node.remote()) {
            try (RemoteHosts hosts = new RemoteHosts(config)) {
                Map<Integer, PidFiles.StopOutcome> done = RemoteNodeControl.stop(hosts, config, List.of(node),
                        timeout, kill, err);
                outcome = done.get(id);
            }
            if (outcome == null) {
                return 1;
            }
        } else if (kill) {
            outcome = PidFiles.kill(config.directory(), id);
        } else {
            outcome = PidFiles.stopAll(config.directory(), List.of(id), timeout).get(id);
        }
        out.println("node " + id + ": " + RemoteNodeControl.describe(outcome, kill ? null : timeoutText)
                + (node.remote() ? " (on " + RemoteNodes.login(node) + ")" : ""));
        out.flush();
        return 0;
    }
}
