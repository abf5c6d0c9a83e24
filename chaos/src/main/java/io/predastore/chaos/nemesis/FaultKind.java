package io.predastore.chaos.nemesis;

import java.util.Arrays;
import java.util.Locale;

/**
 * The faults a nemesis can inject. A new kind is added here, given the nodes it hits in {@link FaultSchedule#next}
 * and its injection and heal in {@code Nemesis.inject}; the rest (timing, tolerance, recording) is shared.
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
    PARTITION,
    /**
     * The file system of up to {@code parity} nodes' data directories filled with a file of zeros until half of the
     * node's free-space reserve is left, so that the node is below its reserve and refuses new data; healed by
     * deleting the file.
     */
    DISK_FULL,
    /**
     * Bytes flipped in the payload of shard records one node wrote lately, in its segment files, while it runs:
     * reads must never return them. Always one node (rot on more nodes than parity can destroy an object by
     * design, and what is checked, wrong bytes never served, needs no more). Nothing is undone when the fault ends:
     * rot stays until a read finds it and the node's repair rewrites the shard.
     */
    ROT,
    /**
     * One node killed and its data wiped (its shard store and its Raft state; its identity and cluster secret stay),
     * as when a disk is replaced; started again empty when healed. It must rejoin the metadata group from a snapshot,
     * and the cluster must find the shards it lost and rebuild them. Always one node: a wipe of more than parity
     * nodes destroys objects by design.
     */
    WIPE,
    /**
     * One node killed and kept down longer than the cluster's dead-node grace, so that the cluster declares it lost
     * and rebuilds its shards elsewhere (where enough nodes remain); started again when healed, when its shards that
     * were rebuilt elsewhere must be reaped and none still used touched. Always one node.
     */
    LOSE,
    /**
     * The members change under load, as an operator changes them. Every other churn event adds a node on a spare
     * host (it joins, becomes active, and the rebalancer moves shards onto it) and, when healed, removes a member
     * drawn from the seed, the new one included (it drains, leaves the metadata group, stops and deletes its data
     * while the next faults go on); the others replace a member's disk (same id, empty disk: it rejoins and the
     * cluster rebuilds its shards in place). Nothing is done where the cluster's own rule refuses it: a removal that
     * would leave fewer than data + parity active members, a replacement while objects are at risk. From then on
     * the other faults, the clients and the checks follow the members as they are.
     */
    CHURN;

    /** The name on the command line and in reports: {@code kill}, {@code disk-full}, ... */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The kind named {@code text} ({@link #cliName()}, any case, {@code _} or {@code -}).
     *
     * @throws IllegalArgumentException naming every kind when none is called so
     */
    public static FaultKind fromCliName(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FaultKind kind : values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + text + "'; the faults are "
                + Arrays.stream(values()).map(FaultKind::cliName).toList());
    }
}
