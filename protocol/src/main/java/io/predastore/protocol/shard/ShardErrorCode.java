package io.predastore.protocol.shard;

/** Why a request failed, carried as an unsigned 16-bit code in ERROR frames. Never renumber. */
public enum ShardErrorCode {
    /** The shard is not stored on the answering node. */
    NO_SUCH_SHARD(1),
    /** The stored bytes failed their CRC32C check. */
    CORRUPT(2),
    /** The node could not read or write its storage (or another server-side failure). */
    IO_ERROR(3),
    /** The request was malformed or arrived out of order. */
    BAD_REQUEST(4),
    /**
     * The node refused new data: its disk is below its free-space reserve, or ran out while the shard was written
     * (what was written is gone again). Deletes still work there; the condition clears once space is freed.
     */
    STORAGE_FULL(5),
    /** A shard with this id exists: shards are never rewritten in place, a new version gets a new id. */
    ALREADY_EXISTS(6),
    /**
     * The answering node refused the request: the certificate's node may not do this with this shard (not its
     * writer, or the metadata record named by the request does not list the shard on the answering node).
     */
    FORBIDDEN(7);

    private final int code;

    ShardErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error for a wire code; unknown codes (from newer peers) read as {@link #IO_ERROR}. */
    public static ShardErrorCode ofCode(int code) {
        for (ShardErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return IO_ERROR;
    }
}
