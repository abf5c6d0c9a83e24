package io.predastore.node.cli;

import io.predastore.client.AdminException;
import io.predastore.node.bench.Durations;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code cluster remove-node N}: node N starts draining (docs/membership.md). It takes no new shards, the rebalancer
 * moves its shards to the other members, then it becomes {@code removed}: it leaves the metadata group, deletes its
 * shards and metadata and exits. Refused here, before the cluster is asked, when fewer than {@code data + parity}
 * active members would remain, since every new object needs that many nodes for its shards; the cluster checks it
 * again, for two removals racing.
 */
@Command(name = "remove-node", mixinStandardHelpOptions = true,
        description = {"Remove node N from the running cluster: it drains, its shards move to the other nodes, "
                + "then it leaves and deletes its data.",
            "%nRefused when fewer than data + parity active members would remain. Returns once the node is "
                    + "draining; follow it with 'cluster status' and 'cluster health'. With --wait, returns once it "
                    + "is removed and has exited, and drops it from the cluster file."})
final class RemoveNodeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterDirectory cluster;

    @Parameters(index = "0", paramLabel = "N", description = "The id of the node to remove.")
    int nodeId;

    @Option(names = "--wait", description = "Wait until the node is removed and its process has exited, then drop "
            + "its [[node]] from the cluster file and delete what is left of its data directory.")
    boolean waitRemoved;

    @Option(names = "--timeout", defaultValue = "10m", description = "How long --wait waits (default: "
            + "${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterConfig config = cluster.load(err);
        if (config == null) {
            return 1;
        }
        if (config.hasRemoteNodes()) {
            err.println("error: " + ClusterDirectory.LOCAL_ONLY.formatted("'cluster remove-node'"));
            return 1;
        }
        Duration wait;
        try {
            wait = Durations.parse(timeout);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        List<String> failures = new ArrayList<>();
        NodeAdmins admins = new NodeAdmins(config);
        MemberList list = MemberList.fetch(admins, nodeId, failures);
        if (list == null) {
            err.println("error: no node of the cluster other than " + nodeId + " answered, so node " + nodeId
                    + " cannot be removed; start the cluster first: predastore-node cluster up --dir " + cluster.dir);
            failures.forEach(f -> err.println("  " + f));
            return 1;
        }
        Optional<ClusterMember> member = list.member(nodeId);
        if (member.isEmpty()) {
            err.println("error: node " + nodeId + " is not a member of the cluster (ring epoch "
                    + list.members().epoch() + "; members: " + list.members().members().stream()
                            .map(ClusterMember::id).toList() + ")");
            return 2;
        }
        MemberState state = member.get().state();
        if (state == MemberState.REMOVED || state == MemberState.DRAINING) {
            out.println("node " + nodeId + " is already " + state.wireName() + " (ring epoch "
                    + list.members().epoch() + ")");
        } else {
            String refusal = refusal(config.rs(), list.members(), nodeId);
            if (refusal != null) {
                err.println("error: not removing node " + nodeId + ": " + refusal);
                return 1;
            }
            ClusterMembers after;
            try {
                after = list.admin().drainMember(MemberList.memberId(nodeId));
            } catch (AdminException e) {
                err.println("error: the cluster did not start removing node " + nodeId + ": " + e.getMessage());
                return 1;
            } catch (IOException e) {
                err.println("error: node " + list.nodeId() + " did not answer the request to remove node " + nodeId
                        + " (it may have been applied; see 'predastore-node cluster status --dir " + cluster.dir
                        + "'): " + e.getMessage());
                return 1;
            }
            out.println("node " + nodeId + ": draining (ring epoch " + after.epoch() + "): it takes no new shards and "
                    + "the rebalancer moves its shards to the other members; then it leaves the metadata group, "
                    + "deletes its data and stops.");
        }
        if (!waitRemoved) {
            out.println("Follow it: predastore-node cluster status --dir " + cluster.dir + " (its state), "
                    + "predastore-node cluster health --dir " + cluster.dir + " (the moves).");
            out.println("Once it is removed, 'cluster status' drops it from the cluster file.");
            out.flush();
            return 0;
        }
        return awaitRemoved(admins, wait, out, err);
    }

    /** Why member {@code nodeId} cannot be removed now ({@link ClusterMembers#removalRefusal}), or null. */
    static String refusal(ErasureConfig rs, ClusterMembers members, int nodeId) {
        return members.removalRefusal(MemberList.memberId(nodeId), rs.width()).orElse(null);
    }

    /** Waits for the member to be removed and its process to exit, then drops it from the cluster's files. */
    private int awaitRemoved(NodeAdmins admins, Duration wait, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        ClusterConfig config = admins.config();
        long deadline = System.nanoTime() + wait.toNanos();
        String state = "unknown";
        while (true) {
            MemberList list = MemberList.fetch(admins, nodeId, new ArrayList<>());
            if (list != null) {
                state = list.member(nodeId).map(m -> m.state().wireName()).orElse("not listed");
            }
            boolean running = PidFiles.liveProcess(config.directory(), nodeId).isPresent();
            if (MemberState.REMOVED.wireName().equals(state) && !running) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                err.println("error: node " + nodeId + " is still " + state + (running ? " and its process runs" : "")
                        + " after " + timeout + "; it goes on draining. Follow it with: predastore-node cluster "
                        + "status --dir " + cluster.dir);
                return 1;
            }
            Thread.sleep(1000);
        }
        out.println("node " + nodeId + ": removed; its process has exited");
        Optional<NodeConfig> inFile = config.nodes().stream().filter(n -> n.id() == nodeId).findFirst();
        if (inFile.isEmpty()) {
            out.println("node " + nodeId + ": not in " + config.file() + "; nothing to drop from it");
            return 0;
        }
        NodeConfig node = inFile.get();
        try {
            ClusterConfig updated = DevNodeFiles.removeFromClusterFile(config, nodeId);
            out.println("node " + nodeId + ": dropped its [[node]] from " + updated.file());
        } catch (IOException | ClusterConfigException e) {
            err.println("error: node " + nodeId + " is removed, but its [[node]] could not be dropped from "
                    + config.file() + ": " + e.getMessage());
            return 1;
        }
        try {
            if (DevNodeFiles.deleteRemovedDataDir(node.dataDir())) {
                out.println("node " + nodeId + ": deleted what was left of " + node.dataDir());
            } else {
                out.println("node " + nodeId + ": left " + node.dataDir() + " as it is (it holds no removed "
                        + "marker, so it may not be this node's)");
            }
        } catch (IOException e) {
            err.println("warning: could not delete " + node.dataDir() + ": " + e.getMessage());
        }
        out.flush();
        return 0;
    }
}
