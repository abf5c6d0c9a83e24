package io.predastore.app.cluster;

import io.predastore.node.cluster.NodeState;

/** One line of the nodes table. */
public record NodeRow(int id, String s3Address, NodeState state, String raftRole, String uptime, String shards,
        String diskUsed) {
}
