package io.predastore.node.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.Credentials;
import io.predastore.node.auth.SigV4Verifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP endpoint: JSON about this node and the cluster for the desktop app, Prometheus metrics, and the
 * metadata REST API (see docs/admin-api.md). Every request must be signed with AWS SigV4 by the admin credential.
 * Bodies are small and aggregated (at most {@value #MAX_BODY} bytes); requests run on a small pool of worker
 * threads because the metadata store may block on consensus. Start once, close once.
 */
public final class AdminServer implements AutoCloseable {
    /** The largest request body accepted; larger ones are answered 413. */
    public static final int MAX_BODY = 1 << 20;
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_SIZE = 32 * 1024;
    private static final int IDLE_SECONDS = 120;
    private static final int IO_THREADS = 1;
    private static final int MAX_WORKERS = 16;

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds and starts serving, accepting requests signed by {@code admin} for {@code region}.
     *
     * @param bindAddress the address to listen on, e.g. {@code 0.0.0.0}
     * @param port the port, or 0 for any free port (see {@link #port()})
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, Credentials admin, String region, String bindAddress,
            int port) throws IOException, InterruptedException {
        return start(sources, new SigV4Verifier(CredentialStore.of(admin), region, Clock.systemUTC()), bindAddress,
                port);
    }

    /**
     * Binds and starts serving, authenticating every request with {@code verifier}.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, SigV4Verifier verifier, String bindAddress, int port)
            throws IOException, InterruptedException {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The admin port must be 0 to 65535, not " + port);
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(IO_THREADS, io);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(1, MAX_WORKERS, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "admin-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        AdminRoutes routes = new AdminRoutes(sources, verifier);
        try {
            Class<? extends ServerChannel> channelType =
                    epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0));
                            p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 64 * 1024));
                            p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY));
                            p.addLast("admin", new AdminChannelHandler(routes, workers));
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
            return new AdminServer(group, workers, ch);
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

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting, lets running requests finish for a moment, then stops the event loop. */
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
