package io.predastore.chaos.nemesis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The next fault a {@link FaultSchedule} decided on.
 *
 * @param gap      how long to wait before injecting it
 * @param kind     what to do
 * @param nodes    the nodes it hits ({@link FaultKind#PARTITION}: the side cut off from all others), ascending; none
 *                 for a {@link FaultKind#CHURN} that adds a node (the nodes are known only as it happens)
 * @param duration how long it lasts before it is healed
 * @param seed     decides the details of the fault where it has any (which bytes {@link FaultKind#ROT} flips, which
 *                 member a {@link FaultKind#CHURN} removes)
 * @param replace  for {@link FaultKind#CHURN}: replace the disk of the node listed, rather than add a node and
 *                 remove one when healed; false for every other kind
 */
public record FaultPlan(Duration gap, FaultKind kind, List<Integer> nodes, Duration duration, long seed,
        boolean replace) {
    public FaultPlan {
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
        nodes = List.copyOf(nodes);
        if (replace && kind != FaultKind.CHURN) {
            throw new IllegalArgumentException("only a churn replaces a node, not a " + kind + " fault");
        }
        boolean adds = kind == FaultKind.CHURN && !replace;
        if (nodes.isEmpty() && !adds) {
            throw new IllegalArgumentException("a " + kind + " fault needs at least one node");
        }
        if (adds && !nodes.isEmpty()) {
            throw new IllegalArgumentException("a churn that adds a node names none beforehand, not " + nodes);
        }
    }

    /** A fault that is not a replacement. */
    public FaultPlan(Duration gap, FaultKind kind, List<Integer> nodes, Duration duration, long seed) {
        this(gap, kind, nodes, duration, seed, false);
    }
}
