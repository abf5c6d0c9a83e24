package io.predastore.node.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to a worker thread and writes the answer back. Requests of one connection are
 * answered one at a time, in order, so pipelined requests get their answers in the order they were sent. The
 * queue and {@code busy} are touched only on the channel's event loop.
 */
final class AdminChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminChannelHandler.class);
    /** Pipelined requests held per connection; a client sending more is disconnected. */
    private static final int MAX_PENDING = 16;

    private final AdminRoutes routes;
    private final Executor workers;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean closed;

    AdminChannelHandler(AdminRoutes routes, Executor workers) {
        super(false);
        this.routes = routes;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closed) {
            request.release();
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            request.release();
            LOG.debug("Admin client {} pipelined more than {} requests; closing", ctx.channel().remoteAddress(),
                    MAX_PENDING);
            ctx.close();
            return;
        }
        pending.addLast(request);
        if (!busy) {
            next(ctx);
        }
    }

    /** Starts the next queued request, if any. Event loop only. */
    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = pending.pollFirst();
        if (request == null || closed) {
            busy = false;
            if (request != null) {
                request.release();
            }
            return;
        }
        busy = true;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            request.release();
            write(ctx, AdminRoutes.error(HttpResponseStatus.BAD_REQUEST, "BadRequest",
                    "The request could not be parsed: " + decoded.cause().getMessage()), false);
            return;
        }
        try {
            workers.execute(() -> {
                AdminResponse response;
                try {
                    response = routes.handle(request);
                } catch (RuntimeException | Error e) {
                    LOG.error("Admin request {} {} failed", request.method(), request.uri(), e);
                    response = AdminRoutes.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "InternalError",
                            "The node failed to answer: " + e);
                } finally {
                    request.release();
                }
                write(ctx, response, keepAlive);
            });
        } catch (RejectedExecutionException e) {
            request.release();
            write(ctx, AdminRoutes.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable",
                    "The admin API is busy; retry shortly."), keepAlive);
        }
    }

    /** Writes an answer (from any thread) and then starts the next request of the connection. */
    private void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().forEach((name, value) -> http.headers().set(name, value));
        http.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE
                : HttpHeaderValues.CLOSE);
        ChannelFuture written = ctx.writeAndFlush(http);
        if (keepAlive) {
            // The listener runs on the event loop.
            written.addListener(f -> next(ctx));
        } else {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        FullHttpRequest r;
        while ((r = pending.pollFirst()) != null) {
            r.release();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Admin connection from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
