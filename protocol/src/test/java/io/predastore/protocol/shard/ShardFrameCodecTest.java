package io.predastore.protocol.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardFrameCodecTest {

    /** magic, version 2, op, flags, request id 0x0102030405060708, header length, body length. */
    private static String fixed(int op, int flags, int headerLength, int bodyLength) {
        return "50534844" + "02" + String.format("%02x", op) + String.format("%04x", flags) + "0102030405060708"
                + String.format("%08x", headerLength) + String.format("%08x", bodyLength);
    }

    private static final long RID = 0x0102030405060708L;
    /** Shard id "ab", index 7. */
    private static final String SHARD_ID = "02" + "6162" + "07";
    /** The empty warrant: kind 0, no key. */
    private static final String NO_WARRANT = "00" + "0000";
    /** An OBJECT warrant for key "b/k": kind 1, length 3. */
    private static final ShardWarrant OBJECT = ShardWarrant.of(ShardWarrant.Kind.OBJECT,
            "b/k".getBytes(StandardCharsets.US_ASCII));
    private static final String OBJECT_WARRANT = "01" + "0003" + "622f6b";

    private static String encodeHex(ShardFrame frame) {
        ByteBuf out = Unpooled.buffer();
        try {
            ShardFrameCodec.encode(frame, out);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    /** Checks the exact encoding, and that decoding it gives the same frame back, also when split in two. */
    private static void assertWire(ShardFrame frame, String hex) throws Exception {
        try {
            assertThat(encodeHex(frame)).isEqualTo(hex);
            ByteBuf head = ShardFrameCodec.encodeHead(frame, io.netty.buffer.ByteBufAllocator.DEFAULT);
            ByteBuf body = ShardFrameCodec.body(frame);
            try {
                String joined = ByteBufUtil.hexDump(head) + (body == null ? "" : ByteBufUtil.hexDump(body));
                assertThat(joined).isEqualTo(hex);
            } finally {
                head.release();
            }
            byte[] bytes = ByteBufUtil.decodeHexDump(hex);
            ByteBuf in = Unpooled.buffer();
            try {
                in.writeBytes(bytes, 0, bytes.length - 1);
                assertThat(ShardFrameCodec.decode(in)).isNull();
                assertThat(in.readerIndex()).isZero();
                in.writeBytes(bytes, bytes.length - 1, 1);
                ShardFrame decoded = ShardFrameCodec.decode(in);
                try {
                    assertThat(in.isReadable()).isFalse();
                    assertSameFrame(decoded, frame);
                } finally {
                    ReferenceCountUtil.release(decoded);
                }
            } finally {
                in.release();
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private static void assertSameFrame(ShardFrame decoded, ShardFrame frame) {
        if (frame instanceof ShardFrame.PutShardData d) {
            assertThat(decoded).isInstanceOf(ShardFrame.PutShardData.class);
            assertThat(decoded.requestId()).isEqualTo(d.requestId());
            assertThat(((ShardFrame.PutShardData) decoded).data()).isEqualTo(d.data());
        } else if (frame instanceof ShardFrame.GetShardData d) {
            ShardFrame.GetShardData g = (ShardFrame.GetShardData) decoded;
            assertThat(g.requestId()).isEqualTo(d.requestId());
            assertThat(g.last()).isEqualTo(d.last());
            assertThat(g.data()).isEqualTo(d.data());
        } else {
            assertThat(decoded).isEqualTo(frame);
        }
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void putShardBegin() throws Exception {
        assertWire(new ShardFrame.PutShardBegin(RID, "ab", 7, 1000),
                fixed(1, 0, 15, 0) + SHARD_ID + "00000000000003e8" + NO_WARRANT);
        assertWire(new ShardFrame.PutShardBegin(RID, "ab", 7, -1),
                fixed(1, 0, 15, 0) + SHARD_ID + "ffffffffffffffff" + NO_WARRANT);
        assertWire(new ShardFrame.PutShardBegin(RID, "ab", 7, -1, ShardWarrant.of(ShardWarrant.Kind.REPAIR,
                "ab".getBytes(StandardCharsets.US_ASCII))),
                fixed(1, 0, 17, 0) + SHARD_ID + "ffffffffffffffff" + "03" + "0002" + "6162");
    }

    @Test
    void putShardData() throws Exception {
        assertWire(new ShardFrame.PutShardData(RID, bytes("xyz")), fixed(2, 0, 0, 3) + "78797a");
        assertWire(new ShardFrame.PutShardData(RID, Unpooled.EMPTY_BUFFER), fixed(2, 0, 0, 0));
    }

    @Test
    void putShardEnd() throws Exception {
        assertWire(new ShardFrame.PutShardEnd(RID), fixed(3, 0, 0, 0));
    }

    @Test
    void getShard() throws Exception {
        assertWire(new ShardFrame.GetShard(RID, "ab", 7, 5, 10),
                fixed(4, 0, 23, 0) + SHARD_ID + "0000000000000005" + "000000000000000a" + NO_WARRANT);
        assertWire(new ShardFrame.GetShard(RID, "ab", 7, 5, 10, OBJECT),
                fixed(4, 0, 26, 0) + SHARD_ID + "0000000000000005" + "000000000000000a" + OBJECT_WARRANT);
    }

    @Test
    void getShardData() throws Exception {
        assertWire(new ShardFrame.GetShardData(RID, false, bytes("hi")), fixed(5, 0, 0, 2) + "6869");
        assertWire(new ShardFrame.GetShardData(RID, true, Unpooled.EMPTY_BUFFER), fixed(5, 1, 0, 0));
    }

    @Test
    void deleteAndStatShard() throws Exception {
        assertWire(new ShardFrame.DeleteShard(RID, "ab", 7), fixed(6, 0, 7, 0) + SHARD_ID + NO_WARRANT);
        assertWire(new ShardFrame.StatShard(RID, "ab", 7), fixed(7, 0, 7, 0) + SHARD_ID + NO_WARRANT);
        assertWire(new ShardFrame.DeleteShard(RID, "ab", 7, ShardWarrant.of(ShardWarrant.Kind.REPAIR,
                "ab".getBytes(StandardCharsets.US_ASCII))), fixed(6, 0, 9, 0) + SHARD_ID + "03" + "0002" + "6162");
        assertWire(new ShardFrame.DeleteShard(RID, "ab", 7, ShardWarrant.of(ShardWarrant.Kind.TOMBSTONE,
                new byte[] {(byte) 0xff})), fixed(6, 0, 8, 0) + SHARD_ID + "04" + "0001" + "ff");
        assertWire(new ShardFrame.StatShard(RID, "ab", 7, OBJECT), fixed(7, 0, 10, 0) + SHARD_ID + OBJECT_WARRANT);
        assertWire(new ShardFrame.StatShard(RID, "ab", 7, ShardWarrant.of(ShardWarrant.Kind.PART,
                new byte[] {1, 2})), fixed(7, 0, 9, 0) + SHARD_ID + "02" + "0002" + "0102");
    }

    @Test
    void statShards_carriesItsIdsAsABody_andItsReplyOneAnswerPerId() throws Exception {
        assertWire(new ShardFrame.StatShards(RID, List.of(new ShardFrame.ShardRef("ab", 7),
                new ShardFrame.ShardRef("c", 0)), ShardWarrant.NONE),
                fixed(9, 0, 3, 9) + NO_WARRANT + "0002" + SHARD_ID + "01" + "63" + "00");
        assertWire(new ShardFrame.ShardStats(RID, List.of(new ShardFrame.ShardStat(true, 4096, 0xCAFEBABE),
                ShardFrame.ShardStat.ABSENT)),
                fixed(10, 0, 0, 28) + "0002" + "01" + "0000000000001000" + "cafebabe" + "00" + "0000000000000000"
                        + "00000000");
    }

    @Test
    void statShards_beyondTheBatchBound_isRefusedOnBothSides() {
        List<ShardFrame.ShardRef> tooMany = java.util.Collections.nCopies(ShardFrameCodec.MAX_STAT_BATCH + 1,
                new ShardFrame.ShardRef("ab", 7));
        assertThatThrownBy(() -> new ShardFrame.StatShards(RID, tooMany, ShardWarrant.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1024");
        // A hostile count is refused from the fixed header alone (body length) or from the count.
        ByteBuf in = Unpooled.buffer();
        try {
            in.writeBytes(ByteBufUtil.decodeHexDump(fixed(9, 0, 3, 200_000) + NO_WARRANT));
            assertThatThrownBy(() -> ShardFrameCodec.decode(in)).isInstanceOf(ShardProtocolException.class)
                    .hasMessageContaining("body length");
        } finally {
            in.release();
        }
        ByteBuf counted = Unpooled.buffer();
        try {
            counted.writeBytes(ByteBufUtil.decodeHexDump(fixed(9, 0, 3, 2) + NO_WARRANT + "0401"));
            assertThatThrownBy(() -> ShardFrameCodec.decode(counted)).isInstanceOf(ShardProtocolException.class)
                    .hasMessageContaining("exceeds 1024");
        } finally {
            counted.release();
        }
    }

    @Test
    void ping() throws Exception {
        assertWire(new ShardFrame.Ping(RID), fixed(8, 0, 0, 0));
    }

    @Test
    void ok() throws Exception {
        assertWire(new ShardFrame.Ok(RID, true, 4096, 0xCAFEBABE),
                fixed(64, 1, 12, 0) + "0000000000001000" + "cafebabe");
        assertWire(ShardFrame.Ok.empty(RID), fixed(64, 0, 12, 0) + "0000000000000000" + "00000000");
    }

    @Test
    void error() throws Exception {
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.NO_SUCH_SHARD, "gone"),
                fixed(65, 0, 8, 0) + "0001" + "0004" + "676f6e65");
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.CORRUPT, ""), fixed(65, 0, 4, 0) + "0002" + "0000");
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.IO_ERROR, "é"),
                fixed(65, 0, 6, 0) + "0003" + "0002" + "c3a9");
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.BAD_REQUEST, "x"),
                fixed(65, 0, 5, 0) + "0004" + "0001" + "78");
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.STORAGE_FULL, "x"),
                fixed(65, 0, 5, 0) + "0005" + "0001" + "78");
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.ALREADY_EXISTS, "x"),
                fixed(65, 0, 5, 0) + "0006" + "0001" + "78");
        assertWire(new ShardFrame.Error(RID, ShardErrorCode.FORBIDDEN, "x"),
                fixed(65, 0, 5, 0) + "0007" + "0001" + "78");
    }

    @Test
    void errorCodes_neverRenumbered_unknownReadsAsIoError() {
        assertThat(ShardErrorCode.STORAGE_FULL.code()).isEqualTo(5);
        assertThat(ShardErrorCode.ofCode(5)).isEqualTo(ShardErrorCode.STORAGE_FULL);
        assertThat(ShardErrorCode.ALREADY_EXISTS.code()).isEqualTo(6);
        assertThat(ShardErrorCode.FORBIDDEN.code()).isEqualTo(7);
        assertThat(ShardErrorCode.ofCode(8)).isEqualTo(ShardErrorCode.IO_ERROR);
    }

    @Test
    void longErrorMessagesAreTruncated() throws Exception {
        String hex = encodeHex(new ShardFrame.Error(RID, ShardErrorCode.IO_ERROR, "é".repeat(1000)));
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            ShardFrame.Error e = (ShardFrame.Error) ShardFrameCodec.decode(in);
            assertThat(e.message()).isEqualTo("é".repeat(512));
        } finally {
            in.release();
        }
    }

    @Test
    void decodesBackToBackFrames() throws Exception {
        ByteBuf in = Unpooled.buffer();
        try {
            ShardFrameCodec.encode(new ShardFrame.Ping(1), in);
            ShardFrameCodec.encode(new ShardFrame.PutShardEnd(2), in);
            assertThat(ShardFrameCodec.decode(in)).isEqualTo(new ShardFrame.Ping(1));
            assertThat(ShardFrameCodec.decode(in)).isEqualTo(new ShardFrame.PutShardEnd(2));
            assertThat(ShardFrameCodec.decode(in)).isNull();
        } finally {
            in.release();
        }
    }

    private static void assertRejected(String hex, String message) {
        ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
        try {
            assertThatThrownBy(() -> ShardFrameCodec.decode(in))
                    .isInstanceOf(ShardProtocolException.class)
                    .hasMessageContaining(message);
        } finally {
            in.release();
        }
    }

    @Test
    void rejectsBadMagicAndVersion() {
        assertRejected("48545450" + fixed(8, 0, 0, 0).substring(8), "bad magic");
        assertRejected("50534844" + "03" + fixed(8, 0, 0, 0).substring(10), "unsupported shard protocol version 3");
        // A version 1 peer sends requests without warrants: refused at its first frame, ping included.
        assertRejected("50534844" + "01" + fixed(8, 0, 0, 0).substring(10), "unsupported shard protocol version 1");
        assertRejected(fixed(99, 0, 0, 0), "unknown op 99");
        assertRejected(fixed(8, 1, 0, 0), "unknown flags");
    }

    @Test
    void rejectsOversizedLengthsFromTheFixedHeaderAlone() {
        // Only the 24-byte fixed header is present: the decoder must not wait for 4 GiB.
        assertRejected(fixed(1, 0, 4097, 0), "header length 4097 exceeds 4096");
        assertRejected(fixed(1, 0, 0xFFFFFFFF, 0), "header length 4294967295");
        assertRejected(fixed(2, 0, 0, (1 << 20) + 1), "body length 1048577 exceeds 1048576");
        assertRejected(fixed(5, 0, 0, 0xFFFFFFFF), "body length 4294967295");
        assertRejected(fixed(7, 0, 7, 1), "body length 1 exceeds 0");
    }

    @Test
    void acceptsTheLargestChunk() throws Exception {
        ByteBuf chunk = Unpooled.buffer(ShardFrameCodec.MAX_BODY_LENGTH).writeZero(ShardFrameCodec.MAX_BODY_LENGTH);
        ByteBuf in = Unpooled.buffer();
        try {
            ShardFrameCodec.encode(new ShardFrame.PutShardData(3, chunk), in);
            ShardFrame.PutShardData d = (ShardFrame.PutShardData) ShardFrameCodec.decode(in);
            assertThat(d.data().readableBytes()).isEqualTo(ShardFrameCodec.MAX_BODY_LENGTH);
            d.release();
        } finally {
            chunk.release();
            in.release();
        }
    }

    @Test
    void rejectsMalformedHeaders() {
        assertRejected(fixed(7, 0, 3, 0) + "026162", "bad shard id length 2");
        assertRejected(fixed(7, 0, 7, 0) + "02612007" + NO_WARRANT, "not printable");
        assertRejected(fixed(7, 0, 8, 0) + SHARD_ID + NO_WARRANT + "00", "1 unexpected header bytes");
        assertRejected(fixed(4, 0, 23, 0) + SHARD_ID + "ffffffffffffffff" + "0000000000000001" + NO_WARRANT,
                "bad range");
        // Warrants: missing (a version 1 header), unknown kind, key longer than the header, keys where none belong.
        assertRejected(fixed(7, 0, 4, 0) + SHARD_ID, "truncated warrant");
        assertRejected(fixed(6, 0, 7, 0) + SHARD_ID + "05" + "0000", "unknown warrant kind 5");
        assertRejected(fixed(7, 0, 8, 0) + SHARD_ID + "01" + "0002" + "61", "bad warrant key length 2");
        assertRejected(fixed(7, 0, 8, 0) + SHARD_ID + "00" + "0001" + "61", "bad warrant");
        assertRejected(fixed(7, 0, 7, 0) + SHARD_ID + "01" + "0000", "bad warrant");
        assertRejected(fixed(7, 0, 7, 0) + SHARD_ID + "01" + "0801", "bad warrant key length 2049");
        assertRejected(fixed(65, 0, 4, 0) + "0001" + "0005", "truncated ERROR message");
        assertRejected(fixed(64, 0, 8, 0) + "0000000000000000", "truncated OK header");
    }

    @Test
    void rejectsInvalidFramesBeforeSending() {
        assertThatThrownBy(() -> new ShardFrame.StatShard(1, "", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardFrame.StatShard(1, "a b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardFrame.StatShard(1, "a", 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardFrame.PutShardBegin(1, "a", 0, -2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardWarrant.of(ShardWarrant.Kind.OBJECT, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardWarrant.of(ShardWarrant.Kind.OBJECT,
                new byte[ShardWarrant.MAX_KEY_LENGTH + 1])).isInstanceOf(IllegalArgumentException.class);
        ByteBuf big = Unpooled.buffer(ShardFrameCodec.MAX_BODY_LENGTH + 1).writeZero(ShardFrameCodec.MAX_BODY_LENGTH + 1);
        try {
            assertThatThrownBy(() -> new ShardFrame.PutShardData(1, big)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            big.release();
        }
    }
}
