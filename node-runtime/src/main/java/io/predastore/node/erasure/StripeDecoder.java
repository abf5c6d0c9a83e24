package io.predastore.node.erasure;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reassembles object bytes from the shard streams written by {@link StripeEncoder}, stripe by stripe, rebuilding
 * missing data chunks from any {@code dataShards} readable shards. A {@code null} stream, or one that fails or ends
 * early, is treated as missing from then on (and closed). By default data shards are preferred; a parity stream is
 * only read (skipping forward to the current stripe) once a data shard is unavailable, so a healthy read touches
 * only data shards. A caller may give another read order, e.g. local shards first.
 *
 * <p>Each shard stream must start at {@link ShardRange#shardOffset()} of the requested range (offset 0 for a whole
 * object) and supply at least {@link ShardRange#shardLength()} bytes. The stream returns exactly the requested bytes;
 * the zero padding of the last stripe is never returned.
 *
 * <p>Not thread-safe. {@code read} throws an {@link IOException} when fewer than {@code dataShards} shards remain
 * readable for a stripe (its cause is an {@link InsufficientShardsException}; the individual stream failures are
 * attached as suppressed exceptions). Closing closes every shard stream.
 */
public final class StripeDecoder extends InputStream {

    private final ReedSolomon codec;
    private final StripeLayout layout;
    private final InputStream[] shards;
    private final long[] stripesConsumed;
    private final byte[][] chunks;
    private final boolean[] present;
    private final int[] readOrder;
    private final List<IOException> failures = new ArrayList<>();
    private final long length;
    private final long firstStripe;
    private ChunkVerifier verifier;
    private long remaining;
    private long nextStripe;
    private int positionInStripe;
    private int stripeLimit;

    private StripeDecoder(ReedSolomon codec, int chunkSize, InputStream[] shards, long objectLength, long offset,
            long length) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.layout = StripeLayout.of(codec, chunkSize);
        if (shards == null || shards.length != layout.totalShards()) {
            throw new IllegalArgumentException("expected " + layout.totalShards() + " shard streams, got "
                    + (shards == null ? "null" : shards.length));
        }
        if (layout.stripeBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a stripe must fit in 2 GiB, got " + layout.stripeBytes() + " bytes");
        }
        layout.shardRange(objectLength, offset, length);
        this.shards = shards.clone();
        this.stripesConsumed = new long[shards.length];
        this.chunks = new byte[shards.length][chunkSize];
        this.present = new boolean[shards.length];
        this.readOrder = new int[shards.length];
        for (int i = 0; i < readOrder.length; i++) {
            readOrder[i] = i;
        }
        this.length = length;
        this.firstStripe = offset / layout.stripeBytes();
        this.remaining = length;
        this.positionInStripe = (int) (offset % layout.stripeBytes());
        this.stripeLimit = positionInStripe;
    }

    /**
     * Opens a whole object.
     *
     * @param codec codec the shards were encoded with
     * @param chunkSize chunk size the shards were encoded with
     * @param shards one stream per shard, positioned at shard byte 0; {@code null} for an unavailable shard
     * @param objectLength exact object length from the metadata
     * @throws IllegalArgumentException if the stream count or lengths are invalid
     */
    public static StripeDecoder open(ReedSolomon codec, int chunkSize, InputStream[] shards, long objectLength) {
        return new StripeDecoder(codec, chunkSize, shards, objectLength, 0, objectLength);
    }

    /**
     * Opens object bytes {@code [offset, offset + length)}, decoding only the stripes that cover them.
     *
     * @param shards one stream per shard, positioned at {@code layout.shardRange(objectLength, offset, length)
     *     .shardOffset()}; {@code null} for an unavailable shard
     * @throws IllegalArgumentException if the stream count is wrong or the range is outside the object
     */
    public static StripeDecoder openRange(ReedSolomon codec, int chunkSize, InputStream[] shards, long objectLength,
            long offset, long length) {
        return openRange(codec, chunkSize, shards, objectLength, offset, length, null);
    }

    /**
     * Like {@link #openRange(ReedSolomon, int, InputStream[], long, long, long)}, trying shards in {@code readOrder}
     * (a permutation of the shard indices; null means data shards first, in index order): a stripe is decoded from
     * the first {@code dataShards} readable shards in that order. Put cheap shards (e.g. local ones) first.
     */
    public static StripeDecoder openRange(ReedSolomon codec, int chunkSize, InputStream[] shards, long objectLength,
            long offset, long length, int[] readOrder) {
        StripeDecoder decoder = new StripeDecoder(codec, chunkSize, shards, objectLength, offset, length);
        if (readOrder != null) {
            decoder.useReadOrder(readOrder);
        }
        return decoder;
    }

    /**
     * Like {@link #openRange(ReedSolomon, int, InputStream[], long, long, long, int[])}, checking every chunk read
     * with {@code verifier} before it is used: a chunk that fails counts as a read failure of its shard (the shard
     * is closed and parity takes over), so no byte of it reaches the caller.
     */
    public static StripeDecoder openRange(ReedSolomon codec, int chunkSize, InputStream[] shards, long objectLength,
            long offset, long length, int[] readOrder, ChunkVerifier verifier) {
        StripeDecoder decoder = openRange(codec, chunkSize, shards, objectLength, offset, length, readOrder);
        decoder.verifier = Objects.requireNonNull(verifier, "verifier");
        return decoder;
    }

    private void useReadOrder(int[] order) {
        boolean[] seen = new boolean[shards.length];
        if (order.length != shards.length) {
            throw new IllegalArgumentException("read order has " + order.length + " entries for " + shards.length
                    + " shards");
        }
        for (int i : order) {
            if (i < 0 || i >= shards.length || seen[i]) {
                throw new IllegalArgumentException("read order is not a permutation of the shard indices");
            }
            seen[i] = true;
        }
        System.arraycopy(order, 0, readOrder, 0, order.length);
    }

    /** Total number of bytes this stream returns. */
    public long length() {
        return length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        Objects.checkFromIndexSize(offset, count, buffer.length);
        if (count == 0) {
            return 0;
        }
        if (remaining == 0) {
            return -1;
        }
        if (positionInStripe == stripeLimit) {
            loadStripe();
        }
        int chunkSize = layout.chunkSize();
        int chunk = positionInStripe / chunkSize;
        int within = positionInStripe % chunkSize;
        int n = (int) Math.min(Math.min(count, chunkSize - within), remaining);
        System.arraycopy(chunks[chunk], within, buffer, offset, n);
        positionInStripe += n;
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.min(remaining, stripeLimit - positionInStripe));
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (int i = 0; i < shards.length; i++) {
            try {
                if (shards[i] != null) {
                    shards[i].close();
                }
            } catch (IOException e) {
                first = first == null ? e : first;
            }
            shards[i] = null;
        }
        if (first != null) {
            throw first;
        }
    }

    private void loadStripe() throws IOException {
        long stripe = nextStripe++;
        int data = layout.dataShards();
        int readable = 0;
        for (int i : readOrder) {
            present[i] = readable < data && readChunk(i, stripe);
            readable += present[i] ? 1 : 0;
        }
        if (readable < data) {
            IOException error = new IOException("cannot reconstruct stripe " + stripe + " of the range: "
                    + readable + " of " + data + " required shards readable",
                    new InsufficientShardsException(readable, data));
            failures.forEach(error::addSuppressed);
            throw error;
        }
        codec.decodeMissingData(chunks, present, 0, layout.chunkSize());
        if (stripe > 0) {
            positionInStripe = 0;
        }
        stripeLimit = (int) layout.stripeBytes();
    }

    /** Reads stripe {@code stripe}'s chunk of shard {@code i}; false (and the shard dropped) on any failure. */
    private boolean readChunk(int i, long stripe) {
        InputStream in = shards[i];
        if (in == null) {
            return false;
        }
        int chunkSize = layout.chunkSize();
        try {
            long behind = stripe - stripesConsumed[i];
            if (behind > 0) {
                in.skipNBytes(behind * chunkSize);
            }
            int n = in.readNBytes(chunks[i], 0, chunkSize);
            if (n < chunkSize) {
                throw new EOFException("shard " + i + " ended inside stripe " + stripe);
            }
            stripesConsumed[i] = stripe + 1;
            if (verifier != null && !verifier.verify(i, firstStripe + stripe, chunks[i])) {
                throw new IOException("shard " + i + ": its chunk of stripe " + (firstStripe + stripe)
                        + " does not match the checksum recorded when it was written");
            }
            return true;
        } catch (IOException e) {
            failures.add(e instanceof EOFException ? e : new IOException("shard " + i + " failed", e));
            shards[i] = null;
            try {
                in.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            return false;
        }
    }
}
