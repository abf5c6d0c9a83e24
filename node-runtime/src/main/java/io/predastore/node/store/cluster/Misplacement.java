package io.predastore.node.store.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which healthy shards of a set are on the wrong nodes, and where each should go now: what the rebalancer moves.
 * Both the protection pass (which records and counts moves) and the repair engine (which carries them out, possibly
 * much later and at another epoch) ask it, so a move is always checked against the members current when it is made.
 *
 * <p>A set belongs on its <em>place</em>: the first k + m nodes of the ring of every active member (live or not,
 * {@link ClusterContext#activeRingOrder}), walked from the hash of the object's bucket and key. Every segment of a
 * multipart object (a set per part) is placed by that same key, as the write path places them. A shard is misplaced
 * when
 * <ul>
 *   <li>its node is draining ({@link RepairCause#DRAIN}): it goes to a node of the place holding no shard of the
 *       set, else to any other active node holding none, in ring order; or</li>
 *   <li>its node is active but outside the place while a node of the place holds no shard of the set
 *       ({@link RepairCause#REBALANCE}): it goes to such a node (the lowest indexes first, as many as there are
 *       such nodes).</li>
 * </ul>
 * Shards never written, and shards on nodes neither active nor draining (removed: the repair engine rebuilds them as
 * lost), are not moves. A target must be live now and above its free-space reserve; a misplaced shard without one
 * waits for a later pass ({@link #target} is {@link ShardSet#MISSING}). Immutable.
 */
final class Misplacement {
    private final RepairCause[] causes;
    private final int[] targets;
    private final long shardBytes;

    private Misplacement(RepairCause[] causes, int[] targets, long shardBytes) {
        this.causes = causes;
        this.targets = targets;
        this.shardBytes = shardBytes;
    }

    /**
     * The misplaced shards of {@code set}, an object's (or part's) set placed by {@code bucket}/{@code key}.
     *
     * @param live        the nodes alive now
     * @param belowReserve the nodes below their free-space reserve (they would refuse a shard)
     */
    static Misplacement of(ClusterContext cx, MemberSet members, String bucket, String key, ShardSet set,
            Collection<Integer> live, Collection<Integer> belowReserve) {
        int width = set.dataShards() + set.parityShards();
        RepairCause[] causes = new RepairCause[width];
        int[] targets = new int[width];
        Arrays.fill(targets, ShardSet.MISSING);
        long shardBytes = set.layout().shardLength(set.length());
        List<Integer> active = members.active();
        if (active.isEmpty()) {
            return new Misplacement(causes, targets, shardBytes);
        }
        List<Integer> order = cx.activeRingOrder(bucket, key, active, active.size());
        List<Integer> place = order.subList(0, Math.min(width, order.size()));
        Set<Integer> holders = new HashSet<>();
        for (int i = 0; i < width; i++) {
            if (!set.isMissing(i)) {
                holders.add(set.node(i));
            }
        }
        List<Integer> freeInPlace = new ArrayList<>();
        List<Integer> freeElsewhere = new ArrayList<>();
        for (int node : order) {
            if (!holders.contains(node)) {
                (place.contains(node) ? freeInPlace : freeElsewhere).add(node);
            }
        }
        int rebalanceable = freeInPlace.size();
        for (int i = 0; i < width; i++) {
            if (set.isMissing(i)) {
                continue;
            }
            int node = set.node(i);
            if (members.isDraining(node)) {
                causes[i] = RepairCause.DRAIN;
            } else if (members.isActive(node) && !place.contains(node) && rebalanceable > 0) {
                causes[i] = RepairCause.REBALANCE;
                rebalanceable--;
            }
        }
        Set<Integer> taken = new HashSet<>(holders);
        taken.addAll(belowReserve);
        Set<Integer> up = new HashSet<>(live);
        // Drained shards first: they must all leave, while a rebalance only evens the load.
        for (RepairCause cause : List.of(RepairCause.DRAIN, RepairCause.REBALANCE)) {
            List<Integer> candidates = new ArrayList<>(freeInPlace);
            if (cause == RepairCause.DRAIN) {
                candidates.addAll(freeElsewhere);
            }
            for (int i = 0; i < width; i++) {
                if (causes[i] != cause) {
                    continue;
                }
                for (int node : candidates) {
                    if (up.contains(node) && taken.add(node)) {
                        targets[i] = node;
                        break;
                    }
                }
            }
        }
        return new Misplacement(causes, targets, shardBytes);
    }

    /**
     * Whether shards on {@code node} are on a removed member: one neither active nor draining (a joining node holds
     * no shards, as it takes none). Their shards are rebuilt elsewhere as on a lost node. A member set without any
     * active member (one read before the member list is known) says nothing, so it never makes every shard lost.
     */
    /**
     * Whether shards on {@code node} are to be rebuilt elsewhere without waiting for the dead-node grace: it was
     * removed, or it is draining and down now (it is leaving anyway, so there is nothing to wait for; copying from
     * it is impossible until it answers).
     */
    static boolean leaving(MemberSet members, int node, boolean liveNow) {
        return removed(members, node) || !liveNow && members.isDraining(node);
    }

    static boolean removed(MemberSet members, int node) {
        return !members.active().isEmpty() && !members.isActive(node) && !members.isDraining(node);
    }

    /** Why shard {@code i} is misplaced, or null if it is not. */
    RepairCause cause(int i) {
        return causes[i];
    }

    /** Where shard {@code i} should go now, or {@link ShardSet#MISSING} if it is not misplaced or has no target now. */
    int target(int i) {
        return targets[i];
    }

    /** The misplaced shards' indexes, ascending. */
    List<Integer> misplaced() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < causes.length; i++) {
            if (causes[i] != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** The misplaced shards that have a target now, ascending. */
    List<Integer> movable() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < causes.length; i++) {
            if (causes[i] != null && targets[i] != ShardSet.MISSING) {
                out.add(i);
            }
        }
        return out;
    }

    /** The bytes one shard of the set holds (what a move copies). */
    long shardBytes() {
        return shardBytes;
    }
}
