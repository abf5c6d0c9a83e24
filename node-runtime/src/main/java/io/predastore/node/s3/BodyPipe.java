package io.predastore.node.s3;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands a request body from the event loop to the worker thread that runs the operation, as an
 * {@link InputStream}, without ever holding much more than a bounded number of bytes: {@link #offer} says when the
 * buffered bytes reach the high-water mark, so that the connection stops reading, and once the worker has drained
 * them below the low-water mark the pipe tells its {@link Demand} on the event loop. The pipe never touches the
 * channel itself: reading from the socket has a single owner. Netty's buffers are released as soon as they are
 * copied out, or when the pipe is closed.
 *
 * <p>Written by the event loop ({@link #offer}, {@link #finish}, {@link #fail}), read by one worker thread.
 */
final class BodyPipe extends InputStream {
    static final int HIGH_WATER = 1 << 20;
    static final int LOW_WATER = 256 << 10;

    /** What the pipe tells the connection; called on the event loop. */
    interface Demand {
        /** After {@link #offer} said the pipe was full, the reader drained it below the low-water mark or closed it. */
        void drained();

        /** The reader asked for body bytes for the first time and none had arrived: time for 100 Continue. */
        void wanted();
    }

    private final Executor eventLoop;
    private final Demand demand;
    private final ArrayDeque<ByteBuf> buffers = new ArrayDeque<>();
    private long buffered;
    private boolean finished;
    private boolean closed;
    private IOException failure;
    private boolean full;
    private boolean asked;

    BodyPipe(Executor eventLoop, Demand demand) {
        this.eventLoop = eventLoop;
        this.demand = demand;
    }

    /**
     * Called on the event loop with a retained buffer that the pipe now owns.
     *
     * @return false once the pipe holds {@link #HIGH_WATER} bytes or more: stop reading until {@link Demand#drained}
     */
    synchronized boolean offer(ByteBuf buf) {
        if (closed || finished || !buf.isReadable()) {
            buf.release();
            return !full || closed;
        }
        buffers.add(buf);
        buffered += buf.readableBytes();
        if (buffered >= HIGH_WATER) {
            full = true;
        }
        notifyAll();
        return !full;
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
        boolean ask;
        synchronized (this) {
            ask = !asked && buffers.isEmpty() && !finished && !closed && failure == null;
            asked = true;
        }
        if (ask) {
            signal(demand::wanted);
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
            if (full && buffered <= LOW_WATER) {
                full = false;
                resume = true;
            }
        }
        if (resume) {
            signal(demand::drained);
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
            resume = full;
            full = false;
            notifyAll();
        }
        if (resume) {
            signal(demand::drained);
        }
    }

    private void signal(Runnable call) {
        try {
            eventLoop.execute(call);
        } catch (RejectedExecutionException e) {
            // The event loop is shutting down with the server; nobody waits for the signal any more.
        }
    }
}
