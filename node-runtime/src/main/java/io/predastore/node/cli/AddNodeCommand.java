package io.predastore.node.cli;

import io.predastore.client.AdminException;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.PortAllocator;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ClusterConfigWriter;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster add-node}: a new node for a running dev cluster on this machine (docs/membership.md). It takes the
 * next id never used, free ports, a certificate from the cluster CA and the cluster secret; the running cluster
 * adds it to the member list as {@code joining}; then it is appended to the cluster file and started. It receives
 * the metadata by snapshot, becomes {@code active} once caught up, and the rebalancer moves shards onto it.
 *
 * <p>The order matters: files are made first and taken back if the cluster refuses the node, so a refusal leaves
 * nothing behind; the cluster file changes only once the member list has the node, so the file never names a node
 * the cluster does not know.
 */
@Command(name = "add-node", mixinStandardHelpOptions = true,
        description = {"Add a new node to the running cluster: the next id, free ports, a certificate from the "
                + "cluster CA; it joins, receives the metadata and becomes active.",
            "%nThe node is added to the member list as joining, appended to the cluster file and started. Unless "
                    + "--no-wait, returns once it serves S3 and is active; follow the rebalance onto it with "
                    + "'cluster health'."})
final class AddNodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterDirectory cluster;

    @Option(names = "--timeout", defaultValue = "120s", description = "How long to wait for the node to serve S3 "
            + "and become active (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--no-wait", description = "Return once the node is started, before it is active.")
    boolean noWait;

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
            err.println("error: " + ClusterDirectory.LOCAL_ONLY.formatted("'cluster add-node'"));
            return 1;
        }
        NodeLaunch.Resolved resolved = launch.resolve(timeout, err);
        if (resolved == null) {
            return 2;
        }
        Duration wait = resolved.timeout();
        Path nodeJar = resolved.nodeJar();
        List<String> failures = new ArrayList<>();
        MemberList list = MemberList.fetch(config, -1, failures);
        if (list == null) {
            err.println("error: no node of the cluster answered, so no node can be added; start the cluster first: "
                    + "predastore-node cluster up --dir " + cluster.dir);
            failures.forEach(f -> err.println("  " + f));
            return 1;
        }
        NodeConfig node;
        DevNodeFiles.Created created;
        try {
            InetAddress host = InetAddress.getByName(config.nodes().get(0).host());
            int first = DevNodeFiles.firstFreePortAfter(config);
            // Near the top of the range there may be no four free ports left above the cluster's: let the OS pick.
            PortAllocator ports = first > 65000 ? PortAllocator.ephemeral(host) : PortAllocator.from(host, first);
            node = DevNodeFiles.plan(config, list.members(), ports);
            created = DevNodeFiles.create(config, node, Instant.now());
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: no node added: " + e.getMessage());
            return 1;
        }
        int id = node.id();
        ClusterMembers added = addMember(list, node, err);
        if (added == null) {
            List<Path> left = DevNodeFiles.undo(created);
            err.println(left.isEmpty() ? "Nothing was changed: the certificate and data directory made for node " + id
                    + " were deleted again." : "The cluster is unchanged, but these files made for node " + id
                    + " could not be deleted; delete them by hand: " + left);
            return 1;
        }
        out.println("node " + id + ": added to the member list as joining (ring epoch " + added.epoch() + ")");
        ClusterConfig updated;
        try {
            updated = DevNodeFiles.appendToClusterFile(config, node);
        } catch (IOException | ClusterConfigException e) {
            err.println("error: node " + id + " is a member of the cluster now (joining), with its certificate and "
                    + "data directory in place, but the cluster file could not be updated: " + e.getMessage());
            err.println("Add this table to " + config.file() + " by hand, then start the node with: "
                    + "predastore-node cluster up --dir " + cluster.dir);
            err.print(ClusterConfigWriter.nodeTable(node, config.directory()));
            return 1;
        }
        out.println("node " + id + ": appended to " + updated.file());
        SupervisorSettings settings = SupervisorSettings.defaults().withMaxHeap(launch.heap).withStartTimeout(wait);
        long deadline = System.nanoTime() + wait.toNanos();
        try (NodeSupervisor supervisor = NodeSupervisor.create(updated.directory(), settings)) {
            supervisor.start(id, NodeLaunchSpec.forClusterNode(updated, id, nodeJar));
            if (!noWait) {
                String failure = ClusterCommand.Up.awaitServing(supervisor, node, wait);
                if (failure != null) {
                    ClusterCommand.Up.printStartFailure(err, updated.directory(), id, failure);
                    err.println("node " + id + " is a member (joining) and in the cluster file, and the cluster waits "
                            + "for it to follow the metadata. Fix the cause, then start it with 'predastore-node "
                            + "cluster up --dir " + cluster.dir + "'.");
                    return 1;
                }
            }
        }
        long pid = PidFiles.readPid(updated.directory(), id).orElse(-1L);
        if (noWait) {
            out.println("node " + id + ": started at " + node.s3Endpoint() + " (pid " + pid + "); it becomes active "
                    + "once its metadata replica has caught up with the leader.");
            printFollow(out);
            return 0;
        }
        NodeAdmins admins = new NodeAdmins(updated);
        Optional<ClusterMember> member = awaitActive(admins, id, deadline);
        String state = member.map(m -> m.state().wireName()).orElse("not listed");
        if (member.isEmpty() || member.get().state() != MemberState.ACTIVE) {
            err.println("error: node " + id + " serves S3 at " + node.s3Endpoint() + " (pid " + pid + ") but is "
                    + state + " after " + timeout + "; it becomes active once its metadata replica has caught up. "
                    + "Follow it with: predastore-node cluster status --dir " + cluster.dir);
            return 1;
        }
        MemberList now = MemberList.fetch(admins, id, new ArrayList<>());
        out.println("node " + id + ": active at " + node.s3Endpoint() + " (pid " + pid + "), ring epoch "
                + (now != null ? now.members().epoch() : added.epoch()));
        printFollow(out);
        return 0;
    }

    private void printFollow(PrintWriter out) {
        out.println("The rebalancer moves shards onto it.");
        out.println("Follow the rebalance:       predastore-node cluster health --dir " + cluster.dir);
        out.println("Every member and its state: predastore-node cluster status --dir " + cluster.dir);
        out.flush();
    }

    /**
     * Asks the node that gave {@code list} to add {@code node} as joining; null after printing why not. A request
     * that got no answer may still have been applied, so the list is read again before the addition counts as
     * failed: its files must not be deleted under a member.
     */
    private static ClusterMembers addMember(MemberList list, NodeConfig node, PrintWriter err) {
        ClusterMember member = new ClusterMember(MemberList.memberId(node.id()), node.host(), node.s3Port(),
                node.adminPort(), node.s3Tls(), node.adminTls(), node.raftPort(), node.shardPort(),
                MemberState.JOINING);
        try {
            return list.admin().addMember(member);
        } catch (AdminException e) {
            err.println("error: the cluster did not add node " + node.id() + ": " + e.getMessage());
            return null;
        } catch (IOException e) {
            try {
                ClusterMembers again = list.admin().members();
                if (again.member(member.id()).isPresent()) {
                    return again;
                }
            } catch (IOException ignored) {
                // Reported below with the first failure, which says more.
            }
            err.println("error: node " + list.nodeId() + " did not answer the request to add node " + node.id()
                    + ": " + e.getMessage());
            return null;
        }
    }

    /** Polls the member list (from the other nodes) until node {@code id} is active or the deadline passes. */
    private static Optional<ClusterMember> awaitActive(NodeAdmins admins, int id, long deadline)
            throws InterruptedException {
        Optional<ClusterMember> last = Optional.empty();
        while (true) {
            MemberList list = MemberList.fetch(admins, id, new ArrayList<>());
            if (list != null) {
                last = list.member(id);
                if (last.isPresent() && last.get().state() == MemberState.ACTIVE) {
                    return last;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return last;
            }
            Thread.sleep(500);
        }
    }
}
