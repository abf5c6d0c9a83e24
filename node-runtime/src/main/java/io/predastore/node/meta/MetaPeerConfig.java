package io.predastore.node.meta;

import java.util.Objects;

/** One metadata peer: its node id and the address its Raft (gRPC) endpoint listens on. */
public record MetaPeerConfig(String id, String host, int raftPort) {
    private static final String PEER_PREFIX = "node-";

    public MetaPeerConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (id.isBlank()) {
            throw new IllegalArgumentException("peer id is blank");
        }
        if (raftPort <= 0 || raftPort > 65535) {
            throw new IllegalArgumentException("bad raft port " + raftPort + " for peer " + id);
        }
    }

    /** The Raft peer id of the node with id {@code nodeId}: {@code node-<id>}. */
    public static String peerIdOf(int nodeId) {
        return PEER_PREFIX + nodeId;
    }

    /**
     * The node id named by a Raft peer id ({@link #peerIdOf}).
     *
     * @throws IllegalArgumentException if {@code peerId} is not {@code node-<id>}
     */
    public static int nodeIdOf(String peerId) {
        if (peerId == null || !peerId.startsWith(PEER_PREFIX)) {
            throw new IllegalArgumentException("not a node's peer id: " + peerId);
        }
        try {
            return Integer.parseInt(peerId.substring(PEER_PREFIX.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a node's peer id: " + peerId, e);
        }
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + raftPort;
    }
}
