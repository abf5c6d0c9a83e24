package io.predastore.protocol.config;

/**
 * Reed-Solomon layout: each object stripe is cut into {@code data} shards plus {@code parity} parity shards.
 *
 * @param writeQuorum the fewest shards a new object may be stored with when nodes are down: {@code data + parity}
 *     (the default) never stores an object with less protection than asked; a smaller value, at least
 *     {@code data + 1}, keeps writes available with up to {@code data + parity - writeQuorum} nodes down, and records
 *     the shards not written for repair
 */
public record ErasureConfig(int data, int parity, int writeQuorum) {
    public ErasureConfig {
        if (data < 1) {
            throw ClusterConfigException.invalid("rs.data", Integer.toString(data), "must be at least 1");
        }
        if (parity < 0) {
            throw ClusterConfigException.invalid("rs.parity", Integer.toString(parity), "must not be negative");
        }
        int width = data + parity;
        int least = Math.min(width, data + 1);
        if (writeQuorum < least || writeQuorum > width) {
            throw ClusterConfigException.invalid("rs.write_quorum", Integer.toString(writeQuorum),
                    least == width ? "must be " + width + " (data + parity) with parity = " + parity
                            : "must be between " + least + " (data + 1, so every object survives one more loss) and "
                                    + width + " (data + parity)");
        }
    }

    /** Every shard must be written: no object is stored with less protection than {@code parity}. */
    public ErasureConfig(int data, int parity) {
        this(data, parity, data + Math.max(parity, 0));
    }

    /** Shards per stripe, which is also the number of nodes needed. */
    public int width() {
        return data + parity;
    }

    /** Whether objects may be stored with some shards missing (recorded for repair). */
    public boolean allowsDegradedWrites() {
        return writeQuorum < width();
    }
}
