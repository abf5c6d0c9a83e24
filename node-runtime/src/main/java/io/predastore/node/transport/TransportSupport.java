package io.predastore.node.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** I/O threads and worker threads shared by everything one transport creates. */
final class TransportSupport implements AutoCloseable {
    final TransportOptions options;
    final boolean epoll;
    final EventLoopGroup group;
    /** Runs blocking store calls for servers. */
    final ExecutorService workers;

    TransportSupport(String name, TransportOptions options) {
        this.options = options;
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = options.eventLoopThreads() == 0 ? 2 * Runtime.getRuntime().availableProcessors()
                : options.eventLoopThreads();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("shard-" + name, true),
                factory);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "shard-" + name + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newCachedThreadPool(tf);
    }

    long requestTimeoutNanos() {
        return options.requestTimeout().toNanos();
    }

    /** Waits for a Netty future within the connect timeout, as an IOException naming {@code what}. */
    <T> T await(Future<T> future, String what) throws IOException {
        try {
            if (!future.await(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                future.cancel(false);
                throw new IOException("timed out after " + options.connectTimeout().toMillis() + " ms: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted: " + what);
        }
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw new IOException(what + ": " + Exchange.describeCause(cause), cause);
        }
        return future.getNow();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
