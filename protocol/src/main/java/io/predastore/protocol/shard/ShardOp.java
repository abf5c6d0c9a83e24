package io.predastore.protocol.shard;

/** Operation code carried in byte 5 of every shard frame. Codes are part of the wire format: never renumber. */
public enum ShardOp {
    /** Starts a shard upload: shard id and expected length (or -1). */
    PUT_SHARD_BEGIN(1),
    /** One chunk (at most {@link ShardFrameCodec#MAX_BODY_LENGTH} bytes) of the shard being uploaded. */
    PUT_SHARD_DATA(2),
    /** Commits the upload; answered by {@link #OK} with the stored length and CRC32C, or {@link #ERROR}. */
    PUT_SHARD_END(3),
    /** Reads a byte range of a shard; answered by {@link #GET_SHARD_DATA} frames (last one flagged) or ERROR. */
    GET_SHARD(4),
    /** One chunk of a GET reply; {@link ShardFrameCodec#FLAG_LAST} marks the final chunk. */
    GET_SHARD_DATA(5),
    /** Deletes a shard; OK with {@link ShardFrameCodec#FLAG_FOUND} if it existed. */
    DELETE_SHARD(6),
    /** Looks a shard up; OK with {@link ShardFrameCodec#FLAG_FOUND}, length and CRC32C if it exists. */
    STAT_SHARD(7),
    /** Liveness and round-trip probe; answered by OK. */
    PING(8),
    /**
     * Looks up to {@link ShardFrameCodec#MAX_STAT_BATCH} shards at once (the protection pass asks each node which of
     * the shards the metadata places on it it holds); answered by {@link #SHARD_STATS} or ERROR.
     */
    STAT_SHARDS(9),
    /** The reply to {@link #STAT_SHARDS}: presence, length and CRC32C of each shard asked, in the order asked. */
    SHARD_STATS(10),
    /** Success reply. */
    OK(64),
    /** Failure reply: an {@link ShardErrorCode} and a message. */
    ERROR(65);

    private static final ShardOp[] BY_CODE = new ShardOp[256];

    static {
        for (ShardOp op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    ShardOp(int code) {
        this.code = code;
    }

    /** The unsigned byte on the wire. */
    public int code() {
        return code;
    }

    /** The op for a wire code, or null if unknown. */
    public static ShardOp ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
