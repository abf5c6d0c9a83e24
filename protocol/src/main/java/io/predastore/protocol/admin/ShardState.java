package io.predastore.protocol.admin;

/** The state of one shard of an object as its node reports it. Only PRESENT counts towards readability. */
public enum ShardState {
    /** Stored and its checksum verified. */
    PRESENT,
    /** The node answered but does not have it. */
    MISSING,
    /** The node did not answer. */
    UNREACHABLE,
    /** Stored, but its checksum does not match. */
    CORRUPT,
    /**
     * Never written: its node was down when the object was stored and the cluster's write quorum allowed storing it
     * without this shard. Recorded for repair; it has no node.
     */
    NOT_WRITTEN
}
