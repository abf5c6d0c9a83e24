package io.predastore.node.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.predastore.node.faultlog.ClientFaultLog;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client takes longer than the header timeout to send a request's line and headers,
 * counted from the first byte of them: a client that dribbles a header byte now and then (slowloris) would
 * otherwise hold the connection for as long as each byte comes before the idle timeout. A connection waiting
 * between requests is not concerned: the idle timeout governs it.
 *
 * <p>Two handlers share one deadline: {@link #bytes()} goes before the HTTP decoder and starts the clock when bytes
 * arrive while no request is under way; {@link #messages()} goes after it and stops the clock when the decoder
 * produces the request head. A head whose first bytes came in the same socket read as the end of the previous
 * request is timed from the next read (the decoder does not say where one request ended), which a dribbling client
 * cannot use to escape: its next byte starts the clock.
 *
 * <p>One per connection; used on the channel's event loop only.
 */
public final class RequestHeadDeadline {
    private final long timeoutNanos;
    private final ClientFaultLog faults;
    private final String endpoint;
    private final Bytes bytes = new Bytes();
    private final Messages messages = new Messages();
    /** No request is under way: the next byte starts one. */
    private boolean betweenRequests = true;
    private ScheduledFuture<?> timer;

    /**
     * @param timeout from the first byte of a request head to its end
     * @param faults where the closed connection is reported
     * @param endpoint the endpoint's name, for the log line
     */
    public RequestHeadDeadline(Duration timeout, ClientFaultLog faults, String endpoint) {
        this.timeoutNanos = timeout.toNanos();
        this.faults = Objects.requireNonNull(faults, "faults");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("the header timeout must be positive, got " + timeout);
        }
    }

    /** The handler to place before the HTTP decoder (after TLS): it sees the bytes as they arrive. */
    public ChannelHandler bytes() {
        return bytes;
    }

    /** The handler to place right after the HTTP decoder: it sees where request heads end. */
    public ChannelHandler messages() {
        return messages;
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (betweenRequests && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
                timer = ctx.executor().schedule(() -> expired(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        private void expired(ChannelHandlerContext ctx) {
            timer = null;
            if (betweenRequests && ctx.channel().isActive()) {
                faults.warn(endpoint + ": request head not complete within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", ctx.channel().remoteAddress(),
                        "closing the connection");
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancel();
            super.channelInactive(ctx);
        }
    }

    private final class Messages extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                betweenRequests = false;
                cancel();
            }
            if (msg instanceof LastHttpContent) {
                betweenRequests = true;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
