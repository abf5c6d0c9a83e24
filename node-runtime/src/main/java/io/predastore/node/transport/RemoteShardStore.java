package io.predastore.node.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardWriter;
import io.predastore.protocol.shard.ShardFrame;
import io.predastore.protocol.shard.ShardFrameCodec;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request logic of a {@link ShardClient}, independent of how an {@link Exchange} (a channel that carries one
 * request at a time) is obtained: a pooled TLS/TCP connection or a fresh QUIC stream.
 */
abstract class RemoteShardStore implements ShardClient {
    /** Uploads are sent in frames of this size, whatever the caller's buffer sizes. */
    static final int CHUNK = ShardFrameCodec.MAX_BODY_LENGTH;

    private final InetSocketAddress peer;
    private final AtomicLong requestIds = new AtomicLong();
    /** What the peer's last ping reply said about its free space. */
    private volatile boolean peerBelowReserve;

    RemoteShardStore(InetSocketAddress peer) {
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    /** A channel ready for one request. */
    abstract Exchange acquire() throws IOException;

    /** Gives the channel back: reusable if its request finished cleanly, else it is closed. */
    abstract void release(Exchange exchange, boolean reusable);

    @Override
    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public boolean belowReserve() {
        return peerBelowReserve;
    }

    private long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** Sends one control request and waits for its OK (or throws the mapped ERROR). */
    private ShardFrame.Ok call(ShardFrame request, ShardId id) throws IOException {
        Exchange ex = acquire();
        boolean clean = false;
        try {
            ex.send(request);
            ShardFrame reply = ex.take();
            clean = true;
            return expectOk(reply, request.requestId(), id);
        } finally {
            release(ex, clean);
        }
    }

    private ShardFrame.Ok expectOk(ShardFrame reply, long requestId, ShardId id) throws IOException {
        try {
            if (reply.requestId() != requestId) {
                throw new IOException(Errors.describe(peer) + " answered request " + reply.requestId()
                        + " instead of " + requestId);
            }
            if (reply instanceof ShardFrame.Ok ok) {
                return ok;
            }
            if (reply instanceof ShardFrame.Error error) {
                throw Errors.toException(error, id, peer);
            }
            throw new IOException(Errors.describe(peer) + " sent " + reply.op() + " where OK was expected");
        } finally {
            ReferenceCountUtil.release(reply);
        }
    }

    @Override
    public Optional<ShardInfo> stat(ShardId id) throws IOException {
        return stat(id, ShardWarrant.NONE);
    }

    @Override
    public Optional<ShardInfo> stat(ShardId id, ShardWarrant warrant) throws IOException {
        ShardFrame.Ok ok = call(new ShardFrame.StatShard(nextRequestId(), id.objectId(), id.index(), warrant), id);
        return ok.found() ? Optional.of(new ShardInfo(id, ok.length(), ok.crc32c())) : Optional.empty();
    }

    /** One STAT_SHARDS round trip for the whole batch (see {@link ShardStore#statAll}). */
    @Override
    public List<Optional<ShardInfo>> statAll(List<ShardId> ids) throws IOException {
        if (ids.isEmpty()) {
            return List.of();
        }
        if (ids.size() > MAX_STAT_BATCH) {
            throw new IllegalArgumentException("statAll takes at most " + MAX_STAT_BATCH + " shards, not "
                    + ids.size() + "; split the batch");
        }
        List<ShardFrame.ShardRef> refs = ids.stream().map(id -> new ShardFrame.ShardRef(id.objectId(), id.index()))
                .toList();
        long rid = nextRequestId();
        Exchange ex = acquire();
        boolean clean = false;
        ShardFrame reply;
        try {
            ex.send(new ShardFrame.StatShards(rid, refs, ShardWarrant.NONE));
            reply = ex.take();
            clean = true;
        } finally {
            release(ex, clean);
        }
        if (reply instanceof ShardFrame.ShardStats stats && stats.requestId() == rid) {
            if (stats.stats().size() != ids.size()) {
                throw new IOException(Errors.describe(peer) + " answered " + stats.stats().size() + " of the "
                        + ids.size() + " shards of a batched stat");
            }
            List<Optional<ShardInfo>> out = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                ShardFrame.ShardStat s = stats.stats().get(i);
                out.add(s.found() ? Optional.of(new ShardInfo(ids.get(i), s.length(), s.crc32c())) : Optional.empty());
            }
            return out;
        }
        expectOk(reply, rid, ids.get(0)); // throws the mapped error
        throw new IOException(Errors.describe(peer) + " answered a batched stat with OK");
    }

    @Override
    public boolean delete(ShardId id) throws IOException {
        return delete(id, ShardWarrant.NONE);
    }

    @Override
    public boolean delete(ShardId id, ShardWarrant warrant) throws IOException {
        return call(new ShardFrame.DeleteShard(nextRequestId(), id.objectId(), id.index(), warrant), id).found();
    }

    @Override
    public Duration ping() throws IOException {
        Exchange ex = acquire();
        boolean clean = false;
        try {
            long start = System.nanoTime();
            long rid = nextRequestId();
            ex.send(new ShardFrame.Ping(rid));
            ShardFrame reply = ex.take();
            long rtt = System.nanoTime() - start;
            clean = true;
            peerBelowReserve = expectOk(reply, rid, null).found();
            return Duration.ofNanos(rtt);
        } finally {
            release(ex, clean);
        }
    }

    @Override
    public ShardWriter create(ShardId id) throws IOException {
        return create(id, ShardWarrant.NONE);
    }

    @Override
    public ShardWriter create(ShardId id, ShardWarrant warrant) throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(warrant, "warrant");
        Exchange ex = acquire();
        try {
            long rid = nextRequestId();
            ex.send(new ShardFrame.PutShardBegin(rid, id.objectId(), id.index(), -1, warrant));
            return new RemoteWriter(ex, id, rid);
        } catch (IOException | RuntimeException e) {
            release(ex, false);
            throw e;
        }
    }

    @Override
    public InputStream open(ShardId id, long offset, long length) throws IOException {
        return open(id, offset, length, ShardWarrant.NONE);
    }

    @Override
    public InputStream open(ShardId id, long offset, long length, ShardWarrant warrant) throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(warrant, "warrant");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0: " + offset + ", " + length);
        }
        Exchange ex = acquire();
        boolean handedOff = false;
        boolean clean = false;
        try {
            long rid = nextRequestId();
            ex.send(new ShardFrame.GetShard(rid, id.objectId(), id.index(), offset, length, warrant));
            ShardFrame first = ex.take();
            if (first instanceof ShardFrame.GetShardData data && data.requestId() == rid) {
                RemoteInputStream in = new RemoteInputStream(ex, id, rid, data);
                handedOff = true;
                return in;
            }
            // An ERROR for this request ends it: the connection can carry the next one.
            clean = first instanceof ShardFrame.Error && first.requestId() == rid;
            expectOk(first, rid, id); // throws the mapped error
            clean = false;
            throw new IOException(Errors.describe(peer) + " answered GET with OK");
        } finally {
            if (!handedOff) {
                release(ex, clean);
            }
        }
    }

    /** Streams one upload over its exchange, coalescing writes into 1 MiB frames. */
    private final class RemoteWriter implements ShardWriter {
        private final Exchange ex;
        private final ShardId id;
        private final long rid;
        private final ByteBufAllocator alloc;
        private ByteBuf pending;
        private boolean done;

        RemoteWriter(Exchange ex, ShardId id, long rid) {
            this.ex = ex;
            this.id = id;
            this.rid = rid;
            this.alloc = ex.channel().alloc();
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            if (done) {
                throw new IOException("shard writer for " + id + " is already committed or aborted");
            }
            try {
                checkEarlyError();
                while (bytes.hasRemaining()) {
                    if (pending == null) {
                        pending = alloc.directBuffer(CHUNK, CHUNK);
                    }
                    int n = Math.min(bytes.remaining(), pending.writableBytes());
                    ByteBuffer slice = bytes.duplicate();
                    slice.limit(slice.position() + n);
                    pending.writeBytes(slice);
                    bytes.position(bytes.position() + n);
                    if (!pending.isWritable()) {
                        flushPending();
                    }
                }
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        private void flushPending() throws IOException {
            ByteBuf chunk = pending;
            pending = null;
            ex.sendWhenWritable(new ShardFrame.PutShardData(rid, chunk));
        }

        /** The server answers a PUT early only to refuse it. */
        private void checkEarlyError() throws IOException {
            ShardFrame early = ex.poll();
            if (early != null) {
                expectOk(early, rid, id);
                throw new IOException(Errors.describe(peer) + " answered OK before the upload ended");
            }
        }

        @Override
        public ShardInfo commit() throws IOException {
            if (done) {
                throw new IOException("shard writer for " + id + " is already committed or aborted");
            }
            try {
                if (pending != null && pending.isReadable()) {
                    flushPending();
                }
                ex.send(new ShardFrame.PutShardEnd(rid));
                ShardFrame.Ok ok = expectOk(ex.take(), rid, id);
                releasePending();
                done = true;
                release(ex, true);
                return new ShardInfo(id, ok.length(), ok.crc32c());
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            releasePending();
            // Dropping the channel makes the server abort its writer.
            release(ex, false);
        }

        private void releasePending() {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
    }

    /** Feeds GET_SHARD_DATA chunks to the caller; closing early drops the channel. */
    private final class RemoteInputStream extends InputStream {
        private final Exchange ex;
        private final ShardId id;
        private final long rid;
        private ShardFrame.GetShardData current;
        private boolean last;
        private boolean closed;

        RemoteInputStream(Exchange ex, ShardId id, long rid, ShardFrame.GetShardData first) {
            this.ex = ex;
            this.id = id;
            this.rid = rid;
            this.current = first;
            this.last = first.last();
        }

        /** A chunk with readable bytes, or null at the end of the shard range. */
        private ByteBuf chunk() throws IOException {
            if (closed) {
                throw new IOException("stream of " + id + " from " + Errors.describe(peer) + " is closed");
            }
            while (current == null || !current.data().isReadable()) {
                if (current != null) {
                    current.release();
                    current = null;
                }
                if (last) {
                    finish();
                    return null;
                }
                ShardFrame f = ex.take();
                if (f instanceof ShardFrame.GetShardData d && d.requestId() == rid) {
                    current = d;
                    last = d.last();
                } else {
                    try {
                        expectOk(f, rid, id);
                        throw new IOException(Errors.describe(peer) + " sent OK in the middle of a GET");
                    } catch (IOException | RuntimeException e) {
                        close();
                        throw e;
                    }
                }
            }
            return current.data();
        }

        private void finish() {
            if (!closed) {
                closed = true;
                release(ex, true);
            }
        }

        @Override
        public int read() throws IOException {
            if (closed && last && current == null) {
                return -1;
            }
            ByteBuf c = chunk();
            return c == null ? -1 : c.readUnsignedByte();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (closed && last && current == null) {
                return -1;
            }
            int total = 0;
            while (total < len) {
                ByteBuf c = total == 0 ? chunk() : (current != null && current.data().isReadable() ? current.data()
                        : null);
                if (c == null) {
                    break;
                }
                int n = Math.min(len - total, c.readableBytes());
                c.readBytes(b, off + total, n);
                total += n;
            }
            return total == 0 ? -1 : total;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.data().readableBytes();
        }

        @Override
        public void close() {
            boolean consumed = last && (current == null || !current.data().isReadable());
            if (current != null) {
                current.release();
                current = null;
            }
            if (consumed) {
                // Every byte of the last frame was read: the exchange is complete and the connection reusable.
                finish();
                return;
            }
            if (!closed) {
                closed = true;
                last = true;
                // Unread data may still be in flight: this channel cannot carry another request.
                release(ex, false);
            }
        }
    }
}
