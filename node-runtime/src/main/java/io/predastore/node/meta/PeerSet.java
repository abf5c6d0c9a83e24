package io.predastore.node.meta;

import java.util.Set;
import java.util.TreeSet;

/**
 * The Raft peer ids this node accepts calls and requests from: the members of the cluster's replicated member list
 * that take part in the metadata group. It starts with the cluster file's nodes and follows the member list as
 * members join and leave, so a node added to a running cluster is admitted without restarting the others.
 * Thread-safe.
 *
 * <p>Only admission (the Raft port's certificate check, a leader taking a request into its log, a query) consults
 * it: whether a log entry applies depends on the entry alone, never on this set, so peers that learn of a new member
 * at different moments still apply the same entries alike.
 */
final class PeerSet {
    private volatile Set<String> ids;

    PeerSet(Set<String> initial) {
        this.ids = Set.copyOf(initial);
    }

    boolean contains(String peerId) {
        return ids.contains(peerId);
    }

    /** The ids now admitted, sorted. */
    Set<String> ids() {
        return new TreeSet<>(ids);
    }

    /** Admits exactly {@code peerIds} from now on. */
    void replace(Set<String> peerIds) {
        this.ids = Set.copyOf(peerIds);
    }
}
