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
 * @param detail what the fault did where it is worth saying (e.g. {@code 16 bytes flipped}), or null
 */
public record FaultEvent(FaultKind kind, List<Integer> nodes, long start, long end, String detail) {
    /** A fault with nothing more to say than its kind, nodes and window. */
    public FaultEvent(FaultKind kind, List<Integer> nodes, long start, long end) {
        this(kind, nodes, start, end, null);
    }

    public FaultEvent {
        Objects.requireNonNull(kind, "kind");
        nodes = List.copyOf(nodes);
        if (end < start) {
            throw new IllegalArgumentException(kind + " of nodes " + nodes + " ended before it started");
        }
    }
}
