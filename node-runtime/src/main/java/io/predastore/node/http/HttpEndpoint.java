package io.predastore.node.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A listening HTTP socket on Netty (epoll where available) with its event loops and a bounded pool of daemon
 * worker threads for request handling that may block. The caller supplies each connection's pipeline. Start once,
 * close once; thread-safe to close.
 */
public final class HttpEndpoint implements AutoCloseable {
    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;

    private HttpEndpoint(EventLoopGroup group, ThreadPoolExecutor workers, Channel channel) {
        this.group = group;
        this.workers = workers;
        this.channel = channel;
    }

    /** How to run an endpoint: thread names, event-loop threads, worker bounds and the accept backlog. */
    public record Settings(String name, int ioThreads, int coreWorkers, int maxWorkers, int backlog) {
    }

    /** The per-connection pipeline, given the worker pool the handlers should run blocking work on. */
    @FunctionalInterface
    public interface PipelineFactory {
        void initChannel(SocketChannel channel, ExecutorService workers);
    }

    /**
     * Binds and starts accepting connections.
     *
     * @throws IOException if the address cannot be bound (e.g. the port is in use)
     * @throws InterruptedException if interrupted while binding
     */
    public static HttpEndpoint start(Settings settings, String bindAddress, int port, PipelineFactory pipeline)
            throws IOException, InterruptedException {
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
                            pipeline.initChannel(ch, workers);
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(bindAddress, port)).sync().channel();
            return new HttpEndpoint(group, workers, ch);
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
