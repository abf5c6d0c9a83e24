package io.predastore.protocol.admin;

/** A peer's role in the metadata Raft group; UNKNOWN when the node cannot tell (e.g. the peer is unreachable). */
public enum RaftRole {
    LEADER,
    FOLLOWER,
    CANDIDATE,
    LISTENER,
    UNKNOWN
}
