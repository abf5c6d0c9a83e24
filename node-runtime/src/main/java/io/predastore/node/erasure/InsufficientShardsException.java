package io.predastore.node.erasure;

/**
 * Thrown when fewer shards are present than the number of data shards needed to reconstruct a stripe. No shard
 * buffer has been modified when it is thrown.
 */
public final class InsufficientShardsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int present;
    private final int required;

    /**
     * Creates the exception.
     *
     * @param present shards available
     * @param required shards needed (the data shard count)
     */
    public InsufficientShardsException(int present, int required) {
        super("not enough shards to reconstruct: " + present + " present, " + required + " required");
        this.present = present;
        this.required = required;
    }

    /** Number of shards that were available. */
    public int present() {
        return present;
    }

    /** Number of shards needed, equal to the data shard count. */
    public int required() {
        return required;
    }
}
