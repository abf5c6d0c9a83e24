package io.predastore.protocol.shard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes {@link ShardFrame}s. All integers are big-endian. Every frame is:
 *
 * <pre>
 * offset size field
 *      0    4 magic          0x50534844 ("PSHD")
 *      4    1 version        2
 *      5    1 op             {@link ShardOp#code()}
 *      6    2 flags          bit 0: LAST (GET_SHARD_DATA) or FOUND (OK); other bits must be 0
 *      8    8 request id
 *     16    4 header length  0..4096, bytes of op-specific fields that follow
 *     20    4 body length    0..1 MiB, only for PUT_SHARD_DATA and GET_SHARD_DATA
 *     24    - header, then body
 * </pre>
 *
 * Op-specific headers: a shard id is {@code u8 length, ASCII objectId, u8 index}; a warrant (see
 * {@link ShardWarrant}) is {@code u8 kind, u16 keyLength, key}; PUT_SHARD_BEGIN is
 * {@code shardId, i64 expectedLength, warrant}; GET_SHARD is {@code shardId, i64 offset, i64 length, warrant};
 * DELETE_SHARD and STAT_SHARD are {@code shardId, warrant}; OK is {@code i64 length, i32 crc32c}; ERROR is
 * {@code u16 code, u16 messageLength, UTF-8 message}; the others have no header.
 *
 * <p>STAT_SHARDS carries its warrant as header and its shard ids as body: {@code u16 count (1..1024), count x
 * shardId}; its reply SHARD_STATS has no header and the body {@code u16 count, count x (u8 found, i64 length,
 * i32 crc32c)}. Their bodies are parsed by the codec (not handed on as buffers) and bounded by
 * {@link #MAX_STAT_BATCH} shard ids, so a batch is at most about 130 KiB.
 *
 * <p>Version 2 added the warrant. A version 1 peer is refused at its first frame: its requests carry no warrant,
 * so a node could not tell whether to serve them (every node of a cluster runs the same release).
 *
 * <p>The decoder checks magic, version, op, flags and both lengths from the fixed header alone, before waiting for
 * the rest of the frame, so a bad or hostile peer cannot make a node buffer more than one bounded frame.
 */
public final class ShardFrameCodec {
    public static final int MAGIC = 0x50534844;
    public static final int VERSION = 2;
    public static final int FIXED_HEADER_LENGTH = 24;
    public static final int MAX_HEADER_LENGTH = 4096;
    public static final int MAX_BODY_LENGTH = 1 << 20;
    public static final int MAX_ERROR_MESSAGE_BYTES = 1024;
    /** The most shards one STAT_SHARDS request names. */
    public static final int MAX_STAT_BATCH = 1024;
    /** Bytes of one shard's answer in a SHARD_STATS body. */
    private static final int STAT_BYTES = 1 + 8 + 4;
    /** The longest STAT_SHARDS body: a count and as many longest shard ids. */
    private static final int MAX_STAT_SHARDS_BODY = 2 + MAX_STAT_BATCH * (1 + 128 + 1);
    /** A frame is never larger than this. */
    public static final int MAX_FRAME_LENGTH = FIXED_HEADER_LENGTH + MAX_HEADER_LENGTH + MAX_BODY_LENGTH;
    /** GET_SHARD_DATA: this is the last chunk of the reply. */
    public static final int FLAG_LAST = 0x0001;
    /** OK: the shard exists (STAT), existed (DELETE) or was committed (PUT_SHARD_END). */
    public static final int FLAG_FOUND = 0x0001;

    private ShardFrameCodec() {
    }

    /** Appends the whole frame, body included, to {@code out}. Does not release the frame. */
    public static void encode(ShardFrame frame, ByteBuf out) {
        encodeHead(frame, out);
        ByteBuf body = body(frame);
        if (body != null) {
            out.writeBytes(body, body.readerIndex(), body.readableBytes());
        }
    }

    /**
     * Returns a new buffer with the frame's fixed and op-specific headers; the caller sends the frame's body
     * ({@link #body(ShardFrame)}) right after it, e.g. as a composite buffer, to avoid copying chunks.
     */
    public static ByteBuf encodeHead(ShardFrame frame, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(FIXED_HEADER_LENGTH + 160 + warrantLength(frame));
        try {
            encodeHead(frame, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static int warrantLength(ShardFrame frame) {
        if (frame instanceof ShardFrame.PutShardBegin f) {
            return f.warrant().keyLength();
        } else if (frame instanceof ShardFrame.GetShard f) {
            return f.warrant().keyLength();
        } else if (frame instanceof ShardFrame.DeleteShard f) {
            return f.warrant().keyLength();
        } else if (frame instanceof ShardFrame.StatShard f) {
            return f.warrant().keyLength();
        } else if (frame instanceof ShardFrame.StatShards f) {
            return f.warrant().keyLength() + 2 + f.shards().size() * 64;
        } else if (frame instanceof ShardFrame.ShardStats f) {
            return 2 + f.stats().size() * STAT_BYTES;
        }
        return 0;
    }

    /** The frame's body (data chunk), or null for frames without one. */
    public static ByteBuf body(ShardFrame frame) {
        if (frame instanceof ShardFrame.PutShardData d) {
            return d.data();
        }
        if (frame instanceof ShardFrame.GetShardData d) {
            return d.data();
        }
        return null;
    }

    private static void encodeHead(ShardFrame frame, ByteBuf out) {
        ByteBuf body = body(frame);
        int flags = 0;
        if (frame instanceof ShardFrame.GetShardData d && d.last()) {
            flags = FLAG_LAST;
        } else if (frame instanceof ShardFrame.Ok ok && ok.found()) {
            flags = FLAG_FOUND;
        }
        int start = out.writerIndex();
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeByte(frame.op().code());
        out.writeShort(flags);
        out.writeLong(frame.requestId());
        int headerLengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeInt(body == null ? 0 : body.readableBytes());
        int headerStart = out.writerIndex();
        if (frame instanceof ShardFrame.PutShardBegin f) {
            writeShardId(out, f.objectId(), f.index());
            out.writeLong(f.expectedLength());
            writeWarrant(out, f.warrant());
        } else if (frame instanceof ShardFrame.GetShard f) {
            writeShardId(out, f.objectId(), f.index());
            out.writeLong(f.offset());
            out.writeLong(f.length());
            writeWarrant(out, f.warrant());
        } else if (frame instanceof ShardFrame.DeleteShard f) {
            writeShardId(out, f.objectId(), f.index());
            writeWarrant(out, f.warrant());
        } else if (frame instanceof ShardFrame.StatShard f) {
            writeShardId(out, f.objectId(), f.index());
            writeWarrant(out, f.warrant());
        } else if (frame instanceof ShardFrame.StatShards f) {
            writeWarrant(out, f.warrant());
        } else if (frame instanceof ShardFrame.Ok f) {
            out.writeLong(f.length());
            out.writeInt(f.crc32c());
        } else if (frame instanceof ShardFrame.Error f) {
            byte[] message = truncatedUtf8(f.message());
            out.writeShort(f.code().code());
            out.writeShort(message.length);
            out.writeBytes(message);
        }
        out.setInt(headerLengthAt, out.writerIndex() - headerStart);
        assert out.writerIndex() - start <= FIXED_HEADER_LENGTH + MAX_HEADER_LENGTH;
        // The batched stat's ids and answers are small, so they are written here as a body of their own.
        int bodyStart = out.writerIndex();
        if (frame instanceof ShardFrame.StatShards f) {
            out.writeShort(f.shards().size());
            for (ShardFrame.ShardRef ref : f.shards()) {
                writeShardId(out, ref.objectId(), ref.index());
            }
        } else if (frame instanceof ShardFrame.ShardStats f) {
            out.writeShort(f.stats().size());
            for (ShardFrame.ShardStat stat : f.stats()) {
                out.writeByte(stat.found() ? 1 : 0);
                out.writeLong(stat.length());
                out.writeInt(stat.crc32c());
            }
        }
        if (out.writerIndex() > bodyStart) {
            out.setInt(headerLengthAt + 4, out.writerIndex() - bodyStart);
        }
    }

    /**
     * Decodes one frame from the readable bytes of {@code in}, advancing its reader index past it, or returns null
     * (consuming nothing) if the frame is not complete yet. Data frames hold a retained slice of {@code in}.
     *
     * @throws ShardProtocolException if the bytes are not a valid frame of this version
     */
    public static ShardFrame decode(ByteBuf in) throws ShardProtocolException {
        if (in.readableBytes() < FIXED_HEADER_LENGTH) {
            return null;
        }
        int at = in.readerIndex();
        int magic = in.getInt(at);
        if (magic != MAGIC) {
            throw new ShardProtocolException(String.format("bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        int version = in.getUnsignedByte(at + 4);
        if (version != VERSION) {
            throw new ShardProtocolException("unsupported shard protocol version " + version + ", expected "
                    + VERSION);
        }
        int code = in.getUnsignedByte(at + 5);
        ShardOp op = ShardOp.ofCode(code);
        if (op == null) {
            throw new ShardProtocolException("unknown op " + code);
        }
        int flags = in.getUnsignedShort(at + 6);
        int allowedFlags = op == ShardOp.GET_SHARD_DATA ? FLAG_LAST : op == ShardOp.OK ? FLAG_FOUND : 0;
        if ((flags & ~allowedFlags) != 0) {
            throw new ShardProtocolException("unknown flags 0x" + Integer.toHexString(flags) + " for " + op);
        }
        long requestId = in.getLong(at + 8);
        long headerLength = in.getUnsignedInt(at + 16);
        long bodyLength = in.getUnsignedInt(at + 20);
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new ShardProtocolException("header length " + headerLength + " exceeds " + MAX_HEADER_LENGTH);
        }
        long maxBody = switch (op) {
            case PUT_SHARD_DATA, GET_SHARD_DATA -> MAX_BODY_LENGTH;
            case STAT_SHARDS -> MAX_STAT_SHARDS_BODY;
            case SHARD_STATS -> 2 + (long) MAX_STAT_BATCH * STAT_BYTES;
            default -> 0;
        };
        if (bodyLength > maxBody) {
            throw new ShardProtocolException("body length " + bodyLength + " exceeds " + maxBody + " for " + op);
        }
        if (in.readableBytes() < FIXED_HEADER_LENGTH + headerLength + bodyLength) {
            return null;
        }
        in.skipBytes(FIXED_HEADER_LENGTH);
        ByteBuf header = in.readSlice((int) headerLength);
        ShardFrame frame = switch (op) {
            case PUT_SHARD_BEGIN -> {
                String objectId = readObjectId(header);
                int index = header.readUnsignedByte();
                long expected = readLong(header);
                if (expected < -1) {
                    throw new ShardProtocolException("bad expected length " + expected);
                }
                yield new ShardFrame.PutShardBegin(requestId, objectId, index, expected, readWarrant(header));
            }
            case PUT_SHARD_END -> new ShardFrame.PutShardEnd(requestId);
            case GET_SHARD -> {
                String objectId = readObjectId(header);
                int index = header.readUnsignedByte();
                long offset = readLong(header);
                long length = readLong(header);
                if (offset < 0 || length < 0) {
                    throw new ShardProtocolException("bad range " + offset + "+" + length);
                }
                yield new ShardFrame.GetShard(requestId, objectId, index, offset, length, readWarrant(header));
            }
            case DELETE_SHARD -> {
                String objectId = readObjectId(header);
                int index = readUnsignedByte(header);
                yield new ShardFrame.DeleteShard(requestId, objectId, index, readWarrant(header));
            }
            case STAT_SHARD -> {
                String objectId = readObjectId(header);
                int index = readUnsignedByte(header);
                yield new ShardFrame.StatShard(requestId, objectId, index, readWarrant(header));
            }
            case PING -> new ShardFrame.Ping(requestId);
            case STAT_SHARDS -> {
                ShardWarrant warrant = readWarrant(header);
                yield new ShardFrame.StatShards(requestId, readShardRefs(in.slice(in.readerIndex(),
                        (int) bodyLength)), warrant);
            }
            case SHARD_STATS -> new ShardFrame.ShardStats(requestId, readStats(in.slice(in.readerIndex(),
                    (int) bodyLength)));
            case OK -> {
                long length = readLong(header);
                if (length < 0) {
                    throw new ShardProtocolException("bad length " + length);
                }
                if (header.readableBytes() < 4) {
                    throw new ShardProtocolException("truncated OK header");
                }
                yield new ShardFrame.Ok(requestId, (flags & FLAG_FOUND) != 0, length, header.readInt());
            }
            case ERROR -> {
                if (header.readableBytes() < 4) {
                    throw new ShardProtocolException("truncated ERROR header");
                }
                ShardErrorCode errorCode = ShardErrorCode.ofCode(header.readUnsignedShort());
                int messageLength = header.readUnsignedShort();
                if (messageLength > header.readableBytes()) {
                    throw new ShardProtocolException("truncated ERROR message");
                }
                String message = header.readCharSequence(messageLength, StandardCharsets.UTF_8).toString();
                yield new ShardFrame.Error(requestId, errorCode, message);
            }
            // Data frames: checked below, after the header is known to be empty.
            case PUT_SHARD_DATA, GET_SHARD_DATA -> null;
        };
        if (header.isReadable()) {
            throw new ShardProtocolException(header.readableBytes() + " unexpected header bytes for " + op);
        }
        if (op == ShardOp.STAT_SHARDS || op == ShardOp.SHARD_STATS) {
            in.skipBytes((int) bodyLength);
            return frame;
        }
        if (op == ShardOp.PUT_SHARD_DATA) {
            return new ShardFrame.PutShardData(requestId, in.readRetainedSlice((int) bodyLength));
        }
        if (op == ShardOp.GET_SHARD_DATA) {
            return new ShardFrame.GetShardData(requestId, (flags & FLAG_LAST) != 0,
                    in.readRetainedSlice((int) bodyLength));
        }
        return frame;
    }

    static void checkShardId(String objectId, int index) {
        if (objectId == null || objectId.isEmpty() || objectId.length() > 128) {
            throw new IllegalArgumentException("objectId must be 1..128 characters: '" + objectId + "'");
        }
        for (int i = 0; i < objectId.length(); i++) {
            char c = objectId.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("objectId must be printable ASCII without spaces: '"
                        + objectId + "'");
            }
        }
        if (index < 0 || index > 255) {
            throw new IllegalArgumentException("shard index must be 0..255: " + index);
        }
    }

    static void checkBody(ByteBuf data) {
        if (data == null) {
            throw new NullPointerException("data");
        }
        if (data.readableBytes() > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("data chunk of " + data.readableBytes() + " bytes exceeds "
                    + MAX_BODY_LENGTH);
        }
    }

    private static void writeShardId(ByteBuf out, String objectId, int index) {
        out.writeByte(objectId.length());
        out.writeCharSequence(objectId, StandardCharsets.US_ASCII);
        out.writeByte(index);
    }

    private static void writeWarrant(ByteBuf out, ShardWarrant warrant) {
        out.writeByte(warrant.kind().code());
        out.writeShort(warrant.keyLength());
        out.writeBytes(warrant.key());
    }

    private static ShardWarrant readWarrant(ByteBuf header) throws ShardProtocolException {
        if (header.readableBytes() < 3) {
            throw new ShardProtocolException("truncated warrant");
        }
        int code = header.readUnsignedByte();
        ShardWarrant.Kind kind = ShardWarrant.Kind.ofCode(code);
        if (kind == null) {
            throw new ShardProtocolException("unknown warrant kind " + code);
        }
        int length = header.readUnsignedShort();
        if (length > ShardWarrant.MAX_KEY_LENGTH || length > header.readableBytes()) {
            throw new ShardProtocolException("bad warrant key length " + length);
        }
        byte[] key = new byte[length];
        header.readBytes(key);
        try {
            return new ShardWarrant(kind, key);
        } catch (IllegalArgumentException e) {
            throw new ShardProtocolException("bad warrant: " + e.getMessage());
        }
    }

    private static java.util.List<ShardFrame.ShardRef> readShardRefs(ByteBuf body) throws ShardProtocolException {
        int count = readCount(body);
        if (count == 0) {
            throw new ShardProtocolException("a batched stat names no shard");
        }
        java.util.List<ShardFrame.ShardRef> refs = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String objectId = readObjectId(body);
            refs.add(new ShardFrame.ShardRef(objectId, readUnsignedByte(body)));
        }
        if (body.isReadable()) {
            throw new ShardProtocolException(body.readableBytes() + " unexpected bytes after " + count + " shard ids");
        }
        return refs;
    }

    private static java.util.List<ShardFrame.ShardStat> readStats(ByteBuf body) throws ShardProtocolException {
        int count = readCount(body);
        if (body.readableBytes() != (long) count * STAT_BYTES) {
            throw new ShardProtocolException("a SHARD_STATS body of " + count + " answers has "
                    + body.readableBytes() + " bytes after its count");
        }
        java.util.List<ShardFrame.ShardStat> stats = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean found = body.readUnsignedByte() != 0;
            long length = body.readLong();
            int crc = body.readInt();
            if (length < 0) {
                throw new ShardProtocolException("bad length " + length);
            }
            stats.add(found ? new ShardFrame.ShardStat(true, length, crc) : ShardFrame.ShardStat.ABSENT);
        }
        return stats;
    }

    private static int readCount(ByteBuf body) throws ShardProtocolException {
        if (body.readableBytes() < 2) {
            throw new ShardProtocolException("truncated batch count");
        }
        int count = body.readUnsignedShort();
        if (count > MAX_STAT_BATCH) {
            throw new ShardProtocolException("a batch of " + count + " shards exceeds " + MAX_STAT_BATCH);
        }
        return count;
    }

    private static String readObjectId(ByteBuf header) throws ShardProtocolException {
        if (!header.isReadable()) {
            throw new ShardProtocolException("truncated shard id");
        }
        int length = header.readUnsignedByte();
        if (length < 1 || length > 128 || header.readableBytes() < length + 1) {
            throw new ShardProtocolException("bad shard id length " + length);
        }
        for (int i = 0; i < length; i++) {
            byte b = header.getByte(header.readerIndex() + i);
            if (b < 0x21 || b > 0x7e) {
                throw new ShardProtocolException("shard id is not printable ASCII");
            }
        }
        return header.readCharSequence(length, StandardCharsets.US_ASCII).toString();
    }

    private static int readUnsignedByte(ByteBuf header) throws ShardProtocolException {
        if (!header.isReadable()) {
            throw new ShardProtocolException("truncated header");
        }
        return header.readUnsignedByte();
    }

    private static long readLong(ByteBuf header) throws ShardProtocolException {
        if (header.readableBytes() < 8) {
            throw new ShardProtocolException("truncated header");
        }
        return header.readLong();
    }

    private static byte[] truncatedUtf8(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ERROR_MESSAGE_BYTES) {
            return bytes;
        }
        // Cut on a code point boundary so the peer decodes valid UTF-8.
        int end = MAX_ERROR_MESSAGE_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return java.util.Arrays.copyOf(bytes, end);
    }
}
