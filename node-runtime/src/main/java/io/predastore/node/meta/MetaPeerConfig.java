package io.predastore.node.meta;

import java.util.Objects;

/** One metadata peer: its node id and the address its Raft (gRPC) endpoint listens on. */
public record MetaPeerConfig(String id, String host, int raftPort) {
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
        return "node-" + nodeId;
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + raftPort;
    }
}
