package io.predastore.protocol.shard;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import java.util.Objects;

/**
 * One message of the shard wire protocol. Every frame carries the request id it belongs to; replies echo it.
 *
 * <p>The two data frames ({@link PutShardData}, {@link GetShardData}) own a reference-counted {@link ByteBuf} and
 * are themselves {@link ReferenceCounted}: whoever ends up holding one must release it (Netty does so for frames
 * written to a channel).
 */
public sealed interface ShardFrame {

    /** The request this frame belongs to. */
    long requestId();

    /** The frame's operation code. */
    ShardOp op();

    /**
     * Starts a shard upload. {@code expectedLength} is the shard length if known, else -1; {@code warrant} is
     * {@link ShardWarrant#NONE} for a new shard in the writer's own namespace, or the repair entry it rebuilds.
     */
    record PutShardBegin(long requestId, String objectId, int index, long expectedLength, ShardWarrant warrant)
            implements ShardFrame {
        public PutShardBegin {
            ShardFrameCodec.checkShardId(objectId, index);
            if (expectedLength < -1) {
                throw new IllegalArgumentException("expectedLength must be -1 or >= 0: " + expectedLength);
            }
            Objects.requireNonNull(warrant, "warrant");
        }

        /** An upload of a new shard in the writer's own namespace. */
        public PutShardBegin(long requestId, String objectId, int index, long expectedLength) {
            this(requestId, objectId, index, expectedLength, ShardWarrant.NONE);
        }

        @Override
        public ShardOp op() {
            return ShardOp.PUT_SHARD_BEGIN;
        }
    }

    /** One chunk of the shard being uploaded (at most {@link ShardFrameCodec#MAX_BODY_LENGTH} bytes). */
    record PutShardData(long requestId, ByteBuf data) implements ShardFrame, ReferenceCounted {
        public PutShardData {
            ShardFrameCodec.checkBody(data);
        }

        @Override
        public ShardOp op() {
            return ShardOp.PUT_SHARD_DATA;
        }

        @Override
        public int refCnt() {
            return data.refCnt();
        }

        @Override
        public PutShardData retain() {
            data.retain();
            return this;
        }

        @Override
        public PutShardData retain(int increment) {
            data.retain(increment);
            return this;
        }

        @Override
        public PutShardData touch() {
            data.touch();
            return this;
        }

        @Override
        public PutShardData touch(Object hint) {
            data.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return data.release();
        }

        @Override
        public boolean release(int decrement) {
            return data.release(decrement);
        }
    }

    /** Ends the upload: the server commits the shard and answers {@link Ok} (found, length, CRC32C) or {@link Error}. */
    record PutShardEnd(long requestId) implements ShardFrame {
        @Override
        public ShardOp op() {
            return ShardOp.PUT_SHARD_END;
        }
    }

    /** Reads {@code length} bytes from {@code offset} of a shard, as the record named by {@code warrant} allows. */
    record GetShard(long requestId, String objectId, int index, long offset, long length, ShardWarrant warrant)
            implements ShardFrame {
        public GetShard {
            ShardFrameCodec.checkShardId(objectId, index);
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("offset and length must be >= 0: " + offset + ", " + length);
            }
            Objects.requireNonNull(warrant, "warrant");
        }

        /** A read without a warrant (which a cluster node refuses). */
        public GetShard(long requestId, String objectId, int index, long offset, long length) {
            this(requestId, objectId, index, offset, length, ShardWarrant.NONE);
        }

        @Override
        public ShardOp op() {
            return ShardOp.GET_SHARD;
        }
    }

    /** One chunk of a GET reply; {@code last} is set on the final chunk (which may be empty). */
    record GetShardData(long requestId, boolean last, ByteBuf data) implements ShardFrame, ReferenceCounted {
        public GetShardData {
            ShardFrameCodec.checkBody(data);
        }

        @Override
        public ShardOp op() {
            return ShardOp.GET_SHARD_DATA;
        }

        @Override
        public int refCnt() {
            return data.refCnt();
        }

        @Override
        public GetShardData retain() {
            data.retain();
            return this;
        }

        @Override
        public GetShardData retain(int increment) {
            data.retain(increment);
            return this;
        }

        @Override
        public GetShardData touch() {
            data.touch();
            return this;
        }

        @Override
        public GetShardData touch(Object hint) {
            data.touch(hint);
            return this;
        }

        @Override
        public boolean release() {
            return data.release();
        }

        @Override
        public boolean release(int decrement) {
            return data.release(decrement);
        }
    }

    /** Deletes a shard; answered by {@link Ok} whose {@code found} tells whether it existed. {@code warrant} names the record that allows it. */
    record DeleteShard(long requestId, String objectId, int index, ShardWarrant warrant) implements ShardFrame {
        public DeleteShard {
            ShardFrameCodec.checkShardId(objectId, index);
            Objects.requireNonNull(warrant, "warrant");
        }

        /** A request without a warrant (which a cluster node refuses). */
        public DeleteShard(long requestId, String objectId, int index) {
            this(requestId, objectId, index, ShardWarrant.NONE);
        }

        @Override
        public ShardOp op() {
            return ShardOp.DELETE_SHARD;
        }
    }

    /** Looks a shard up; answered by {@link Ok} with {@code found}, length and CRC32C. {@code warrant} names the record that allows it. */
    record StatShard(long requestId, String objectId, int index, ShardWarrant warrant) implements ShardFrame {
        public StatShard {
            ShardFrameCodec.checkShardId(objectId, index);
            Objects.requireNonNull(warrant, "warrant");
        }

        /** A request without a warrant (which a cluster node refuses). */
        public StatShard(long requestId, String objectId, int index) {
            this(requestId, objectId, index, ShardWarrant.NONE);
        }

        @Override
        public ShardOp op() {
            return ShardOp.STAT_SHARD;
        }
    }

    /**
     * Looks up many shards at once: their presence and length only, never their bytes. {@code warrant} is
     * {@link ShardWarrant#NONE} from the node that runs the protection pass (see the serving node's access policy).
     *
     * @param shards 1 to {@link ShardFrameCodec#MAX_STAT_BATCH} shards
     */
    record StatShards(long requestId, java.util.List<ShardRef> shards, ShardWarrant warrant) implements ShardFrame {
        public StatShards {
            shards = java.util.List.copyOf(shards);
            if (shards.isEmpty() || shards.size() > ShardFrameCodec.MAX_STAT_BATCH) {
                throw new IllegalArgumentException("a batched stat asks for 1 to " + ShardFrameCodec.MAX_STAT_BATCH
                        + " shards, not " + shards.size());
            }
            Objects.requireNonNull(warrant, "warrant");
        }

        @Override
        public ShardOp op() {
            return ShardOp.STAT_SHARDS;
        }
    }

    /** One shard named in a {@link StatShards} request. */
    record ShardRef(String objectId, int index) {
        public ShardRef {
            ShardFrameCodec.checkShardId(objectId, index);
        }
    }

    /** The answer to {@link StatShards}: one {@link ShardStat} per shard asked, in the order asked. */
    record ShardStats(long requestId, java.util.List<ShardStat> stats) implements ShardFrame {
        public ShardStats {
            stats = java.util.List.copyOf(stats);
            if (stats.size() > ShardFrameCodec.MAX_STAT_BATCH) {
                throw new IllegalArgumentException("at most " + ShardFrameCodec.MAX_STAT_BATCH + " stats, not "
                        + stats.size());
            }
        }

        @Override
        public ShardOp op() {
            return ShardOp.SHARD_STATS;
        }
    }

    /** Whether one shard is there, with its length and CRC32C (0 and 0 when absent). */
    record ShardStat(boolean found, long length, int crc32c) {
        /** An absent shard. */
        public static final ShardStat ABSENT = new ShardStat(false, 0, 0);

        public ShardStat {
            if (length < 0) {
                throw new IllegalArgumentException("length must be >= 0: " + length);
            }
        }
    }

    /**
     * Liveness probe; answered by an {@link Ok} with length and CRC32C 0 whose {@code found} says whether the node
     * refuses new shards because its disk is below its free-space reserve (older nodes always answer false).
     */
    record Ping(long requestId) implements ShardFrame {
        @Override
        public ShardOp op() {
            return ShardOp.PING;
        }
    }

    /**
     * Success. For PUT_SHARD_END and STAT_SHARD it carries the shard's record ({@code found}, length, CRC32C); for
     * DELETE_SHARD {@code found} tells whether the shard existed; for PING {@code found} says that the node's disk is
     * below its free-space reserve.
     */
    record Ok(long requestId, boolean found, long length, int crc32c) implements ShardFrame {
        public Ok {
            if (length < 0) {
                throw new IllegalArgumentException("length must be >= 0: " + length);
            }
        }

        /** An OK without a shard record. */
        public static Ok empty(long requestId) {
            return new Ok(requestId, false, 0, 0);
        }

        @Override
        public ShardOp op() {
            return ShardOp.OK;
        }
    }

    /** Failure; the message is truncated to {@link ShardFrameCodec#MAX_ERROR_MESSAGE_BYTES} UTF-8 bytes on the wire. */
    record Error(long requestId, ShardErrorCode code, String message) implements ShardFrame {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public ShardOp op() {
            return ShardOp.ERROR;
        }
    }
}
