package io.predastore.app.cluster;

import io.predastore.node.supervisor.NodeState;

/**
 * One line of the nodes table; {@code memberState} is the node's state in the replicated member list
 * ({@code joining}, {@code active}, {@code draining}, {@code removed}), or {@code —} before it is read. A remote node (of a cluster the app connected to, not one it runs) has no process
 * here: its state is {@code RUNNING} while its admin API answers, {@code FAILED} when it does not, and
 * {@code STOPPED} before the first poll.
 */
public record NodeRow(int id, String s3Address, NodeState state, String memberState, String raftRole, String uptime,
        String shards, String diskUsed, boolean remote) {
    /** The state as the table shows it. */
    public String stateText() {
        if (!remote) {
            return state.name();
        }
        return switch (state) {
            case RUNNING -> "REACHABLE (remote)";
            case FAILED -> "UNREACHABLE (remote)";
            default -> "UNKNOWN (remote)";
        };
    }
}
