package io.predastore.node.shard;

import java.io.IOException;

/**
 * Stored shard bytes failed their CRC32C check, or are not there at all; the caller should rebuild them from other
 * shards. {@link #missing()} tells the two apart for whoever records the damage (the scrubber's damage reports):
 * either way the shard is unreadable and is rebuilt the same way.
 */
public final class ShardCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean missing;

    /** Bytes that are there but fail their checks. */
    public ShardCorruptException(String message) {
        this(message, false);
    }

    /**
     * @param missing true when the record (or its whole segment file) is not there: a segment cut short, deleted,
     *     or lost, rather than bytes that fail their checksums
     */
    public ShardCorruptException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    /** Whether the shard's record or segment is gone, rather than present with bytes that fail their checks. */
    public boolean missing() {
        return missing;
    }
}
