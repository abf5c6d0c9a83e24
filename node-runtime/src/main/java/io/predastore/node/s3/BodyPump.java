package io.predastore.node.s3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.predastore.node.store.ObjectBody;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a streamed object body from a worker thread: reads a chunk, writes it, and waits while the socket is not
 * writable, so a slow client holds back the reads (and the shard streams behind them) instead of filling memory.
 * The headers, with Content-Length, are already sent: a failure mid-way closes the connection, which the client
 * sees as a truncated body. Completes {@code done} when the last byte is flushed (or the connection is gone).
 */
final class BodyPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(BodyPump.class);
    private static final long WRITABILITY_WAIT_MILLIS = 1000;

    private final ChannelHandlerContext ctx;
    private final ObjectBody body;
    private final ChannelPromise done;
    private final int chunk;
    private final Object writable = new Object();

    BodyPump(ChannelHandlerContext ctx, ObjectBody body, ChannelPromise done, int chunk) {
        this.ctx = ctx;
        this.body = body;
        this.done = done;
        this.chunk = chunk;
    }

    /** Called on the event loop when the channel's writability changes or it closes. */
    void writabilityChanged() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    @Override
    public void run() {
        long remaining = body.length();
        try (InputStream in = remaining > 0 ? body.openStream() : InputStream.nullInputStream()) {
            while (remaining > 0) {
                if (!awaitWritable()) {
                    S3ChannelHandler.closeQuietly(body);
                    done.trySuccess();
                    return;
                }
                int n = (int) Math.min(chunk, remaining);
                ByteBuf buf = ctx.alloc().heapBuffer(n);
                try {
                    int read = buf.writeBytes(in, n);
                    if (read < 0) {
                        throw new IOException("the object body ended " + remaining + " bytes early");
                    }
                    remaining -= read;
                    if (remaining == 0) {
                        // The last bytes go out with the end of the response, as one write: once the client has
                        // every byte it may send its next request, whose answer must not overtake this end.
                        finish(new DefaultLastHttpContent(buf.retain()));
                        return;
                    }
                    ctx.writeAndFlush(buf.retain());
                } finally {
                    buf.release();
                }
            }
            finish(LastHttpContent.EMPTY_LAST_CONTENT);
        } catch (IOException | RuntimeException e) {
            LOG.warn("sending an object body to {} failed after {} of {} bytes; closing the connection: {}",
                    ctx.channel().remoteAddress(), body.length() - remaining, body.length(), e.toString());
            S3ChannelHandler.closeQuietly(body);
            ctx.close();
            done.trySuccess();
        }
    }

    private void finish(LastHttpContent last) {
        ctx.writeAndFlush(last).addListener(f -> {
            S3ChannelHandler.closeQuietly(body);
            if (!f.isSuccess()) {
                ctx.close();
            }
            done.trySuccess();
        });
    }

    /** Waits until the channel can take more; false if it closed. */
    private boolean awaitWritable() throws IOException {
        synchronized (writable) {
            while (ctx.channel().isActive() && !ctx.channel().isWritable()) {
                try {
                    writable.wait(WRITABILITY_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while sending", e);
                }
            }
        }
        return ctx.channel().isActive();
    }
}
