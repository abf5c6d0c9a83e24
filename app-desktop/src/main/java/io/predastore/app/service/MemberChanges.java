package io.predastore.app.service;

import io.predastore.client.AdminClient;
import io.predastore.client.AdminException;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.node.supervisor.PortAllocator;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ClusterConfigWriter;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Adds a node to, and removes one from, the running dev cluster the app has open, in the steps and order of
 * {@code cluster add-node} and {@code cluster remove-node} (docs/membership.md), through the same {@link DevNodeFiles}:
 * an added node's files are made first and taken back if the cluster refuses it, and the cluster file names it only
 * once the member list does. A removed node's {@code [[node]]} is dropped from the file once the member list says
 * it is removed and its process has exited, as {@code cluster status} does.
 *
 * <p>Blocking; call from a background task. Two changes at once are not guarded against here: the member list
 * refuses a second node with the same id or address, and the app runs one change at a time.
 */
public final class MemberChanges {
    /** How long one admin request may take. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterService cluster;
    private final Clock clock;

    public MemberChanges(ClusterService cluster, Clock clock) {
        this.cluster = Objects.requireNonNull(cluster);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A node that was added: its id, the epoch of the member list that names it, and where it serves S3. */
    public record Added(int nodeId, long epoch, String s3Address) {
    }

    /**
     * Adds the next node: plans its id and ports, makes its certificate and data directory, asks a running node to
     * add it to the member list as joining, appends it to the cluster file and starts it. It becomes active by
     * itself once it has caught up with the metadata.
     *
     * @throws IOException saying what went wrong, what was taken back and what, if anything, is left to do by hand
     */
    public Added addNode() throws IOException {
        ClusterConfig config = requireLocalDev();
        Reached reached = reachMemberList(config, -1);
        NodeConfig node;
        DevNodeFiles.Created created;
        try {
            PortAllocator ports = PortAllocator.from(InetAddress.getByName(config.nodes().get(0).host()),
                    DevNodeFiles.firstFreePortAfter(config));
            node = DevNodeFiles.plan(config, reached.members(), ports);
            created = DevNodeFiles.create(config, node, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new IOException("no node added: " + e.getMessage(), e);
        }
        int id = node.id();
        ClusterMember member = new ClusterMember(ClusterSnapshot.adminId(id), node.host(), node.s3Port(),
                node.adminPort(), node.s3Tls(), node.adminTls(), node.raftPort(), node.shardPort(),
                MemberState.JOINING);
        ClusterMembers added;
        try {
            added = addMember(reached, member);
        } catch (IOException e) {
            List<Path> left = DevNodeFiles.undo(created);
            throw new IOException(e.getMessage() + ". " + (left.isEmpty() ? "Nothing was changed: the certificate and "
                    + "data directory made for node-" + id + " were deleted again." : "The cluster is unchanged, but "
                    + "these files made for node-" + id + " could not be deleted; delete them by hand: " + left), e);
        }
        ClusterConfig updated;
        try {
            updated = DevNodeFiles.appendToClusterFile(config, node);
        } catch (IOException | ClusterConfigException e) {
            throw new IOException("node-" + id + " is a member of the cluster now (joining), with its certificate and "
                    + "data directory in place, but " + config.file() + " could not be updated: " + e.getMessage()
                    + ". Add this table to it by hand, then reopen the cluster and start node-" + id + ":\n"
                    + ClusterConfigWriter.nodeTable(node, config.directory()), e);
        }
        cluster.replaceConfig(updated);
        try {
            cluster.start(id);
        } catch (RuntimeException e) {
            throw new IOException("node-" + id + " is a member (joining) and in " + updated.file() + ", but did not "
                    + "start: " + e.getMessage() + ". Fix the cause and press Start, or remove it with Remove node.",
                    e);
        }
        return new Added(id, added.epoch(), node.host() + ":" + node.s3Port());
    }

    /**
     * Starts removing node {@code nodeId}: it becomes draining, its shards move to the other members, then it
     * leaves and exits. Asked of another node, since this one is on its way out. The cluster checks again that
     * enough active members remain, and its refusal is passed on as it said it.
     *
     * @return the member list with the node draining
     * @throws IOException with the cluster's refusal, or why no node could be asked
     */
    public ClusterMembers removeNode(int nodeId) throws IOException {
        ClusterConfig config = cluster.config();
        if (config == null) {
            throw new IOException("no cluster is open");
        }
        Reached reached = reachMemberList(config, nodeId);
        try {
            return reached.client().drainMember(ClusterSnapshot.adminId(nodeId));
        } catch (AdminException e) {
            throw new IOException("the cluster did not start removing node-" + nodeId + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("node-" + reached.nodeId() + " did not answer the request to remove node-" + nodeId
                    + " (it may have been applied; the nodes screen shows its state once a node says): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Drops from the cluster file every node that {@code members} says is removed and whose process has exited,
     * and deletes what is left of its data directory (only if the node wrote its removed marker there).
     *
     * @return the ids dropped, empty when nothing changed
     * @throws IOException if the file could not be rewritten (the nodes stay in it; the next call tries again)
     */
    public List<Integer> pruneRemoved(ClusterMembers members) throws IOException {
        ClusterConfig config = cluster.config();
        if (config == null || members == null) {
            return List.of();
        }
        List<Integer> dropped = new ArrayList<>();
        for (ClusterMember m : members.inState(MemberState.REMOVED)) {
            int id = DevNodeFiles.nodeId(m).orElse(-1);
            boolean inFile = config.nodes().stream().anyMatch(n -> n.id() == id);
            if (!inFile || config.nodes().size() == 1 || processAlive(config, id)) {
                continue;
            }
            Path dataDir = config.node(id).dataDir();
            try {
                config = DevNodeFiles.removeFromClusterFile(config, id);
            } catch (ClusterConfigException e) {
                throw new IOException("node-" + id + " is removed, but its [[node]] could not be dropped from "
                        + config.file() + ": " + e.getMessage(), e);
            }
            DevNodeFiles.deleteRemovedDataDir(dataDir);
            dropped.add(id);
        }
        if (!dropped.isEmpty()) {
            cluster.replaceConfig(config);
        }
        return List.copyOf(dropped);
    }

    /** Whether node {@code id}'s process runs: started by this app, or by another one (its pid file says). */
    private boolean processAlive(ClusterConfig config, int id) {
        boolean supervised = cluster.statuses().stream()
                .anyMatch(s -> s.nodeId() == id && (s.state().isActive()
                        || s.state() == NodeState.STARTING));
        return supervised || PidFiles.liveProcess(config.directory(), id).isPresent();
    }

    /** The node that answered with the member list, its client, and the list. */
    private record Reached(int nodeId, AdminClient client, ClusterMembers members) {
    }

    /** The member list from the first node of the file other than {@code except} that answers it. */
    private static Reached reachMemberList(ClusterConfig config, int except) throws IOException {
        boolean anyTls = config.nodes().stream().anyMatch(NodeConfig::adminTls);
        ClusterTrust trust = anyTls ? ClusterTrust.load(config.tls().caCert(), Membership.of(config)) : null;
        List<String> failures = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            if (node.id() == except) {
                continue;
            }
            AdminClient client = AdminClient.forNode(config, node.id(), trust, REQUEST_TIMEOUT);
            try {
                return new Reached(node.id(), client, client.members());
            } catch (IOException | RuntimeException e) {
                failures.add("node-" + node.id() + ": " + e.getMessage());
            }
        }
        throw new IOException("no node of the cluster" + (except < 0 ? "" : " other than node-" + except)
                + " answered with the member list, so the members cannot change; start the cluster first ("
                + String.join("; ", failures) + ")");
    }

    /**
     * Asks for {@code member} to be added. A request that got no answer may still have been applied, so the list
     * is read again before the addition counts as failed: the node's files must not be deleted under a member.
     */
    private static ClusterMembers addMember(Reached reached, ClusterMember member) throws IOException {
        try {
            return reached.client().addMember(member);
        } catch (AdminException e) {
            throw new IOException("the cluster did not add " + member.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            try {
                ClusterMembers again = reached.client().members();
                if (again.member(member.id()).isPresent()) {
                    return again;
                }
            } catch (IOException ignored) {
                // Reported below with the first failure, which says more.
            }
            throw new IOException("node-" + reached.nodeId() + " did not answer the request to add " + member.id()
                    + ": " + e.getMessage(), e);
        }
    }

    private ClusterConfig requireLocalDev() throws IOException {
        ClusterConfig c = cluster.config();
        if (c == null) {
            throw new IOException("no cluster is open");
        }
        if (!cluster.isLocalDevCluster()) {
            throw new IOException("the cluster in " + c.directory() + " has nodes on other machines; the app adds "
                    + "nodes only to a dev cluster whose nodes all run on this machine (use cluster add-node there)");
        }
        return c;
    }
}
