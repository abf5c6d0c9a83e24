package io.predastore.chaos.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The faults that can be done to the nodes of a running cluster, the changes of its members, and how to tell they
 * are over: what a nemesis drives. {@link #nodeIds()} is the members at the moment it is asked. {@link ChaosCluster}
 * is the real one; tests of fault schedules use a fake. Implementations are thread-safe.
 */
public interface NodeControl {
    /** The ids of the current members that faults may hit, ascending. */
    List<Integer> nodeIds();

    /** How many nodes may fail without losing data or availability (the erasure code's parity). */
    int parity();

    /** The current metadata Raft leader, if one of the reachable nodes names one. */
    OptionalInt leader();

    /** Kills node {@code node} with SIGKILL and waits until it has exited. */
    void kill(int node) throws IOException;

    /** Starts node {@code node} again after {@link #kill}; does not wait until it serves. */
    void start(int node) throws IOException;

    /** Stops node {@code node} with SIGSTOP (the process stays, frozen). */
    void pause(int node) throws IOException;

    /** Lets node {@code node} run again with SIGCONT. */
    void resume(int node) throws IOException;

    /** Cuts the network between nodes {@code a} and {@code b}, both ways. */
    void partition(int a, int b) throws IOException;

    /**
     * Cuts the network between every node of {@code side} and every other node, both ways; the nodes within each
     * side still reach each other. By default one {@link #partition(int, int)} per pair.
     */
    default void isolate(Collection<Integer> side) throws IOException {
        for (int a : side) {
            for (int b : nodeIds()) {
                if (!side.contains(b)) {
                    partition(a, b);
                }
            }
        }
    }

    /** Restores the network between every pair of nodes. */
    void heal() throws IOException;

    /** Fills node {@code node}'s disk until it is below its free-space reserve and refuses new data. */
    void fillDisk(int node) throws IOException;

    /** Frees what {@link #fillDisk} took on node {@code node}. */
    void freeDisk(int node) throws IOException;

    /**
     * Flips bytes in shard data node {@code node} stored lately, chosen by {@code seed}; nothing undoes it.
     *
     * @return how many bytes were flipped (0 when the node holds no shard data yet)
     */
    int rot(int node, long seed) throws IOException;

    /**
     * Deletes node {@code node}'s data as a replaced disk would lose it: its shards and its metadata replica. The
     * node must be stopped ({@link #kill}); it is not started.
     */
    void wipe(int node) throws IOException;

    /** How long a node may be down before the cluster declares it lost ({@code dead_node_grace_ms}). */
    Duration deadNodeGrace();

    /**
     * Adds a node to the cluster's members (on a spare host) and waits until it serves and is active; from then on
     * it is in {@link #nodeIds()}.
     *
     * @return its id; empty when no spare host is free
     * @throws IOException if it could not be added, or did not become active within {@code timeout}
     */
    OptionalInt addNode(Duration timeout) throws IOException, InterruptedException;

    /**
     * Starts removing member {@code node} (it drains, then leaves and stops by itself) unless the cluster's rule
     * refuses it (never fewer than data + parity active members); once draining it is no longer in
     * {@link #nodeIds()}.
     *
     * @return why it is not being removed; empty when it is draining now
     */
    Optional<String> removeNode(int node) throws IOException;

    /**
     * Replaces member {@code node}'s disk (killed, its shards and metadata deleted, started again, waited for) unless
     * the cluster's rule refuses it (objects at risk, or their protection unknown).
     *
     * @return why it was not replaced; empty when it serves again on an empty disk
     */
    Optional<String> replaceNode(int node, Duration timeout) throws IOException, InterruptedException;

    /**
     * Lets go of the members removed since the last call that have exited, freeing their hosts for
     * {@link #addNode}.
     *
     * @return the nodes let go
     */
    List<Integer> reapRemoved() throws IOException;

    /**
     * Waits until node {@code node} answers again (e.g. after {@link #start}).
     *
     * @throws IOException if it does not within {@code timeout}
     */
    void awaitServing(int node, Duration timeout) throws IOException, InterruptedException;
}
