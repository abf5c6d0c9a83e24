package io.predastore.node.store.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster's members as the distributed backend sees them at one ring epoch: the nodes that take new shards
 * ({@code active}, the ring new objects are placed on) and the nodes being emptied ({@code draining}: they keep
 * serving what they hold, take nothing new, and the rebalancer moves their shards away). Nodes in neither list are
 * joining (not yet in the ring) or removed. Immutable.
 *
 * @param epoch    the ring epoch of the replicated member list; 0 when taken from the cluster file
 * @param active   active node ids, ascending
 * @param draining draining node ids, ascending
 */
public record MemberSet(long epoch, List<Integer> active, List<Integer> draining) {
    public MemberSet {
        active = sorted(active);
        draining = sorted(draining);
        for (Integer id : draining) {
            if (active.contains(id)) {
                throw new IllegalArgumentException("node " + id + " is both active and draining");
            }
        }
    }

    /** Every node of {@code nodes} active, epoch 0: a cluster whose members are its cluster file's nodes. */
    public static MemberSet allActive(List<Integer> nodes) {
        return new MemberSet(0, nodes, List.of());
    }

    /** Whether node {@code id} takes new shards. */
    public boolean isActive(int id) {
        return active.contains(id);
    }

    /** Whether node {@code id} is being emptied. */
    public boolean isDraining(int id) {
        return draining.contains(id);
    }

    private static List<Integer> sorted(List<Integer> ids) {
        List<Integer> out = new ArrayList<>(Objects.requireNonNull(ids, "ids"));
        out.sort(null);
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).equals(out.get(i - 1))) {
                throw new IllegalArgumentException("node " + out.get(i) + " is listed twice");
            }
        }
        return List.copyOf(out);
    }
}
