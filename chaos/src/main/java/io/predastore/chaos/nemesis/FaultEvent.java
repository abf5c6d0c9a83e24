package io.predastore.chaos.nemesis;

import java.util.List;
import java.util.Objects;

/**
 * One fault as it happened, for the report to shade its window over the history.
 *
 * @param kind  what was done
 * @param nodes the nodes it hit ({@link FaultKind#PARTITION}: the side cut off from all other nodes), ascending
 * @param start nanoseconds since the run started (the history's clock), when the injection began
 * @param end   nanoseconds since the run started, when it was healed and every node it hit served again
 */
public record FaultEvent(FaultKind kind, List<Integer> nodes, long start, long end) {
    public FaultEvent {
        Objects.requireNonNull(kind, "kind");
        nodes = List.copyOf(nodes);
        if (end < start) {
            throw new IllegalArgumentException(kind + " of nodes " + nodes + " ended before it started");
        }
    }
}
