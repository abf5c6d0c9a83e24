package io.predastore.node.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose last answer was sent before its request body was read, so that the client still gets to
 * read that answer (RFC 9112 §9.6). Closing at once while the client is still sending makes the kernel reset the
 * connection, and a client that is busy writing then often loses the answer it was sent: a 413 or 403 shows up as
 * "connection reset". So this half-closes (the client sees the end of the answer), then reads and throws away what
 * the client still sends, without passing it on or keeping any of it, until the client closes, {@link #MAX_BYTES}
 * have arrived or {@link #MAX_TIME} has passed, whichever comes first. Nothing is held, so this costs a refused
 * client no more than the bounded time and bytes.
 */
public final class LingeringClose extends ChannelInboundHandlerAdapter {
    /** The longest a refused connection stays open after its answer. */
    public static final Duration MAX_TIME = Duration.ofSeconds(2);
    /** The most bytes read and dropped from a refused connection after its answer. */
    public static final long MAX_BYTES = 4L * 1024 * 1024;

    private long dropped;

    private LingeringClose() {
    }

    /** Half-closes {@code channel} after its answer, drains it as described above, then closes it. */
    public static void after(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        if (!(channel instanceof DuplexChannel duplex)) {
            channel.close();
            return;
        }
        channel.pipeline().addFirst("lingering-close", new LingeringClose());
        channel.eventLoop().schedule(() -> channel.close(), MAX_TIME.toMillis(), TimeUnit.MILLISECONDS);
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
            } else {
                channel.read();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        dropped += msg instanceof io.netty.buffer.ByteBuf b ? b.readableBytes() : 0;
        ReferenceCountUtil.release(msg);
        if (dropped > MAX_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.read(); // whatever the handlers behind this one set: they see nothing more
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            ctx.close(); // the client is done sending: nothing more to wait for
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
