package io.predastore.protocol.admin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a node is in its life as a member of the cluster (docs/membership.md). Written in JSON in lower case.
 */
public enum MemberState {
    /** Started and following the metadata; takes no new shards until it has caught up. */
    JOINING,
    /** In the ring: new shards are placed on it and the rebalancer moves shards onto it. */
    ACTIVE,
    /** Leaving: no new shards; the rebalancer moves every shard it holds to the other members. */
    DRAINING,
    /** Holds no shard any more and has left the metadata group. */
    REMOVED;

    /** The state's name in JSON and in messages, e.g. {@code draining}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a state from its name in any case. */
    @JsonCreator
    public static MemberState parse(String name) {
        for (MemberState s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown member state '" + name + "'; expected joining, active, "
                + "draining or removed");
    }

    /** Whether the node is a member that takes part in the metadata group (every state but removed). */
    public boolean inGroup() {
        return this != REMOVED;
    }
}
