package io.predastore.app.ring;

import java.util.List;

/**
 * A ring member as drawn: its colour index, tokens, load and liveness, and whether it is draining. A draining
 * member is out of the ring new objects are placed on (so it owns no partition), but its shards are still moving
 * off it; it is drawn where its tokens were, hatched and grey, until it is removed.
 */
public record RingMemberInfo(String id, int colour, List<Double> tokens, int load, boolean alive, boolean draining) {
    public RingMemberInfo {
        tokens = List.copyOf(tokens);
    }

    /** An active member of the ring. */
    public RingMemberInfo(String id, int colour, List<Double> tokens, int load, boolean alive) {
        this(id, colour, tokens, load, alive, false);
    }
}
