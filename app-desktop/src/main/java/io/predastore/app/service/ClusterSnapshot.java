package io.predastore.app.service;

import io.predastore.protocol.admin.ClusterHealth;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RingView;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the admin APIs of a cluster's nodes said in one poll.
 *
 * @param at     when the poll finished
 * @param nodes  one sample per configured node, by id
 * @param raft   the metadata Raft group as seen by its leader (or by any node that answered), or null
 * @param ring   the hash ring as seen by any node that answered, or null
 * @param health  the failure detector's view from any node that answered, or null
 * @param members the replicated member list with the highest ring epoch any node answered with, or null (no node
 *                answered it): the ring and the nodes screen follow it, since a node just added or draining may not
 *                be in the cluster file, or in the ring, yet
 */
public record ClusterSnapshot(Instant at, List<NodeSample> nodes, RaftGroupStatus raft, RingView ring,
        ClusterHealth health, ClusterMembers members) {
    public ClusterSnapshot {
        Objects.requireNonNull(at, "at");
        nodes = List.copyOf(nodes);
    }

    /** A poll without the member list (nodes older than it, or none answered it). */
    public ClusterSnapshot(Instant at, List<NodeSample> nodes, RaftGroupStatus raft, RingView ring,
            ClusterHealth health) {
        this(at, nodes, raft, ring, health, null);
    }

    /** A poll in which no node answered. */
    public static ClusterSnapshot empty(Instant at) {
        return new ClusterSnapshot(at, List.of(), null, null, null);
    }

    public Optional<NodeSample> node(int id) {
        return nodes.stream().filter(n -> n.nodeId() == id).findFirst();
    }

    /** The admin id of a node ({@code node-N}). */
    public static String adminId(int nodeId) {
        return "node-" + nodeId;
    }
}
