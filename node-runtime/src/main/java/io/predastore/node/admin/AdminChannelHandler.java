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
import io.predastore.node.http.ClientFaultLog;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to a worker thread and writes the answer back. The exchange gate before the
 * aggregator passes on one request at a time and the next only once this one's answer is written, so pipelined
 * requests are answered in the order they were sent, and nothing is held here.
 */
final class AdminChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminChannelHandler.class);

    private final AdminRoutes routes;
    private final Executor workers;
    private final ClientFaultLog faults;
    /** A client fault of this connection has been reported: one line per connection at most. */
    private boolean faultReported;

    AdminChannelHandler(AdminRoutes routes, Executor workers, ClientFaultLog faults) {
        super(false);
        this.routes = routes;
        this.workers = workers;
        this.faults = faults;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!ctx.channel().isActive()) {
            // The decoder reports a request cut short by the closing connection: nobody to answer.
            request.release();
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            request.release();
            clientFault(ctx, "malformed HTTP request", decoded.cause());
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
                    LOG.error("Admin request {} {} failed", request.method(), ClientFaultLog.sanitize(request.uri()), e);
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

    /** Writes an answer (from any thread); the connection is closed after it unless kept alive. */
    private static void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
        ChannelFuture written = ctx.writeAndFlush(toHttp(response, keepAlive));
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The HTTP form of an admin answer. */
    static FullHttpResponse toHttp(AdminResponse response, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().forEach((name, value) -> http.headers().set(name, value));
        http.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE
                : HttpHeaderValues.CLOSE);
        return http;
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
        if (cause instanceof IOException || !ctx.channel().isActive()) {
            // A reset, or a request cut short by the client closing: it went away, nothing to report.
            LOG.debug("Admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            clientFault(ctx, "connection error", cause);
        }
        ctx.close();
    }

    /** Reports what the client did wrong, once per connection and within the endpoint's log budget. */
    private void clientFault(ChannelHandlerContext ctx, String what, Throwable cause) {
        if (!faultReported) {
            faultReported = true;
            faults.warn("admin: " + what, ctx.channel().remoteAddress(), cause);
        }
    }
}
