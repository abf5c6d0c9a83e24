package io.predastore.node.cli;

import io.predastore.node.remote.RemoteHost;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Starting, waiting for and stopping the remote nodes of a cluster from the {@code cluster} commands, over the
 * command's {@link RemoteHosts}: the SSH side of {@code up}, {@code down}, {@code start-node}, {@code stop-node} and
 * {@code kill-node}. A node counts as serving once its S3 port accepts a TCP connection from here.
 */
final class RemoteNodeControl {
    private RemoteNodeControl() {
    }

    /** A remote node this command started. */
    record Started(SshTarget target, NodeConfig node, long pid) {
    }

    /** A remote node could not be started; the message says why and what to do. */
    static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message) {
            super(message);
        }
    }

    /**
     * Starts those of {@code nodes} (remote ones) that do not run yet, host by host, and returns them without
     * waiting; says on {@code out} which already run. Each host is checked first: the deployed files are there, and
     * a Java of at least {@link RemoteNodes#MIN_JAVA}.
     *
     * @param started filled with each node as it is started, so the caller can stop them after a failure
     * @throws StartFailure when a node's files are missing there, the host has no usable Java, or it is unreachable
     */
    static void start(RemoteHosts hosts, ClusterConfig config, List<NodeConfig> nodes, String heap, PrintWriter out,
            List<Started> started) throws StartFailure {
        RemoteNodes.Layout at = RemoteNodes.layout(config);
        Map<SshTarget, List<NodeConfig>> byHost = new LinkedHashMap<>();
        for (NodeConfig node : nodes) {
            byHost.computeIfAbsent(RemoteNodes.login(node), t -> new ArrayList<>()).add(node);
        }
        for (Map.Entry<SshTarget, List<NodeConfig>> entry : byHost.entrySet()) {
            SshTarget target = entry.getKey();
            try {
                RemoteHost host = hosts.get(target);
                Map<Integer, OptionalLong> running = RemoteNodes.running(host, at,
                        entry.getValue().stream().map(NodeConfig::id).toList());
                RemoteNodes.HostCheck check = null;
                for (NodeConfig node : entry.getValue()) {
                    OptionalLong runningPid = running.get(node.id());
                    if (runningPid.isPresent()) {
                        out.println("node " + node.id() + " is already running on " + target + " (pid "
                                + runningPid.getAsLong() + ")");
                        continue;
                    }
                    String missing = RemoteNodes.missingFiles(host, at, node.id());
                    if (missing != null) {
                        throw new StartFailure("node " + node.id() + " cannot start on " + target + ": " + missing
                                + " not there. Copy the node's files first: predastore-node cluster deploy --dir "
                                + config.directory());
                    }
                    if (check == null) {
                        check = RemoteNodes.checkHost(host);
                        String problem = check.problem(target);
                        if (problem != null) {
                            throw new StartFailure(problem);
                        }
                    }
                    long pid = RemoteNodes.start(host, at, node, check.java(), heap);
                    started.add(new Started(target, node, pid));
                }
            } catch (IOException e) {
                throw new StartFailure(e.getMessage());
            }
        }
    }

    /**
     * Waits until {@code started} serves S3 (its port accepts TCP from here), checking about once a second that its
     * process still runs on the host.
     *
     * @return why it does not serve, or null once it does
     */
    static String awaitServing(RemoteHosts hosts, ClusterConfig config, Started started, Duration timeout)
            throws InterruptedException {
        NodeConfig node = started.node();
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextCheck = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ClusterCommand.reachable(node.host(), node.s3Port())) {
                return null;
            }
            if (System.nanoTime() >= nextCheck) {
                nextCheck = System.nanoTime() + 1_000_000_000L;
                try {
                    RemoteHost host = hosts.get(started.target());
                    OptionalLong pid = RemoteNodes.running(host, RemoteNodes.layout(config), List.of(node.id()))
                            .get(node.id());
                    if (pid.isEmpty()) {
                        return "its process (pid " + started.pid() + ") on " + started.target() + " exited";
                    }
                } catch (IOException e) {
                    return "cannot check on it: " + e.getMessage();
                }
            }
            Thread.sleep(200);
        }
        return "it did not serve S3 on " + node.host() + ":" + node.s3Port() + " within "
                + timeout.toSeconds() + " s";
    }

    /** Says that remote node {@code node} did not start, why, and the end of its log on the host. */
    static void printStartFailure(PrintWriter err, RemoteHosts hosts, ClusterConfig config, NodeConfig node,
            String why) {
        SshTarget target = RemoteNodes.login(node);
        RemoteNodes.Layout at = RemoteNodes.layout(config);
        err.println("error: node " + node.id() + " did not start on " + target + ": " + why);
        try {
            List<String> tail = RemoteNodes.tail(hosts.get(target), at, node.id(), 20);
            err.println("Last lines of " + at.log(node.id()) + " on " + target + ":");
            tail.forEach(line -> err.println("  " + line));
        } catch (IOException e) {
            err.println("(its log on " + target + " cannot be read: " + e.getMessage() + ")");
        }
    }

    /**
     * Stops {@code nodes} (remote ones), host by host: SIGTERM then SIGKILL after {@code timeout}, or SIGKILL at once
     * when {@code kill}.
     *
     * @return per node id, what happened; a host that cannot be reached is said on {@code err} and its nodes are
     *     left out
     */
    static Map<Integer, PidFiles.StopOutcome> stop(RemoteHosts hosts, ClusterConfig config, List<NodeConfig> nodes,
            Duration timeout, boolean kill, PrintWriter err) {
        RemoteNodes.Layout at = RemoteNodes.layout(config);
        Map<SshTarget, List<Integer>> byHost = new LinkedHashMap<>();
        for (NodeConfig node : nodes) {
            byHost.computeIfAbsent(RemoteNodes.login(node), t -> new ArrayList<>()).add(node.id());
        }
        Map<Integer, PidFiles.StopOutcome> outcomes = new LinkedHashMap<>();
        for (Map.Entry<SshTarget, List<Integer>> entry : byHost.entrySet()) {
            try {
                outcomes.putAll(RemoteNodes.stop(hosts.get(entry.getKey()), at, entry.getValue(), timeout, kill));
            } catch (IOException e) {
                err.println("error: cannot stop node(s) " + entry.getValue() + " on " + entry.getKey() + ": "
                        + e.getMessage());
            }
        }
        return outcomes;
    }

    /** Stops remote nodes this command started, after a failure. */
    static void stopStarted(RemoteHosts hosts, ClusterConfig config, List<Started> started, PrintWriter err) {
        stop(hosts, config, started.stream().map(Started::node).toList(), Duration.ofSeconds(5), false, err);
    }

    /** How a stop ended, as {@code cluster down} says it. */
    static String describe(PidFiles.StopOutcome outcome, String timeout) {
        return switch (outcome) {
            case NOT_RUNNING -> "not running";
            case STOPPED -> "stopped";
            case KILLED -> "killed" + (timeout == null ? "" : " after " + timeout);
        };
    }
}
