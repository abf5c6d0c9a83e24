package io.predastore.node.transport;

import io.predastore.node.shard.NoSuchShardException;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.shard.ShardWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * The far side of the wire in transport tests. Shards whose object id starts with {@code gen-} are not stored:
 * their bytes must follow {@link Pattern} and are only counted and checksummed, and reads regenerate them, so
 * large shards stream through without being held in memory. Ids starting with {@code corrupt-} fail their reads
 * with {@link ShardCorruptException} (immediately, or after 1 MiB for {@code corrupt-late-}). While {@link #full}
 * is set the store refuses new shards as a node below its free-space reserve does.
 */
final class InMemoryShardStore implements ShardStore {
    private final Map<ShardId, byte[]> shards = new ConcurrentHashMap<>();
    private final Map<ShardId, ShardInfo> generated = new ConcurrentHashMap<>();
    final AtomicInteger aborted = new AtomicInteger();
    volatile long statDelayMillis;
    volatile boolean full;

    @Override
    public boolean belowReserve() {
        return full;
    }

    @Override
    public ShardWriter create(ShardId id) throws IOException {
        if (full) {
            throw new io.predastore.node.disk.StorageFullException("Cannot store shard " + id.index() + " of "
                    + id.objectId() + ": this node has less free space than its reserve.");
        }
        if (shards.containsKey(id) || generated.containsKey(id)) {
            throw new io.predastore.node.shard.ShardExistsException(id);
        }
        boolean gen = id.objectId().startsWith("gen-");
        return new ShardWriter() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            private final CRC32C crc = new CRC32C();
            private long length;
            private boolean done;

            @Override
            public void write(ByteBuffer b) throws IOException {
                if (done) {
                    throw new IOException("closed");
                }
                ByteBuffer dup = b.duplicate();
                crc.update(dup);
                if (gen) {
                    ByteBuffer check = b.duplicate();
                    while (check.hasRemaining()) {
                        if (check.get() != Pattern.at(length)) {
                            throw new IOException("byte " + length + " does not follow the pattern");
                        }
                        length++;
                    }
                } else {
                    byte[] a = new byte[b.remaining()];
                    b.duplicate().get(a);
                    bytes.write(a, 0, a.length);
                    length += a.length;
                }
                b.position(b.limit());
            }

            @Override
            public ShardInfo commit() throws IOException {
                done = true;
                ShardInfo info = new ShardInfo(id, length, (int) crc.getValue());
                if (gen) {
                    generated.put(id, info);
                } else if (shards.putIfAbsent(id, bytes.toByteArray()) != null) {
                    throw new io.predastore.node.shard.ShardExistsException(id);
                }
                return info;
            }

            @Override
            public void abort() {
                if (!done) {
                    done = true;
                    aborted.incrementAndGet();
                }
            }
        };
    }

    /** Registers a pattern shard of the given length without uploading it. */
    void putGenerated(ShardId id, long length) {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[64 * 1024];
        for (long at = 0; at < length; at += buf.length) {
            int n = (int) Math.min(buf.length, length - at);
            Pattern.fill(buf, at, n);
            crc.update(buf, 0, n);
        }
        generated.put(id, new ShardInfo(id, length, (int) crc.getValue()));
    }

    @Override
    public InputStream open(ShardId id, long offset, long length) throws IOException {
        if (id.objectId().startsWith("corrupt-late-")) {
            return new InputStream() {
                private long at;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (at >= (1 << 20)) {
                        throw new ShardCorruptException("record at " + at + " of " + id + " failed its CRC32C");
                    }
                    int n = (int) Math.min(len, (1 << 20) - at);
                    at += n;
                    return n;
                }
            };
        }
        if (id.objectId().startsWith("corrupt-")) {
            throw new ShardCorruptException("shard " + id + " failed its CRC32C");
        }
        ShardInfo gen = generated.get(id);
        if (gen != null) {
            checkRange(gen.length(), offset, length);
            return new Pattern.Stream(offset, length);
        }
        byte[] b = shards.get(id);
        if (b == null) {
            throw new NoSuchShardException(id);
        }
        checkRange(b.length, offset, length);
        return new ByteArrayInputStream(b, (int) offset, (int) length);
    }

    private static void checkRange(long size, long offset, long length) {
        if (offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " is past the end (" + size + ")");
        }
    }

    @Override
    public Optional<ShardInfo> stat(ShardId id) {
        if (statDelayMillis > 0) {
            try {
                // A slow store on purpose: tests of request timeouts need a call that takes this long.
                Thread.sleep(statDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ShardInfo gen = generated.get(id);
        if (gen != null) {
            return Optional.of(gen);
        }
        byte[] b = shards.get(id);
        if (b == null) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(b);
        return Optional.of(new ShardInfo(id, b.length, (int) crc.getValue()));
    }

    @Override
    public boolean delete(ShardId id) {
        return shards.remove(id) != null | generated.remove(id) != null;
    }

    @Override
    public void close() {
    }

    /** A deterministic byte pattern, so big shards can be produced and checked on the fly. */
    static final class Pattern {
        private Pattern() {
        }

        static byte at(long position) {
            return (byte) (position * 31 + (position >>> 13));
        }

        static void fill(byte[] b, long position, int n) {
            for (int i = 0; i < n; i++) {
                b[i] = at(position + i);
            }
        }

        /** Pattern bytes [offset, offset + length). */
        static final class Stream extends InputStream {
            private long at;
            private final long end;

            Stream(long offset, long length) {
                this.at = offset;
                this.end = offset + length;
            }

            @Override
            public int read() {
                return at < end ? at(at++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= end) {
                    return -1;
                }
                int n = (int) Math.min(len, end - at);
                for (int i = 0; i < n; i++) {
                    b[off + i] = at(at + i);
                }
                at += n;
                return n;
            }
        }
    }
}
