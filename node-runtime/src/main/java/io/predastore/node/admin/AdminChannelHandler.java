package io.predastore.node.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.predastore.node.error.S3Exception;
import io.predastore.node.http.ExchangeGate;
import io.predastore.node.http.LingeringClose;
import io.predastore.protocol.http.ClientFaultLog;
import io.predastore.protocol.admin.AdminErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admin exchanges of one connection. A request's head is judged by {@link AdminAdmission} as soon as it
 * arrives, on the event loop, before any of its body is read: a refused request is answered and the connection
 * closed without reading its body, so a client without the admin credential never makes the node hold a body
 * byte. An accepted body is collected only after its length has been reserved from the {@link BodyBudget}, and
 * the whole request then runs on a worker thread. The {@link ExchangeGate} before this handler passes on one
 * request at a time, so pipelined requests are answered in order.
 */
final class AdminChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AdminChannelHandler.class);

    private final AdminAdmission admission;
    private final AdminRoutes routes;
    private final BodyBudget budget;
    private final Executor workers;
    private final ExchangeGate exchanges;
    private final ClientFaultLog faults;
    /** The accepted request whose body is being collected, or null. */
    private Exchange current;
    /** A client fault of this connection has been reported: one line per connection at most. */
    private boolean faultReported;

    /** An accepted request, its reserved budget and the body collected so far. */
    private record Exchange(AdminAdmission.Admitted request, InetAddress client, boolean keepAlive,
            CompositeByteBuf body) {
    }

    AdminChannelHandler(AdminAdmission admission, AdminRoutes routes, BodyBudget budget, Executor workers,
            ExchangeGate exchanges, ClientFaultLog faults) {
        this.admission = admission;
        this.routes = routes;
        this.budget = budget;
        this.workers = workers;
        this.exchanges = exchanges;
        this.faults = faults;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest head) {
                begin(ctx, head);
            }
            if (msg instanceof HttpContent content && current != null) {
                collect(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest head) {
        if (!ctx.channel().isActive()) {
            // The decoder reports a request cut short by the closing connection: nobody to answer.
            return;
        }
        DecoderResult decoded = head.decoderResult();
        if (decoded.isFailure()) {
            clientFault(ctx, "malformed HTTP request", decoded.cause().getMessage());
            refuse(ctx, AdminRoutes.error(AdminErrorCode.BAD_REQUEST,
                    "The request could not be parsed: " + decoded.cause().getMessage()));
            return;
        }
        InetAddress address = address(ctx);
        AdminAdmission.Admitted request;
        try {
            request = admission.admit(head, String.valueOf(address == null ? null : address.getHostAddress()));
        } catch (S3Exception | AdminRefusal e) {
            clientFault(ctx, "refused " + head.method() + " " + ClientFaultLog.sanitize(head.uri()), e.getMessage());
            refuse(ctx, AdminRoutes.refusal(e));
            return;
        }
        if (request.contentLength() > 0 && !budget.reserve(address, request.contentLength())) {
            clientFault(ctx, "body budget spent", request.contentLength() + " bytes asked");
            refuse(ctx, AdminRoutes.error(AdminErrorCode.SLOW_DOWN, "The admin API holds "
                    + "as many request bodies as it takes (from this client or in all); retry shortly."));
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
        current = new Exchange(request, address, HttpUtil.isKeepAlive(head), ctx.alloc().compositeBuffer(64));
    }

    private void collect(ChannelHandlerContext ctx, HttpContent content) {
        Exchange x = current;
        if (content.decoderResult().isFailure()) {
            current = null;
            end(x);
            clientFault(ctx, "malformed HTTP body", content.decoderResult().cause().getMessage());
            refuse(ctx, AdminRoutes.error(AdminErrorCode.BAD_REQUEST,
                    "The request body could not be parsed: " + content.decoderResult().cause().getMessage()));
            return;
        }
        ByteBuf bytes = content.content();
        if (bytes.isReadable()) {
            if (x.body().readableBytes() + (long) bytes.readableBytes() > x.request().contentLength()) {
                // The decoder frames bodies by Content-Length, so this does not happen; never hold more than reserved.
                current = null;
                end(x);
                refuse(ctx, AdminRoutes.error(AdminErrorCode.BAD_REQUEST,
                        "The body is longer than its Content-Length."));
                return;
            }
            x.body().addComponent(true, bytes.retain());
        }
        if (content instanceof LastHttpContent) {
            current = null;
            dispatch(ctx, x);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Exchange x) {
        try {
            workers.execute(() -> {
                AdminResponse response;
                try {
                    response = routes.handle(x.request(), x.body());
                } catch (RuntimeException | Error e) {
                    LOG.error("Admin request {} {} failed", x.request().method(), x.request().target(), e);
                    response = AdminRoutes.error(AdminErrorCode.INTERNAL_ERROR, "The node failed to answer: " + e);
                } finally {
                    end(x);
                }
                write(ctx, response, x.keepAlive());
            });
        } catch (RejectedExecutionException e) {
            end(x);
            write(ctx, AdminRoutes.error(AdminErrorCode.SERVICE_UNAVAILABLE, "The admin API is busy; retry shortly."),
                    x.keepAlive());
        }
    }

    /** Releases what an exchange holds: its body and its reservation. */
    private void end(Exchange x) {
        long reserved = x.request().contentLength();
        if (x.body().refCnt() > 0) {
            x.body().release();
        }
        if (reserved > 0) {
            budget.release(x.client(), reserved);
        }
    }

    /**
     * Answers and closes without passing on any more of the connection: what the client still sends is dropped
     * unread for a short, bounded while ({@link LingeringClose}) so that it gets to read the answer.
     */
    private void refuse(ChannelHandlerContext ctx, AdminResponse response) {
        exchanges.pauseBody();
        ctx.writeAndFlush(toHttp(response, false)).addListener(written -> LingeringClose.after(ctx.channel()));
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

    private static InetAddress address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (current != null) {
            Exchange x = current;
            current = null;
            end(x);
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
        if (cause instanceof IOException || !ctx.channel().isActive()) {
            // A reset, or a request cut short by the client closing: it went away, nothing to report.
            LOG.debug("Admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            clientFault(ctx, "connection error", cause.toString());
        }
        ctx.close();
    }

    /** Reports what the client did wrong, once per connection and within the endpoint's log budget. */
    private void clientFault(ChannelHandlerContext ctx, String what, String detail) {
        if (!faultReported) {
            faultReported = true;
            faults.warn("admin: " + what, ctx.channel().remoteAddress(), detail);
        }
    }
}
