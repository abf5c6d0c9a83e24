package io.predastore.protocol.config;

/** Reed-Solomon layout: each object stripe is cut into {@code data} shards plus {@code parity} parity shards. */
public record ErasureConfig(int data, int parity) {
    public ErasureConfig {
        if (data < 1) {
            throw ClusterConfigException.invalid("rs.data", Integer.toString(data), "must be at least 1");
        }
        if (parity < 0) {
            throw ClusterConfigException.invalid("rs.parity", Integer.toString(parity), "must not be negative");
        }
    }

    /** Shards per stripe, which is also the number of nodes needed. */
    public int width() {
        return data + parity;
    }
}
