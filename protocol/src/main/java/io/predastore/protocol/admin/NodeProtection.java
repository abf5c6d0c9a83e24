package io.predastore.protocol.admin;

/**
 * One node as the repair engine sees it.
 *
 * @param nodeId          the node
 * @param alive           whether it answers
 * @param downSinceMillis since when it has not answered (epoch milliseconds), -1 when alive
 * @param lost            whether it has been down longer than {@code dead_node_grace_ms}: its shards are then
 *                        rebuilt on other nodes, and reaped from it if it comes back
 * @param shards          shards the object records place on it
 */
public record NodeProtection(String nodeId, boolean alive, long downSinceMillis, boolean lost, long shards) {
    public NodeProtection {
        Checks.nonBlank(nodeId, "nodeId");
        Checks.nonNegative(shards, "shards");
    }
}
