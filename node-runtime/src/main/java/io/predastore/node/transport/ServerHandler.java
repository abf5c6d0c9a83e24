package io.predastore.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.shard.ShardAccessDeniedException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.shard.ShardWriter;
import io.predastore.protocol.shard.ShardFrame;
import io.predastore.protocol.shard.ShardOp;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests arriving on one channel (a TLS/TCP connection carrying requests one after another, or a
 * QUIC stream carrying exactly one). Store calls block, so they run on a worker thread, in arrival order; the
 * event loop only queues them. Upload bytes waiting for the store are bounded: above {@link Exchange#HIGH_WATER}
 * auto-read is switched off until the store has caught up. GET replies are written by the worker, which waits
 * while the channel is not writable.
 *
 * <p>Every request that names a shard is first put to the server's {@link ShardAccess} with the node the peer's
 * certificate names (read once per channel from its TLS session: the connection's for TLS/TCP, the QUIC
 * connection's for a stream). A refusal is answered FORBIDDEN and logged through the {@link RefusalLog}.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);
    private static final int READ_CHUNK = 256 * 1024;

    private final ShardStore store;
    private final ShardAccess access;
    private final RefusalLog refusals;
    private final SerialExecutor worker;
    private final long writeTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private Channel channel;
    private volatile boolean inactive;
    private long queuedBytes; // guarded by lock

    // Upload state, touched only by the worker.
    private ShardWriter writer;
    private ShardId writerId;
    private long writerRequestId;
    private boolean uploadFailed;
    /** The node the peer's certificate names, once read; 0 if it names none. Touched only by the worker. */
    private int peerNode = -1;

    ServerHandler(ShardStore store, ShardAccess access, RefusalLog refusals, Executor workers,
            long writeTimeoutNanos) {
        this.store = store;
        this.access = access;
        this.refusals = refusals;
        this.worker = new SerialExecutor(workers);
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ShardFrame frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int n = Exchange.dataLength(frame);
        if (n > 0) {
            lock.lock();
            try {
                queuedBytes += n;
                if (queuedBytes > Exchange.HIGH_WATER) {
                    ctx.channel().config().setAutoRead(false);
                }
            } finally {
                lock.unlock();
            }
        }
        worker.execute(() -> {
            try {
                handle(frame);
            } catch (RuntimeException e) {
                LOG.warn("shard request {} from {} failed", frame.op(), channel.remoteAddress(), e);
                channel.close();
            } finally {
                if (n > 0) {
                    drained(n);
                }
            }
        });
    }

    private void drained(int n) {
        lock.lock();
        try {
            queuedBytes -= n;
            if (queuedBytes < Exchange.LOW_WATER && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client finished its side of a QUIC stream. It only does that by closing the stream once it has its
     * answer, or to abandon the request (e.g. an aborted upload): either way nothing more is owed to it.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        signal();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        inactive = true;
        signal();
        worker.execute(this::abortUpload);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("dropping shard channel from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void signal() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- worker side ----

    private void handle(ShardFrame frame) {
        if (inactive) {
            ReferenceCountUtil.release(frame);
            return;
        }
        long rid = frame.requestId();
        if (frame instanceof ShardFrame.PutShardData data) {
            try {
                if (writer != null && !uploadFailed && rid == writerRequestId) {
                    writeAll(writer, data.data());
                } else if (!uploadFailed) {
                    failUpload(rid, new IllegalStateException("PUT_SHARD_DATA without PUT_SHARD_BEGIN"));
                }
            } catch (IOException | RuntimeException e) {
                failUpload(rid, e);
            } finally {
                data.release();
            }
            return;
        }
        if (frame instanceof ShardFrame.PutShardBegin begin) {
            abortUpload();
            uploadFailed = false;
            writerRequestId = rid;
            try {
                writerId = new ShardId(begin.objectId(), begin.index());
                authorize(ShardOp.PUT_SHARD_BEGIN, writerId, begin.warrant());
                writer = store.create(writerId);
            } catch (IOException | RuntimeException e) {
                failUpload(rid, e);
            }
            return;
        }
        if (frame instanceof ShardFrame.PutShardEnd) {
            if (uploadFailed) {
                // The ERROR was sent when the upload failed; that ended the request.
                uploadFailed = false;
                return;
            }
            if (writer == null || rid != writerRequestId) {
                replyFinal(Errors.toFrame(rid, new IllegalStateException("PUT_SHARD_END without PUT_SHARD_BEGIN")));
                return;
            }
            ShardWriter w = writer;
            writer = null;
            try {
                ShardInfo info = w.commit();
                replyFinal(new ShardFrame.Ok(rid, true, info.length(), info.crc32c()));
            } catch (IOException | RuntimeException e) {
                w.abort();
                replyFinal(Errors.toFrame(rid, e));
            }
            return;
        }
        try {
            if (frame instanceof ShardFrame.GetShard get) {
                authorize(ShardOp.GET_SHARD, new ShardId(get.objectId(), get.index()), get.warrant());
                serveGet(get);
            } else if (frame instanceof ShardFrame.StatShard stat) {
                ShardId id = new ShardId(stat.objectId(), stat.index());
                authorize(ShardOp.STAT_SHARD, id, stat.warrant());
                Optional<ShardInfo> info = store.stat(id);
                replyFinal(info.map(i -> new ShardFrame.Ok(rid, true, i.length(), i.crc32c()))
                        .orElse(ShardFrame.Ok.empty(rid)));
            } else if (frame instanceof ShardFrame.StatShards batch) {
                // Checked once for the batch (the policy decides from the peer alone; see ShardAccess).
                ShardFrame.ShardRef first = batch.shards().get(0);
                authorize(ShardOp.STAT_SHARDS, new ShardId(first.objectId(), first.index()), batch.warrant());
                java.util.List<ShardFrame.ShardStat> stats = new java.util.ArrayList<>(batch.shards().size());
                for (ShardFrame.ShardRef ref : batch.shards()) {
                    Optional<ShardInfo> info = store.stat(new ShardId(ref.objectId(), ref.index()));
                    stats.add(info.map(i -> new ShardFrame.ShardStat(true, i.length(), i.crc32c()))
                            .orElse(ShardFrame.ShardStat.ABSENT));
                }
                replyFinal(new ShardFrame.ShardStats(rid, stats));
            } else if (frame instanceof ShardFrame.DeleteShard delete) {
                ShardId id = new ShardId(delete.objectId(), delete.index());
                authorize(ShardOp.DELETE_SHARD, id, delete.warrant());
                boolean found = store.delete(id);
                replyFinal(new ShardFrame.Ok(rid, found, 0, 0));
            } else if (frame instanceof ShardFrame.Ping) {
                // Every ping says whether this node takes new shards, so that gateways stop sending them early.
                replyFinal(new ShardFrame.Ok(rid, store.belowReserve(), 0, 0));
            } else {
                ReferenceCountUtil.release(frame);
                replyFinal(Errors.toFrame(rid, new IllegalArgumentException("unexpected " + frame.op())));
            }
        } catch (IOException | RuntimeException e) {
            replyFinal(Errors.toFrame(rid, e));
        }
    }

    /** Puts the request to the access policy; a refusal is logged (bounded) and thrown to be answered FORBIDDEN. */
    private void authorize(ShardOp op, ShardId id, ShardWarrant warrant) throws IOException {
        if (access == ShardAccess.UNCHECKED) {
            return;
        }
        int peer = peerNode();
        try {
            if (peer == 0) {
                throw ShardAccess.Refusal.NO_IDENTITY.deny("from " + channel.remoteAddress());
            }
            access.check(peer, op, id, warrant);
        } catch (ShardAccessDeniedException e) {
            ShardAccess.Refusal cause = ShardAccess.Refusal.NOT_IN_RECORD; // for a policy's own reasons
            for (ShardAccess.Refusal r : ShardAccess.Refusal.values()) {
                if (r.name().equals(e.reason())) {
                    cause = r;
                }
            }
            refusals.refused(peer, cause, op + " of shard " + id.index() + " of " + id.objectId() + " with "
                    + warrant);
            throw e;
        }
    }

    /** The node the peer's certificate names, read once from the channel's TLS session; 0 if none. */
    private int peerNode() {
        if (peerNode < 0) {
            peerNode = readPeerNode(channel);
        }
        return peerNode;
    }

    static int readPeerNode(Channel channel) {
        try {
            javax.net.ssl.SSLEngine engine;
            if (channel instanceof QuicStreamChannel stream) {
                QuicChannel quic = stream.parent();
                engine = quic == null ? null : quic.sslEngine();
            } else {
                SslHandler tls = channel.pipeline().get(SslHandler.class);
                engine = tls == null ? null : tls.engine();
            }
            if (engine == null) {
                return 0;
            }
            Certificate[] chain = engine.getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return 0;
            }
            return NodeIdentity.of(leaf).map(NodeIdentity::nodeId).orElse(0);
        } catch (javax.net.ssl.SSLPeerUnverifiedException | java.security.cert.CertificateParsingException e) {
            return 0;
        }
    }

    private static void writeAll(ShardWriter w, ByteBuf data) throws IOException {
        if (data.nioBufferCount() == 1) {
            w.write(data.nioBuffer());
        } else {
            for (ByteBuffer b : data.nioBuffers()) {
                w.write(b);
            }
        }
    }

    private void failUpload(long rid, Exception e) {
        uploadFailed = true;
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        // The client stops at the next write; frames still in flight for this upload are dropped until its END.
        reply(Errors.toFrame(rid, e));
    }

    private void abortUpload() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
    }

    private void serveGet(ShardFrame.GetShard get) throws IOException {
        long rid = get.requestId();
        long remaining = get.length();
        try (InputStream in = store.open(new ShardId(get.objectId(), get.index()), get.offset(), get.length())) {
            boolean sentLast = false;
            while (!sentLast) {
                int want = (int) Math.min(READ_CHUNK, remaining);
                ByteBuf chunk = channel.alloc().directBuffer(Math.max(want, 1));
                boolean eof = false;
                try {
                    while (chunk.readableBytes() < want) {
                        int n = chunk.writeBytes(in, want - chunk.readableBytes());
                        if (n < 0) {
                            eof = true;
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    chunk.release();
                    throw e;
                }
                remaining -= chunk.readableBytes();
                sentLast = eof || remaining == 0;
                awaitWritable(chunk);
                channel.writeAndFlush(new ShardFrame.GetShardData(rid, sentLast, chunk));
            }
        } catch (IOException | RuntimeException e) {
            if (inactive) {
                return;
            }
            // Also after some data: the client reads the ERROR in place of the next chunk.
            replyFinal(Errors.toFrame(rid, e));
            return;
        }
        endOfRequest();
    }

    private void awaitWritable(ByteBuf pending) throws IOException {
        long deadline = System.nanoTime() + writeTimeoutNanos;
        lock.lock();
        try {
            while (!channel.isWritable()) {
                if (inactive) {
                    pending.release();
                    throw new IOException("channel closed");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    pending.release();
                    channel.close();
                    throw new IOException("peer stopped reading");
                }
                writable.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            pending.release();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            lock.unlock();
        }
    }

    private void reply(ShardFrame frame) {
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Sends the last frame of a request. */
    private void replyFinal(ShardFrame frame) {
        reply(frame);
        endOfRequest();
    }

    /**
     * A QUIC stream carries one request: once everything written has been flushed, finish the stream (FIN).
     * Shutting the output down before the last write is flushed would lose it.
     */
    private void endOfRequest() {
        if (channel instanceof QuicStreamChannel stream) {
            stream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (f.isSuccess()) {
                    stream.shutdownOutput();
                }
            });
        }
    }

    /** Runs tasks one at a time, in order, on a shared pool. */
    static final class SerialExecutor implements Executor {
        private final java.util.Queue<Runnable> tasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicBoolean running =
                new java.util.concurrent.atomic.AtomicBoolean();
        private final Executor pool;

        SerialExecutor(Executor pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
            schedule();
        }

        private void schedule() {
            if (running.compareAndSet(false, true)) {
                try {
                    pool.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // The transport is closing; its channels are being closed too.
                    running.set(false);
                    tasks.clear();
                }
            }
        }

        private void drain() {
            try {
                Runnable r;
                while ((r = tasks.poll()) != null) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        LOG.warn("shard server task failed", e);
                    }
                }
            } finally {
                running.set(false);
                if (!tasks.isEmpty()) {
                    schedule();
                }
            }
        }
    }
}
