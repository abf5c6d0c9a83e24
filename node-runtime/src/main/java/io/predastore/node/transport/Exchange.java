package io.predastore.node.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.predastore.protocol.shard.ShardFrame;
import io.predastore.protocol.shard.ShardFrameCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client end of one channel (a TLS/TCP connection or a QUIC stream): a blocking view for the calling thread.
 * Inbound frames queue here; when more than {@link #HIGH_WATER} bytes of data wait, auto-read is switched off so
 * the peer is slowed by TCP / QUIC flow control, and back on below {@link #LOW_WATER}. Writes wait while the
 * channel is not writable. Every wait is bounded by the request timeout.
 */
final class Exchange extends ChannelInboundHandlerAdapter {
    static final int HIGH_WATER = 4 << 20;
    static final int LOW_WATER = 1 << 20;

    private final Channel channel;
    private final InetSocketAddress peer;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ShardFrame> inbound = new ArrayDeque<>();
    private long bufferedBytes;
    private boolean closed;
    private Throwable failure;

    Exchange(Channel channel, InetSocketAddress peer, long timeoutNanos) {
        this.channel = channel;
        this.peer = peer;
        this.timeoutNanos = timeoutNanos;
    }

    Channel channel() {
        return channel;
    }

    boolean isUsable() {
        lock.lock();
        try {
            return !closed && failure == null && inbound.isEmpty() && channel.isActive();
        } finally {
            lock.unlock();
        }
    }

    // ---- event loop side ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ShardFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lock.lock();
        try {
            if (closed) {
                ReferenceCountUtil.release(frame);
                return;
            }
            inbound.add(frame);
            bufferedBytes += dataLength(frame);
            if (bufferedBytes > HIGH_WATER) {
                ctx.channel().config().setAutoRead(false);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        markClosed(null);
        super.channelInactive(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        signal();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            markClosed(e.cause());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        markClosed(cause);
        ctx.close();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records that the channel is gone (with the cause if known) and wakes the caller. */
    void markClosed(Throwable cause) {
        lock.lock();
        try {
            if (cause != null && failure == null) {
                failure = cause;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- caller side ----

    /** Writes a control frame (and flushes). */
    void send(ShardFrame frame) throws IOException {
        checkOpen();
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    /** Writes a data frame once the channel accepts more bytes. Takes ownership of the frame. */
    void sendWhenWritable(ShardFrame frame) throws IOException {
        try {
            awaitWritable();
        } catch (IOException | RuntimeException e) {
            ReferenceCountUtil.release(frame);
            throw e;
        }
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void awaitWritable() throws IOException {
        if (channel.isWritable()) {
            checkOpen();
            return;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (!channel.isWritable()) {
                throwIfClosed();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timeout("the peer to accept more data");
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            throwIfClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing to " + Errors.describe(peer));
        } finally {
            lock.unlock();
        }
    }

    /** The next frame if one has arrived, else null; fails if the channel is gone. */
    ShardFrame poll() throws IOException {
        lock.lock();
        try {
            ShardFrame f = inbound.poll();
            if (f != null) {
                afterTake(f);
                return f;
            }
            throwIfClosed();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the next frame. */
    ShardFrame take() throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (true) {
                ShardFrame f = inbound.poll();
                if (f != null) {
                    afterTake(f);
                    return f;
                }
                throwIfClosed();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timeout("a reply");
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + Errors.describe(peer));
        } finally {
            lock.unlock();
        }
    }

    private void afterTake(ShardFrame f) {
        long len = dataLength(f);
        if (len == 0) {
            return;
        }
        bufferedBytes -= len;
        if (bufferedBytes < LOW_WATER && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    /** Closes the channel and drops whatever is queued. */
    void discard() {
        lock.lock();
        try {
            closed = true;
            ShardFrame f;
            while ((f = inbound.poll()) != null) {
                ReferenceCountUtil.release(f);
            }
            bufferedBytes = 0;
        } finally {
            lock.unlock();
        }
        channel.close();
    }

    private void checkOpen() throws IOException {
        lock.lock();
        try {
            throwIfClosed();
        } finally {
            lock.unlock();
        }
    }

    private void throwIfClosed() throws IOException {
        if (failure != null) {
            throw failed(failure);
        }
        if (closed || !channel.isActive()) {
            throw new IOException(Errors.describe(peer) + " closed the connection");
        }
    }

    private IOException failed(Throwable cause) {
        return new IOException(Errors.describe(peer) + ": " + describeCause(cause), cause);
    }

    static String describeCause(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof CertificateException && c.getMessage() != null) {
                // The cluster trust's refusal says which node the certificate names; the TLS stack's wrapper of it
                // says only that the handshake failed.
                return "certificate refused: " + c.getMessage();
            }
        }
        Throwable t = cause;
        while (t.getCause() != null && (t instanceof io.netty.handler.codec.DecoderException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private IOException timeout(String what) {
        return new IOException("timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms waiting for " + what + " from " + Errors.describe(peer));
    }

    /** Data bytes held by a frame (0 for control frames). */
    static int dataLength(ShardFrame f) {
        var body = ShardFrameCodec.body(f);
        return body == null ? 0 : body.readableBytes();
    }
}
