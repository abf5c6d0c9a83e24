package io.predastore.node.cli;

import io.predastore.client.AdminClient;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's replicated member list (docs/membership.md) as one of its nodes answers it, for the {@code cluster}
 * commands that show or change the members: the node that answered, through whose admin API a change is then asked
 * for, and the list itself.
 *
 * @param nodeId  the node of the cluster file that answered
 * @param admin   a client of that node's admin API
 * @param members the member list it gave
 */
record MemberList(int nodeId, AdminClient admin, ClusterMembers members) {
    /**
     * The member list from the first node of the cluster, other than {@code skip}, whose admin API answers; null if
     * none did, with each node's failure added to {@code failures}. A node that is draining or removed may answer
     * with what it last knew, so the node being removed is the one to skip.
     */
    static MemberList fetch(NodeAdmins admins, int skip, List<String> failures) {
        for (NodeConfig node : admins.config().nodes()) {
            if (node.id() == skip) {
                continue;
            }
            try {
                AdminClient admin = admins.client(node.id());
                return new MemberList(node.id(), admin, admin.members());
            } catch (IOException | RuntimeException e) {
                failures.add("node " + node.id() + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** As {@link #fetch(NodeAdmins, int, List)}, for a command that asks once. */
    static MemberList fetch(ClusterConfig config, int skip, List<String> failures) {
        return fetch(new NodeAdmins(config), skip, failures);
    }

    /** The member that is node {@code id} of the cluster file, if listed. */
    Optional<ClusterMember> member(int id) {
        return members.member(memberId(id));
    }

    /** How the member list names node {@code id}: {@code node-N}. */
    static String memberId(int id) {
        return "node-" + id;
    }

    /** How many members are active now. */
    int active() {
        return members.inState(MemberState.ACTIVE).size();
    }

    /**
     * Drops from the cluster file every {@code [[node]]} that this list says is {@code removed} and whose process no
     * longer runs, with the data directory it left (only one holding its removed marker), printing a line for each.
     * Such a node has left for good: its id is never used again, and starting it would only be refused.
     *
     * @return the cluster as the file now says
     */
    ClusterConfig pruneRemoved(ClusterConfig config, PrintWriter out, PrintWriter err) {
        ClusterConfig current = config;
        for (NodeConfig node : config.nodes()) {
            boolean removed = member(node.id()).map(m -> m.state() == MemberState.REMOVED).orElse(false);
            if (!removed || PidFiles.liveProcess(config.directory(), node.id()).isPresent()) {
                continue;
            }
            try {
                current = DevNodeFiles.removeFromClusterFile(current, node.id());
                boolean deleted = DevNodeFiles.deleteRemovedDataDir(node.dataDir());
                out.println("node " + node.id() + ": removed from the cluster; dropped its [[node]] from "
                        + config.file() + (deleted ? " and deleted " + node.dataDir() : ""));
            } catch (IOException | ClusterConfigException e) {
                err.println("warning: node " + node.id() + " was removed from the cluster, but its [[node]] could "
                        + "not be dropped from " + config.file() + ": " + e.getMessage());
            }
        }
        return current;
    }
}
