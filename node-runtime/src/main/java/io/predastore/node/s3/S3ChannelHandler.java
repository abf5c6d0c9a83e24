package io.predastore.node.s3;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.predastore.node.store.ObjectBody;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection: turns each HTTP request into a job on the worker executor (which may block on disk and
 * on the request body), pipes the body to it with back-pressure, and writes the answer back, sending file
 * bodies with zero-copy transfers when the connection is not encrypted.
 */
final class S3ChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(S3ChannelHandler.class);
    private static final int STREAM_CHUNK = 256 * 1024;
    /**
     * After answering before the body ended (an error), the rest of the body is read and dropped up to this many
     * bytes, so that the client sees the answer instead of a reset connection; past it the connection is closed.
     */
    private static final long MAX_DISCARD = 64L * 1024 * 1024;

    private final S3Service service;
    private final Executor workers;
    private BodyPipe pipe;
    private HttpRequest current;
    private boolean discarding;
    private volatile BodyPump pump;
    private long discarded;
    /** A request is being worked on and not yet answered (event loop only). */
    private boolean processing;
    /** A response is being sent (event loop only). */
    private boolean writing;
    /** The outbound buffer at the last writer-idle check while sending, or null (event loop only). */
    private OutputMark stallCheck;

    S3ChannelHandler(S3Service service, Executor workers) {
        this.service = service;
        this.workers = workers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                BodyPipe p = pipe;
                if (p != null) {
                    p.offer(content.content().retain());
                    if (content instanceof LastHttpContent) {
                        p.finish();
                    }
                } else if (discarding) {
                    discarded += content.content().readableBytes();
                    if (content instanceof LastHttpContent || discarded > MAX_DISCARD) {
                        discarding = false;
                        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        String requestId = service.newRequestId();
        if (request.decoderResult().isFailure()) {
            S3Response error = service.malformedHttp(request.decoderResult().cause(), requestId);
            write(ctx, request, error, false, requestId);
            return;
        }
        BodyPipe p = new BodyPipe(ctx.channel());
        pipe = p;
        current = request;
        processing = true;
        try {
            workers.execute(() -> {
                S3Response response;
                try {
                    response = service.handle(request, p, requestId, ctx.channel().remoteAddress());
                } catch (Throwable t) {
                    // Never leave a request unanswered, even on an Error; S3Service handles exceptions itself.
                    LOG.error("request {} failed", requestId, t);
                    response = S3Service.error(S3Error.INTERNAL_ERROR.exception(), null, requestId);
                } finally {
                    p.close();
                }
                S3Response answer = response;
                ctx.channel().eventLoop().execute(() -> {
                    boolean bodyDone = p.isFinished();
                    if (pipe == p) {
                        pipe = null;
                        current = null;
                    }
                    if (!bodyDone) {
                        // Answered early: drop the rest of the body, then close (see MAX_DISCARD).
                        discarding = true;
                        discarded = 0;
                    }
                    write(ctx, request, answer, HttpUtil.isKeepAlive(request) && bodyDone, requestId);
                });
            });
        } catch (RejectedExecutionException e) {
            pipe = null;
            p.close();
            write(ctx, request, service.overloaded(requestId), false, requestId);
        }
    }

    private void write(ChannelHandlerContext ctx, HttpRequest request, S3Response response, boolean keepAlive,
            String requestId) {
        processing = false;
        writing = true;
        stallCheck = null;
        observe(request, response);
        response.headers().set("x-amz-request-id", requestId);
        response.headers().set("x-amz-id-2", requestId);
        response.headers().set(HttpHeaderNames.SERVER, "Predastore");
        boolean head = HttpMethod.HEAD.equals(request.method());
        ObjectBody body = response.objectBody();
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture last;
        if (body == null) {
            byte[] bytes = response.bytes();
            FullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                    bytes == null || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
            full.headers().set(response.headers());
            if (!head || !full.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
                HttpUtil.setContentLength(full, bytes == null ? 0 : bytes.length);
            }
            last = ctx.writeAndFlush(full);
        } else {
            HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
            resp.headers().set(response.headers());
            HttpUtil.setContentLength(resp, body.length());
            ctx.write(resp);
            if (head) {
                closeQuietly(body);
                last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                last = writeBody(ctx, body);
            }
        }
        last.addListener(f -> writing = false);
        if (!keepAlive && !discarding) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void observe(HttpRequest request, S3Response response) {
        long in = 0;
        try {
            in = Math.max(0, Long.parseLong(request.headers().get(HttpHeaderNames.CONTENT_LENGTH, "0").trim()));
        } catch (NumberFormatException e) {
            // counted as 0
        }
        long out = response.objectBody() != null ? response.objectBody().length()
                : response.bytes() == null ? 0 : response.bytes().length;
        if (HttpMethod.HEAD.equals(request.method())) {
            out = 0;
        }
        try {
            service.observer().requestDone(response.operation(), response.status().code(), in, out);
        } catch (RuntimeException e) {
            LOG.debug("request observer failed", e);
        }
    }

    private ChannelFuture writeBody(ChannelHandlerContext ctx, ObjectBody body) {
        boolean encrypted = ctx.pipeline().get(SslHandler.class) != null;
        if (encrypted || body.fileSlices().isEmpty()) {
            // Streams may block (remote shards, decoding): pump them from a worker, never the event loop.
            ChannelPromise done = ctx.newPromise();
            BodyPump pump = new BodyPump(ctx, body, done, STREAM_CHUNK);
            this.pump = pump;
            try {
                workers.execute(pump);
            } catch (RejectedExecutionException e) {
                closeQuietly(body);
                ctx.close();
                done.trySuccess();
            }
            return done;
        }
        for (ObjectBody.FileSlice slice : body.fileSlices()) {
            if (slice.length() > 0) {
                ctx.write(new BorrowedFileRegion(slice.channel(), slice.position(), slice.length()));
            }
        }
        ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        f.addListener(result -> {
            closeQuietly(body);
            if (!result.isSuccess()) {
                ctx.close();
            }
        });
        return f;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        BodyPump p = pump;
        if (p != null) {
            p.writabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    static void closeQuietly(ObjectBody body) {
        try {
            body.close();
        } catch (IOException e) {
            LOG.debug("closing object body failed", e);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        BodyPipe p = pipe;
        if (p != null) {
            p.fail(new ClientGoneException("the client closed the connection before the request body ended"));
        }
        BodyPump bp = pump;
        if (bp != null) {
            bp.writabilityChanged();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            onIdle(ctx, idle.state());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Closes a stalled connection: one that sent nothing while a request or the rest of a body was awaited, or read
     * nothing of a response being sent. Silence while the node works on an answer, or while a slow download
     * progresses, is not a stall.
     */
    private void onIdle(ChannelHandlerContext ctx, IdleState state) {
        BodyPipe p = pipe;
        boolean awaitingBody = p != null && !p.isFinished();
        if (state == IdleState.READER_IDLE && (awaitingBody || discarding || (!processing && !writing))) {
            if (awaitingBody) {
                p.fail(new ClientGoneException("the client sent nothing for too long"));
            }
            ctx.close();
        } else if (state == IdleState.WRITER_IDLE && writing && outputStalled(ctx)) {
            LOG.info("closing the connection of {}: it read nothing of its response for {} s",
                    ctx.channel().remoteAddress(), S3Server.IDLE_SECONDS);
            ctx.close();
        }
    }

    /**
     * Whether bytes wait to be sent and none went out since the previous writer-idle check. Netty's own output
     * observation cannot tell: a file region is one write that completes only at its end, and the first idle event
     * after a write fires even while it progresses. Nothing waiting means the node itself is slow to produce the
     * body, which is not the client's fault.
     */
    private boolean outputStalled(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out == null || out.totalPendingWriteBytes() == 0) {
            stallCheck = null;
            return false;
        }
        OutputMark now = new OutputMark(System.identityHashCode(out.current()), out.totalPendingWriteBytes(),
                out.currentProgress());
        boolean stalled = now.equals(stallCheck);
        stallCheck = now;
        return stalled;
    }

    /** What the connection's outbound buffer looked like at a writer-idle check. */
    private record OutputMark(int current, long pending, long progress) {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        BodyPipe p = pipe;
        if (p != null) {
            p.fail(cause instanceof IOException
                    ? new ClientGoneException("the connection to the client failed: " + cause.getMessage(), cause)
                    : new IOException("connection failed: " + cause.getMessage(), cause));
        }
        if (!(cause instanceof IOException)) {
            LOG.warn("unexpected error on connection {} (request {})", ctx.channel().remoteAddress(),
                    current == null ? "-" : current.uri(), cause);
        }
        ctx.close();
    }

    /**
     * A file region over a channel the object body owns: sent with sendfile like any {@link DefaultFileRegion},
     * but releasing it must not close the channel, which the body closes once the response is written.
     */
    private static final class BorrowedFileRegion extends DefaultFileRegion {
        BorrowedFileRegion(FileChannel channel, long position, long count) {
            super(channel, position, count);
        }

        @Override
        protected void deallocate() {
            // The channel belongs to the object body.
        }
    }
}
