package io.predastore.node.cli;

import io.predastore.node.bench.ByteSizes;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.StorageStatus;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster status}: each node's process, its state as a member, the health of its storage and whether its S3
 * port answers. The member states come from the replicated member list of the first node that answers; a node of
 * the cluster file missing from it, or a member missing from the file, is flagged. A node the list says is removed
 * and whose process has exited is dropped from the cluster file here, so the file follows the members.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each node's state as a member, its process, the health of its storage (from its admin "
                + "API) and whether its S3 port answers; drop from the cluster file nodes that were removed.")
final class StatusCommand implements Callable<Integer> {
    /** The state column of a node when no node answered with the member list. */
    static final String UNKNOWN = "?";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterDirectory cluster;

    @Option(names = "--log-lines", paramLabel = "N", defaultValue = "0", description = "Also show the last N "
            + "lines of each node's log (default: ${DEFAULT-VALUE}).")
    int logLines;

    @Option(names = "--json", description = "Print the member list as the admin API's JSON (GET /admin/v1/members: "
            + "epoch and members) instead of the table; exit 3 when no node answers.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterConfig config = cluster.load(err);
        if (config == null) {
            return 1;
        }
        NodeAdmins admins = new NodeAdmins(config);
        MemberList list = MemberList.fetch(admins, -1, new ArrayList<>());
        if (json) {
            if (list == null) {
                err.println("No node's admin API answered; start the cluster (cluster up --dir " + cluster.dir
                        + ")");
                return HealthCommand.NO_ANSWER;
            }
            // Scripts read stdout as JSON: what pruning says goes to stderr.
            list.pruneRemoved(config, err, err);
            out.println(AdminJson.write(list.members()));
            out.flush();
            return 0;
        }
        if (list != null) {
            config = list.pruneRemoved(config, out, err);
        }
        Path dir = config.directory();
        out.printf("%-6s %-9s %-9s %-8s %-22s %-6s %-6s %-6s %-8s %s%n", "NODE", "STATE", "PROCESS", "PID", "S3",
                "RAFT", "SHARD", "ADMIN", "STORAGE", "S3 REACHABLE");
        List<String> details = new ArrayList<>();
        Map<Integer, OptionalLong> remotePids = remotePids(config, details);
        for (NodeConfig node : config.nodes()) {
            String processState;
            String pid;
            if (node.remote()) {
                OptionalLong remotePid = remotePids.get(node.id());
                processState = remotePid == null ? "?" : remotePid.isPresent() ? "alive" : "stopped";
                pid = remotePid != null && remotePid.isPresent() ? Long.toString(remotePid.getAsLong()) : "-";
            } else {
                Optional<ProcessHandle> process = PidFiles.liveProcess(dir, node.id());
                processState = process.isPresent() ? "alive" : "stopped";
                pid = process.map(p -> Long.toString(p.pid())).orElse("-");
            }
            String storage = !"stopped".equals(processState) ? storage(admins, node, details) : "-";
            String state = UNKNOWN;
            if (list != null) {
                Optional<ClusterMember> member = list.member(node.id());
                state = member.map(m -> m.state().wireName()).orElse("-");
                if (member.isEmpty()) {
                    details.add("node " + node.id() + ": in the cluster file but not in the member list");
                }
            }
            out.printf("%-6d %-9s %-9s %-8s %-22s %-6d %-6d %-6d %-8s %s%n", node.id(), state, processState, pid,
                    node.host() + ":" + node.s3Port(), node.raftPort(), node.shardPort(), node.adminPort(),
                    storage, ClusterCommand.reachable(node.host(), node.s3Port()) ? "yes" : "no");
        }
        if (list != null) {
            for (ClusterMember m : list.members().members()) {
                OptionalInt id = DevNodeFiles.nodeId(m);
                boolean inFile = id.isPresent() && config.nodes().stream().anyMatch(n -> n.id() == id.getAsInt());
                if (inFile) {
                    continue;
                }
                Optional<ProcessHandle> process = id.isPresent() ? PidFiles.liveProcess(dir, id.getAsInt())
                        : Optional.empty();
                out.printf("%-6s %-9s %-9s %-8s %-22s %-6s %-6s %-6d %-8s %s%n",
                        id.isPresent() ? Integer.toString(id.getAsInt()) : m.id(), m.state().wireName(),
                        process.isPresent() ? "alive" : "stopped",
                        process.map(p -> Long.toString(p.pid())).orElse("-"), m.host() + ":" + m.s3Port(),
                        m.raftPort() == null ? "-" : m.raftPort().toString(),
                        m.shardPort() == null ? "-" : m.shardPort().toString(), m.adminPort(), "-",
                        m.state() == MemberState.REMOVED ? "-"
                                : ClusterCommand.reachable(m.host(), m.s3Port()) ? "yes" : "no");
                if (m.state() != MemberState.REMOVED) {
                    details.add(m.id() + ": in the member list (" + m.state().wireName() + ") but not in the cluster "
                            + "file, so 'cluster up' and 'cluster down' do not start or stop it");
                }
            }
            out.println("Member list: ring epoch " + list.members().epoch() + ", from node " + list.nodeId() + "; "
                    + list.active() + " active of " + list.members().members().size() + " member(s)");
        } else {
            out.println("Member list: no node answered, so the member states are unknown");
        }
        details.forEach(out::println);
        if (logLines > 0) {
            try (RemoteHosts hosts = new RemoteHosts(config)) {
                for (NodeConfig node : config.nodes()) {
                    out.println();
                    if (node.remote()) {
                        SshTarget target = RemoteNodes.login(node);
                        RemoteNodes.Layout at = RemoteNodes.layout(config);
                        out.println("node " + node.id() + " (" + at.log(node.id()) + " on " + target + "):");
                        List<String> tail;
                        try {
                            tail = RemoteNodes.tail(hosts.get(target), at, node.id(), logLines);
                        } catch (IOException e) {
                            tail = List.of("(cannot read it: " + e.getMessage() + ")");
                        }
                        tail.forEach(line -> out.println("  " + line));
                        continue;
                    }
                    Path log = NodeLaunchSpec.logFile(dir, node.id());
                    out.println("node " + node.id() + " (" + log + "):");
                    NodeSupervisor.tail(log, logLines).forEach(line -> out.println("  " + line));
                }
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The pids of the remote nodes, read from their pid files over SSH, one connection per host; a node whose host
     * cannot be asked is left out, with a line in {@code details}.
     */
    private static Map<Integer, OptionalLong> remotePids(ClusterConfig config, List<String> details) {
        Map<Integer, OptionalLong> pids = new HashMap<>();
        if (!config.hasRemoteNodes()) {
            return pids;
        }
        try (RemoteHosts hosts = new RemoteHosts(config)) {
            for (Map.Entry<SshTarget, List<NodeConfig>> e : RemoteNodes.byHost(config).entrySet()) {
                List<Integer> ids = e.getValue().stream().map(NodeConfig::id).toList();
                try {
                    pids.putAll(RemoteNodes.running(hosts.get(e.getKey()), RemoteNodes.layout(config), ids));
                } catch (IOException ex) {
                    details.add("node(s) " + ids + ": cannot ask " + e.getKey() + " whether they run: "
                            + ex.getMessage());
                }
            }
        }
        return pids;
    }

    /**
     * One word for the node's storage ({@code ok}, {@code FULL}, {@code PROBLEM}, {@code RESTART}, or {@code ?}
     * when its admin API does not say), adding a line to {@code details} for anything that is not ok.
     */
    private static String storage(NodeAdmins admins, NodeConfig node, List<String> details) {
        StorageStatus s;
        try {
            s = admins.client(node.id()).status().storage();
        } catch (IOException | RuntimeException e) {
            details.add("node " + node.id() + ": its admin API did not answer (" + e.getMessage() + ")");
            return "?";
        }
        if (s == null) {
            return "?";
        }
        if (s.belowReserve()) {
            details.add("node " + node.id() + ": " + ByteSizes.format(s.usableBytes()) + " free, below its "
                    + "reserve of " + ByteSizes.format(s.reserveBytes()) + ": the cluster refuses new data "
                    + "until objects are deleted or multipart uploads aborted");
        }
        for (String problem : s.problems()) {
            details.add("node " + node.id() + ": " + problem);
        }
        if (s.restartNeeded()) {
            return "RESTART";
        }
        return s.belowReserve() ? "FULL" : s.problems().isEmpty() ? "ok" : "PROBLEM";
    }
}
