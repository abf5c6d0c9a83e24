package io.predastore.app.ring;

import java.util.List;

/** A ring member as drawn: its colour index, tokens, load and liveness. */
public record RingMemberInfo(String id, int colour, List<Double> tokens, int load, boolean alive) {
    public RingMemberInfo {
        tokens = List.copyOf(tokens);
    }
}
