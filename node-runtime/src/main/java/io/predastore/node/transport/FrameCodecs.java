package io.predastore.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import io.predastore.protocol.shard.ShardFrame;
import io.predastore.protocol.shard.ShardFrameCodec;
import java.util.List;

/** Netty adapters of {@link ShardFrameCodec}. */
final class FrameCodecs {
    static final String DECODER = "shard-frame-decoder";
    static final String ENCODER = "shard-frame-encoder";

    private static final Encoder ENCODER_INSTANCE = new Encoder();

    private FrameCodecs() {
    }

    static void addTo(ChannelPipeline pipeline) {
        pipeline.addLast(DECODER, new Decoder());
        pipeline.addLast(ENCODER, ENCODER_INSTANCE);
    }

    /** Bytes to frames; data frames are retained slices of the cumulation (no copy). */
    static final class Decoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            ShardFrame frame = ShardFrameCodec.decode(in);
            if (frame != null) {
                out.add(frame);
            }
        }
    }

    /** Frames to bytes: the small head is encoded, the data chunk follows as its own buffer (no copy). */
    @ChannelHandler.Sharable
    static final class Encoder extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (!(msg instanceof ShardFrame frame)) {
                ctx.write(msg, promise);
                return;
            }
            ByteBuf head;
            try {
                head = ShardFrameCodec.encodeHead(frame, ctx.alloc());
            } catch (RuntimeException e) {
                ReferenceCountUtil.release(frame);
                promise.setFailure(e);
                return;
            }
            ByteBuf body = ShardFrameCodec.body(frame);
            if (body == null) {
                ctx.write(head, promise);
            } else {
                ctx.write(head);
                ctx.write(body, promise);
            }
        }
    }
}
