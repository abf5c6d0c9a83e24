package io.predastore.node.erasure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streams object bytes into erasure-coded stripes: bytes are collected into {@code dataShards} chunks of
 * {@code chunkSize} bytes, each full stripe is extended with its parity chunks and handed to a {@link ShardSink}.
 * {@link #finish()} zero-pads and emits the last partial stripe. The shard layout is described in
 * {@link StripeLayout}; the caller must record the object length ({@link #finish()}'s result) in the metadata.
 *
 * <p>Not thread-safe: use one encoder per object from a single thread. Memory use is one stripe of
 * {@code (dataShards + parityShards) * chunkSize} bytes. {@link IOException}s thrown by the sink propagate from
 * {@code write}, {@code finish} and {@code close}.
 */
public final class StripeEncoder extends OutputStream {

    private final ReedSolomon codec;
    private final StripeLayout layout;
    private final ShardSink sink;
    private final byte[][] chunks;
    private int positionInStripe;
    private long stripeIndex;
    private long objectLength;
    private boolean finished;

    /**
     * Creates an encoder.
     *
     * @param codec codec whose shard counts define the stripe
     * @param chunkSize bytes per chunk (e.g. {@link StripeLayout#DEFAULT_CHUNK_SIZE})
     * @param sink receiver of the encoded stripes
     * @throws IllegalArgumentException if {@code chunkSize < 1} or a stripe exceeds 2 GiB
     */
    public StripeEncoder(ReedSolomon codec, int chunkSize, ShardSink sink) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.layout = StripeLayout.of(codec, chunkSize);
        this.sink = Objects.requireNonNull(sink, "sink");
        if (layout.stripeBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a stripe must fit in 2 GiB, got " + layout.stripeBytes() + " bytes");
        }
        this.chunks = new byte[layout.totalShards()][chunkSize];
    }

    /** The layout of the shards this encoder produces. */
    public StripeLayout layout() {
        return layout;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (finished) {
            throw new IOException("stripe encoder already finished");
        }
        int chunkSize = layout.chunkSize();
        int stripeBytes = (int) layout.stripeBytes();
        while (length > 0) {
            int chunk = positionInStripe / chunkSize;
            int within = positionInStripe % chunkSize;
            int n = Math.min(length, chunkSize - within);
            System.arraycopy(bytes, offset, chunks[chunk], within, n);
            offset += n;
            length -= n;
            positionInStripe += n;
            objectLength += n;
            if (positionInStripe == stripeBytes) {
                emitStripe();
            }
        }
    }

    /**
     * Zero-pads and emits the last partial stripe, if any. Further writes fail; calling it again has no effect.
     *
     * @return the object length, i.e. the number of bytes written
     * @throws IOException if the sink fails
     */
    public long finish() throws IOException {
        if (!finished) {
            finished = true;
            if (positionInStripe > 0) {
                int chunkSize = layout.chunkSize();
                int chunk = positionInStripe / chunkSize;
                Arrays.fill(chunks[chunk], positionInStripe % chunkSize, chunkSize, (byte) 0);
                for (int c = chunk + 1; c < layout.dataShards(); c++) {
                    Arrays.fill(chunks[c], (byte) 0);
                }
                emitStripe();
            }
        }
        return objectLength;
    }

    /** Number of stripes emitted so far. */
    public long stripesEmitted() {
        return stripeIndex;
    }

    /** Equivalent to {@link #finish()}. */
    @Override
    public void close() throws IOException {
        finish();
    }

    private void emitStripe() throws IOException {
        codec.encodeParity(chunks, 0, layout.chunkSize());
        sink.accept(stripeIndex++, chunks);
        positionInStripe = 0;
    }
}
