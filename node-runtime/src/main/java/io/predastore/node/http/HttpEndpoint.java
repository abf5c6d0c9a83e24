package io.predastore.node.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.predastore.node.faultlog.ClientFaultLog;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * A listening HTTP/1.1 socket on Netty (epoll where available) with its event loops and a bounded pool of daemon
 * worker threads for request handling that may block. Every connection gets the same front: TLS if configured (with
 * a handshake deadline), idle timeouts, the HTTP codec, the {@link RequestHeadDeadline request-head deadline} and an
 * {@link ExchangeGate} that serves pipelined requests one at a time, in order; the caller adds the handlers that
 * answer. A connection beyond {@link ConnectionLimits#maxConnections()} is refused as soon as it is accepted, before
 * anything is read from it. Start once, close once; thread-safe to close.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;
    private final AtomicInteger open;

    private HttpEndpoint(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel, AtomicInteger open) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
        this.open = open;
    }

    /**
     * How to run an endpoint.
     *
     * @param name names threads and log lines, e.g. {@code s3}
     * @param ioThreads event-loop threads
     * @param coreWorkers worker threads kept when idle
     * @param maxWorkers worker threads at most (requests answered at once)
     * @param backlog the accept backlog
     * @param limits connections open at once and the request-head deadline
     * @param framing the largest request line, header block and content chunk the decoder accepts
     * @param readerIdle how long a connection may send nothing before the handlers are told; zero for never
     * @param writerIdle how long nothing may be written before the handlers are told; zero for never
     */
    public record Settings(String name, int ioThreads, int coreWorkers, int maxWorkers, int backlog,
            ConnectionLimits limits, Framing framing, Duration readerIdle, Duration writerIdle) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(framing, "framing");
            Objects.requireNonNull(readerIdle, "readerIdle");
            Objects.requireNonNull(writerIdle, "writerIdle");
            if (ioThreads < 1 || coreWorkers < 0 || maxWorkers < 1 || coreWorkers > maxWorkers || backlog < 1) {
                throw new IllegalArgumentException("bad thread or backlog settings for " + name + ": io " + ioThreads
                        + ", workers " + coreWorkers + ".." + maxWorkers + ", backlog " + backlog);
            }
        }
    }

    /** The largest request line, header block and content chunk the HTTP decoder accepts. */
    public record Framing(int maxInitialLine, int maxHeaderSize, int maxChunk) {
        public Framing {
            if (maxInitialLine < 64 || maxHeaderSize < 64 || maxChunk < 64) {
                throw new IllegalArgumentException("HTTP framing limits must be at least 64 bytes, got " + maxInitialLine
                        + ", " + maxHeaderSize + ", " + maxChunk);
            }
        }
    }

    /**
     * What the handlers of one connection are given.
     *
     * @param workers the pool to run blocking work on
     * @param exchanges the connection's gate, which owns reading from the socket
     * @param faults where to report what the client did wrong (one short line, rate bounded)
     */
    public record Context(ExecutorService workers, ExchangeGate exchanges, ClientFaultLog faults) {
    }

    /** Adds the handlers that answer requests after the shared front (see the class comment). */
    @FunctionalInterface
    public interface PipelineFactory {
        void initChannel(SocketChannel channel, Context context);
    }

    /**
     * Binds and starts accepting connections.
     *
     * @param ssl the TLS context, or null for plain HTTP
     * @param refusal the answer written, unread, to a plain-HTTP connection over the limit before it is closed (a TLS
     *     connection over the limit is reset, as an answer would cost a handshake)
     * @throws IOException if the address cannot be bound (e.g. the port is in use)
     * @throws InterruptedException if interrupted while binding
     */
    public static HttpEndpoint start(Settings settings, String bindAddress, int port, SslContext ssl,
            Supplier<FullHttpResponse> refusal, PipelineFactory pipeline) throws IOException, InterruptedException {
        Objects.requireNonNull(refusal, "refusal");
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), io);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(settings.coreWorkers(), settings.maxWorkers(), 60,
                TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, settings.name() + "-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ClientFaultLog faults = ClientFaultLog.of(LoggerFactory.getLogger(HttpEndpoint.class));
        AtomicInteger open = new AtomicInteger();
        try {
            Class<? extends ServerChannel> channelType =
                    epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, settings.backlog())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (open.incrementAndGet() > settings.limits().maxConnections()) {
                                open.decrementAndGet();
                                refuse(ch, settings, ssl == null ? refusal : null, faults);
                                return;
                            }
                            ch.closeFuture().addListener(f -> open.decrementAndGet());
                            front(ch, settings, ssl, faults);
                            pipeline.initChannel(ch, new Context(workers, ch.pipeline().get(ExchangeGate.class),
                                    faults));
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
            return new HttpEndpoint(group, workers, ch, open);
        } catch (Exception e) {
            // bind() reports a BindException even though sync() does not declare it
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownNow();
            if (e instanceof IOException ioe) {
                throw ioe;
            }
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw (RuntimeException) e;
        }
    }

    /** The handlers every connection starts with, up to and including its exchange gate. */
    private static void front(SocketChannel ch, Settings settings, SslContext ssl, ClientFaultLog faults) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(settings.limits().handshakeTimeout().toMillis());
            p.addLast("tls", tls);
        }
        if (!settings.readerIdle().isZero() || !settings.writerIdle().isZero()) {
            p.addLast("idle", new IdleStateHandler(settings.readerIdle().toMillis(), settings.writerIdle().toMillis(),
                    0, TimeUnit.MILLISECONDS));
        }
        RequestHeadDeadline deadline = new RequestHeadDeadline(settings.limits().headerTimeout(), faults,
                settings.name());
        p.addLast("head-bytes", deadline.bytes());
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.framing().maxInitialLine())
                .setMaxHeaderSize(settings.framing().maxHeaderSize())
                .setMaxChunkSize(settings.framing().maxChunk())));
        p.addLast("head-end", deadline.messages());
        p.addLast("exchanges", new ExchangeGate());
    }

    /**
     * Turns a connection over the limit away without reading from it: the fixed answer then close, or a reset
     * when there is no answer to give (TLS).
     */
    private static void refuse(SocketChannel ch, Settings settings, Supplier<FullHttpResponse> refusal,
            ClientFaultLog faults) {
        ch.config().setAutoRead(false);
        faults.warn(settings.name() + ": refusing a connection, " + settings.limits().maxConnections()
                + " are open already", ch.remoteAddress(), refusal == null ? "reset" : "answered 503 and closed");
        if (refusal != null) {
            ch.pipeline().addLast("encoder", new HttpResponseEncoder());
        }
        ch.pipeline().addLast("refusal", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                if (refusal == null) {
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.close();
                    return;
                }
                FullHttpResponse answer = refusal.get();
                answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                HttpUtil.setContentLength(answer, answer.content().readableBytes());
                ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The event loops serving the connections, for metrics; they belong to this endpoint, which shuts them down. */
    public Iterable<EventExecutor> eventLoops() {
        return group;
    }

    /** Connections open now (accepted, not refused, not yet closed). */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting, lets running requests finish for up to 5 s, then stops the event loops. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
