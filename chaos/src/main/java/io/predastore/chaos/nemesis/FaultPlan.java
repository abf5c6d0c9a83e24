package io.predastore.chaos.nemesis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The next fault a {@link FaultSchedule} decided on.
 *
 * @param gap      how long to wait before injecting it
 * @param kind     what to do
 * @param nodes    the nodes it hits ({@link FaultKind#PARTITION}: the side cut off from all others), ascending
 * @param duration how long it lasts before it is healed
 * @param seed     decides the details of the fault where it has any (which bytes {@link FaultKind#ROT} flips)
 */
public record FaultPlan(Duration gap, FaultKind kind, List<Integer> nodes, Duration duration, long seed) {
    public FaultPlan {
        Objects.requireNonNull(gap, "gap");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " fault needs at least one node");
        }
    }
}
