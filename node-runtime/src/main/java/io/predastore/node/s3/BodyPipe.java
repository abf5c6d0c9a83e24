package io.predastore.node.s3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * Hands a request body from the event loop to the worker thread that runs the operation, as an
 * {@link InputStream}, without ever holding more than a bounded number of bytes: when the buffered bytes pass
 * the high-water mark, reading from the socket stops ({@code autoRead = false}) until the worker has drained
 * them below the low-water mark. Netty's buffers are released as soon as they are copied out, or when the
 * pipe is closed.
 *
 * <p>Written by the event loop ({@link #offer}, {@link #finish}, {@link #fail}), read by one worker thread.
 */
final class BodyPipe extends InputStream {
    static final int HIGH_WATER = 1 << 20;
    static final int LOW_WATER = 256 << 10;

    private final Channel channel;
    private final ArrayDeque<ByteBuf> buffers = new ArrayDeque<>();
    private long buffered;
    private boolean finished;
    private boolean closed;
    private IOException failure;
    private boolean paused;

    BodyPipe(Channel channel) {
        this.channel = channel;
    }

    /** Called on the event loop with a retained buffer that the pipe now owns. */
    void offer(ByteBuf buf) {
        synchronized (this) {
            if (closed || finished) {
                buf.release();
                return;
            }
            if (!buf.isReadable()) {
                buf.release();
                return;
            }
            buffers.add(buf);
            buffered += buf.readableBytes();
            if (buffered >= HIGH_WATER && !paused) {
                paused = true;
                channel.config().setAutoRead(false);
            }
            notifyAll();
        }
    }

    /** Called on the event loop when the last content has arrived. */
    synchronized void finish() {
        finished = true;
        notifyAll();
    }

    /** Called when the connection failed or closed before the body ended. */
    synchronized void fail(IOException cause) {
        if (!finished && failure == null) {
            failure = cause;
        }
        notifyAll();
    }

    /** Whether the whole body has been received. */
    synchronized boolean isFinished() {
        return finished;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        boolean resume = false;
        int n;
        synchronized (this) {
            while (buffers.isEmpty()) {
                if (closed) {
                    throw new IOException("body stream closed");
                }
                if (failure != null) {
                    throw failure;
                }
                if (finished) {
                    return -1;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            ByteBuf head = buffers.peek();
            n = Math.min(len, head.readableBytes());
            head.readBytes(dst, off, n);
            if (!head.isReadable()) {
                buffers.poll().release();
            }
            buffered -= n;
            if (paused && buffered <= LOW_WATER) {
                paused = false;
                resume = true;
            }
        }
        if (resume) {
            channel.eventLoop().execute(() -> {
                channel.config().setAutoRead(true);
                channel.read();
            });
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, buffered);
    }

    /** Releases whatever is buffered; later content is dropped. */
    @Override
    public void close() {
        boolean resume;
        synchronized (this) {
            closed = true;
            ByteBuf b;
            while ((b = buffers.poll()) != null) {
                b.release();
            }
            buffered = 0;
            resume = paused;
            paused = false;
            notifyAll();
        }
        if (resume) {
            channel.eventLoop().execute(() -> {
                channel.config().setAutoRead(true);
                channel.read();
            });
        }
    }
}
