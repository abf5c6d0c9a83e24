package io.predastore.node.store.cluster;

import java.io.IOException;

/**
 * Why a shard set is in the repair queue: the first four because shards are lacking, the last two ({@link #isMove})
 * because healthy shards are on the wrong nodes. Several may apply to one set; the admin API counts the queue by them
 * under their {@link #label}. Codes are stored in repair entries: never renumber.
 */
public enum RepairCause {
    /** Shards never written: their nodes were down and the write quorum allowed it. Rebuilt on other nodes. */
    SKIPPED_AT_WRITE(1, "skipped-at-write"),
    /** Shards whose bytes failed their checksums (found by a read or by their node's scrubber). Rebuilt in place. */
    CORRUPT(2, "corrupt"),
    /** Shards absent from their live node (its disk was wiped or replaced, or its index lost them). In place. */
    MISSING(3, "missing"),
    /**
     * Shards on a node down for longer than {@code dead_node_grace_ms}, or on a node removed from the members.
     * Rebuilt on other nodes.
     */
    NODE_LOST(4, "node-lost"),
    /**
     * Shards of a healthy set on an active node outside the set's place in the ring of the active members while a
     * node of that place holds none (a node joined). Copied there, then deleted from the old node.
     */
    REBALANCE(5, "rebalance"),
    /** Shards of a healthy set on a draining node. Copied to an active node, then deleted from the draining one. */
    DRAIN(6, "drain");

    private final int code;
    private final String label;

    RepairCause(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The stored code. */
    int code() {
        return code;
    }

    /** The name the admin API and the docs use. */
    public String label() {
        return label;
    }

    /** Whether this cause moves healthy shards rather than rebuilding lacking ones. */
    boolean isMove() {
        return this == REBALANCE || this == DRAIN;
    }

    static RepairCause ofCode(int code) throws IOException {
        for (RepairCause c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IOException("damaged repair entry: unknown repair cause " + code);
    }
}
