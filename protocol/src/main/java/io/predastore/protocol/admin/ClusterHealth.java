package io.predastore.protocol.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every node's reachability as the answering node sees it ({@code GET /admin/v1/health}).
 *
 * @param nodes one entry per node in the cluster file, the answering node included
 */
public record ClusterHealth(List<NodeHealth> nodes) {
    public ClusterHealth {
        nodes = Checks.list(nodes, "nodes");
        Set<String> ids = new HashSet<>();
        for (NodeHealth n : nodes) {
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("Node " + n.id() + " is listed twice");
            }
        }
    }
}
