package io.predastore.node.s3;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.predastore.node.error.S3Error;
import io.predastore.node.http.ExchangeGate;
import io.predastore.node.store.ObjectBody;
import io.predastore.protocol.http.ClientFaultLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per connection: turns each HTTP request into a job on the worker executor (which may block on disk and
 * on the request body), pipes the body to it with back-pressure, and writes the answer back, sending file
 * bodies with zero-copy transfers when the connection is not encrypted. The {@link ExchangeGate} before it hands
 * over one request at a time, so an exchange here always starts after the previous one has ended; this handler
 * sends {@code 100 Continue} only when the operation first reads the body, and asks the gate to stop reading while
 * the body pipe is full.
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
    private final ExchangeGate exchanges;
    private final ClientFaultLog faults;
    private final Duration idleTimeout;
    /** The exchange under way, or the last one (event loop only). */
    private Exchange current;
    private volatile BodyPump pump;
    /** The outbound buffer at the last writer-idle check while sending, or null (event loop only). */
    private OutputMark stallCheck;
    /** A client fault of this connection has been reported: one line per connection at most. */
    private boolean faultReported;

    /**
     * @param idleTimeout the stall after which the endpoint raises the idle events this handler closes connections
     *     on; named in what it logs
     */
    S3ChannelHandler(S3Service service, Executor workers, ExchangeGate exchanges, ClientFaultLog faults,
            Duration idleTimeout) {
        this.service = service;
        this.workers = workers;
        this.exchanges = exchanges;
        this.faults = faults;
        this.idleTimeout = idleTimeout;
    }

    /** One request and its answer. Fields are touched on the event loop only. */
    private static final class Exchange {
        final HttpRequest request;
        final String requestId;
        /** Where the body goes, or null for a malformed request. */
        BodyPipe pipe;
        long received;
        boolean bodyEnded;
        /** The body could not be decoded: the connection cannot carry another request. */
        boolean malformed;
        boolean continueSent;
        /** The answer has started to be written. */
        boolean answered;
        /** The answer has been written whole. */
        boolean responded;
        /** Answered before the body ended: the rest of the body is dropped, then the connection closed. */
        boolean discarding;
        long discarded;

        Exchange(HttpRequest request, String requestId) {
            this.request = request;
            this.requestId = requestId;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        if (!ctx.channel().isActive()) {
            // The decoder reports a head cut short by the closing connection: nobody to answer.
            return;
        }
        String requestId = service.newRequestId();
        if (request.decoderResult().isFailure()) {
            // The decoder skips everything after a malformed head, so the connection cannot go on.
            Throwable cause = request.decoderResult().cause();
            Exchange x = new Exchange(request, requestId);
            current = x;
            // Logged there, as one rate-bounded line.
            write(ctx, x, service.malformedHttp(cause, requestId, ctx.channel().remoteAddress()), false);
            return;
        }
        Exchange x = new Exchange(request, requestId);
        x.pipe = newPipe(ctx, x);
        current = x;
        try {
            workers.execute(() -> run(ctx, x));
        } catch (RejectedExecutionException e) {
            x.pipe.close();
            // Answered after the rest of this socket read, so that a request without a body stays keep-alive.
            ctx.executor().execute(() -> respond(ctx, x, service.overloaded(requestId)));
        }
    }

    private BodyPipe newPipe(ChannelHandlerContext ctx, Exchange x) {
        return new BodyPipe(ctx.executor(), new BodyPipe.Demand() {
            @Override
            public void drained() {
                if (current == x) {
                    exchanges.resumeBody();
                }
            }

            @Override
            public void wanted() {
                sendContinue(ctx, x);
            }
        });
    }

    /** Runs the operation on a worker thread, then answers on the event loop. */
    private void run(ChannelHandlerContext ctx, Exchange x) {
        S3Response response;
        try {
            response = service.handle(x.request, x.pipe, x.requestId, ctx.channel().remoteAddress());
        } catch (Throwable t) {
            // Never leave a request unanswered, even on an Error; S3Service handles exceptions itself.
            LOG.error("request {} failed", x.requestId, t);
            response = S3Service.error(S3Error.INTERNAL_ERROR.exception(), null, x.requestId);
        } finally {
            x.pipe.close();
        }
        S3Response answer = response;
        ctx.executor().execute(() -> respond(ctx, x, answer));
    }

    /**
     * Sends {@code 100 Continue} when the operation first reads a body the client holds back for it: only now,
     * when the request is under way (not when its head was decoded, which for a pipelined request could be in the
     * middle of an earlier answer), and never for a request refused before its body is read.
     */
    private void sendContinue(ChannelHandlerContext ctx, Exchange x) {
        if (current != x || x.answered || x.bodyEnded || x.continueSent || x.received > 0
                || !HttpUtil.is100ContinueExpected(x.request)) {
            return;
        }
        x.continueSent = true;
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER));
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        Exchange x = current;
        if (x == null || x.bodyEnded) {
            // Nothing to take: no request under way, or the (empty) last content of a malformed head.
            return;
        }
        boolean last = content instanceof LastHttpContent;
        int bytes = content.content().readableBytes();
        x.received += bytes;
        if (content.decoderResult().isFailure()) {
            // The decoder skips everything after a malformed body (or the connection is closing): this request
            // cannot go on, and the connection is closed after its answer. Reported as the client's doing, with
            // no stack trace, whichever layer reads the body.
            String why;
            if (ctx.channel().isActive()) {
                clientFault(ctx, "malformed HTTP body", content.decoderResult().cause());
                why = "the request body could not be decoded: " + content.decoderResult().cause();
            } else {
                why = "the client closed the connection before the request body ended";
            }
            if (x.pipe != null) {
                x.pipe.fail(new ClientGoneException(why));
            }
            x.malformed = true;
            last = true;
        }
        if (last) {
            x.bodyEnded = true;
        }
        if (x.discarding) {
            x.discarded += bytes;
            if (x.discarded > MAX_DISCARD || (x.bodyEnded && x.responded)) {
                ctx.close();
            }
            return;
        }
        if (x.pipe != null) {
            if (bytes > 0 && !x.pipe.offer(content.content().retain())) {
                exchanges.pauseBody();
            }
            if (x.bodyEnded) {
                x.pipe.finish();
            }
        }
    }

    /** Answers on the event loop once the operation is done. */
    private void respond(ChannelHandlerContext ctx, Exchange x, S3Response response) {
        if (!x.bodyEnded) {
            // Answered early: drop the rest of the body, then close (see MAX_DISCARD).
            x.discarding = true;
        }
        write(ctx, x, response, HttpUtil.isKeepAlive(x.request) && x.bodyEnded && !x.malformed);
    }

    private void write(ChannelHandlerContext ctx, Exchange x, S3Response response, boolean keepAlive) {
        HttpRequest request = x.request;
        x.answered = true;
        stallCheck = null;
        observe(request, response);
        response.headers().set("x-amz-request-id", x.requestId);
        response.headers().set("x-amz-id-2", x.requestId);
        response.headers().set(HttpHeaderNames.SERVER, "Predastore");
        boolean head = HttpMethod.HEAD.equals(request.method());
        ObjectBody body = response.objectBody();
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            // An HTTP/1.0 client asked for keep-alive: it keeps the connection only if told so.
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
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
        last.addListener(f -> {
            x.responded = true;
            pump = null;
            if (!f.isSuccess()) {
                ctx.close();
            } else if (!keepAlive && (!x.discarding || x.bodyEnded)) {
                ctx.close();
            }
        });
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
        Exchange x = current;
        if (x != null && x.pipe != null) {
            x.pipe.fail(new ClientGoneException("the client closed the connection before the request body ended"));
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
        if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
            // The TLS handler closes the connection itself.
            clientFault(ctx, "TLS handshake failed", tls.cause());
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Closes a stalled connection: one that sent nothing while a request or the rest of a body was awaited, or read
     * nothing of a response being sent. Silence while the node works on an answer, or while a slow download
     * progresses, is not a stall.
     */
    private void onIdle(ChannelHandlerContext ctx, IdleState state) {
        Exchange x = current;
        boolean writing = x != null && x.answered && !x.responded;
        if (state == IdleState.READER_IDLE) {
            // Waiting for the client: between requests, or for the rest of a body (also one being dropped).
            boolean waitingForClient = x == null || !x.bodyEnded || (x.answered && x.responded);
            if (waitingForClient) {
                if (x != null && x.pipe != null && !x.bodyEnded) {
                    x.pipe.fail(new ClientGoneException("the client sent nothing for too long"));
                }
                ctx.close();
            }
        } else if (state == IdleState.WRITER_IDLE && writing && outputStalled(ctx)) {
            faults.warn("s3: closing a connection that read nothing of its response for " + idleTimeout.toMillis()
                    + " ms", ctx.channel().remoteAddress(), "request " + x.requestId);
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
        Exchange x = current;
        if (x != null && x.pipe != null && !x.bodyEnded) {
            x.pipe.fail(cause instanceof IOException
                    ? new ClientGoneException("the connection to the client failed: " + cause.getMessage(), cause)
                    : new IOException("connection failed: " + cause.getMessage(), cause));
        }
        if (cause instanceof IOException || !ctx.channel().isActive()) {
            // A reset or broken connection, or a message cut short by the client closing: the client went away,
            // nothing to report.
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (cause instanceof DecoderException) {
            // TLS garbage (e.g. plain HTTP sent to the HTTPS port), or bytes no decoder could make sense of.
            clientFault(ctx, "undecodable bytes", cause);
        } else {
            // Not the client's doing; still one short line, so that a client cannot fill the log by repeating it.
            clientFault(ctx, "unexpected connection error (stack trace at DEBUG)", cause);
            LOG.debug("unexpected error on connection {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** Reports what the client did wrong, once per connection and within the endpoint's log budget. */
    private void clientFault(ChannelHandlerContext ctx, String what, Throwable cause) {
        if (faultReported) {
            return;
        }
        faultReported = true;
        faults.warn("s3: " + what, ctx.channel().remoteAddress(), cause);
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
