package io.predastore.protocol.ring;

/**
 * Shape of a placement ring: how many partitions keys fall into, how many virtual nodes each member places on the
 * ring, and how far above the average a member's partition count may go.
 *
 * <p>Immutable and thread-safe.
 *
 * @param partitionCount number of partitions keys are hashed into, at least 1
 * @param replicationFactor virtual nodes per member, at least 1
 * @param loadFactor multiple of the average partition count a member may own, strictly greater than 1.0
 */
public record RingConfig(int partitionCount, int replicationFactor, double loadFactor) {

    /** Default partition count, a prime so that {@code hash mod partitionCount} mixes well. */
    public static final int DEFAULT_PARTITION_COUNT = 271;

    /** Default number of virtual nodes per member. */
    public static final int DEFAULT_REPLICATION_FACTOR = 20;

    /** Default load factor: no member owns more than 25% above the average (rounded up). */
    public static final double DEFAULT_LOAD_FACTOR = 1.25;

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if a count is not positive or the load factor is not a finite number above 1.0
     */
    public RingConfig {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be positive, got " + partitionCount);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be positive, got " + replicationFactor);
        }
        if (!(loadFactor > 1.0) || Double.isInfinite(loadFactor)) {
            throw new IllegalArgumentException(
                    "loadFactor must be a finite number greater than 1.0, got " + loadFactor);
        }
    }

    /**
     * Returns the default configuration: 271 partitions, 20 virtual nodes per member, load factor 1.25.
     *
     * @return the default configuration
     */
    public static RingConfig defaults() {
        return new RingConfig(DEFAULT_PARTITION_COUNT, DEFAULT_REPLICATION_FACTOR, DEFAULT_LOAD_FACTOR);
    }

    /**
     * Returns the most partitions any one member may own in a ring of {@code memberCount} members:
     * {@code floor(loadFactor * partitionCount / memberCount)}, so no member ever exceeds the load factor times the
     * average, but at least {@code ceil(partitionCount / memberCount)}, so every partition always has an owner.
     * (buraksezer/consistent rounds up instead, which lets the fullest member exceed the load factor slightly.)
     *
     * @param memberCount number of members, at least 1
     * @return the per-member partition cap
     * @throws IllegalArgumentException if {@code memberCount} is not positive
     */
    public int loadCap(int memberCount) {
        if (memberCount < 1) {
            throw new IllegalArgumentException("memberCount must be positive, got " + memberCount);
        }
        int fits = (partitionCount + memberCount - 1) / memberCount;
        return Math.max(fits, (int) Math.floor(loadFactor * partitionCount / memberCount));
    }
}
