package io.predastore.chaos.nemesis;

/**
 * The faults a nemesis can inject. A new kind (the store's planned ones: a node's disk filling up, bytes flipped in
 * shard segments) is added here, given the nodes it hits in {@link FaultSchedule#next} and its injection and heal
 * in {@code Nemesis.inject}; the rest (timing, tolerance, recording) is shared.
 */
public enum FaultKind {
    /** SIGKILL of up to {@code parity} nodes (the Raft leader at least half of the time), restarted when healed. */
    KILL,
    /** SIGSTOP of up to {@code parity} nodes (the Raft leader at least half of the time), SIGCONT when healed. */
    PAUSE,
    /**
     * The network cut between the nodes listed and all others: one node isolated, or a minority split from the
     * majority. Healed by restoring every route.
     */
    PARTITION
}
