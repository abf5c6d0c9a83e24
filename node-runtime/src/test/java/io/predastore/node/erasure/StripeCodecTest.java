package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StripeCodecTest {

    private static final int DATA = 3;
    private static final int PARITY = 2;
    private static final int CHUNK = 16;

    private final ReedSolomon codec = ReedSolomon.create(DATA, PARITY);
    private final StripeLayout layout = StripeLayout.of(codec, CHUNK);

    @Test
    void roundTrip_boundaryLengths_everyPatternOfMissingShards_returnsExactBytes() throws IOException {
        long[] lengths = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, DATA * CHUNK - 1, DATA * CHUNK, DATA * CHUNK + 1,
            17L * DATA * CHUNK + 5};
        Random random = new Random(7);
        for (long length : lengths) {
            byte[] object = randomBytes(random, (int) length);
            byte[][] shards = encode(object, CHUNK);
            for (byte[] shard : shards) {
                assertThat((long) shard.length).isEqualTo(layout.shardLength(length));
            }
            for (List<Integer> missing : ReedSolomonDecodeTest.subsetsUpTo(DATA + PARITY, PARITY)) {
                InputStream[] streams = streams(shards, 0);
                missing.forEach(i -> streams[i] = null);
                assertThat(readAll(StripeDecoder.open(codec, CHUNK, streams, length)))
                        .as("length %d missing %s", length, missing).isEqualTo(object);
            }
            assertThat(readAll(StripeDecoder.open(codec, CHUNK, streams(shards, 0), length))).isEqualTo(object);
        }
    }

    @Test
    void roundTrip_largeChunksSingleByteWrites_returnsExactBytes() throws IOException {
        ReedSolomon rs = ReedSolomon.create(10, 4);
        byte[] object = randomBytes(new Random(8), 3 * 10 * 4096 + 1234);
        ShardCollector collector = new ShardCollector(14);
        try (StripeEncoder encoder = new StripeEncoder(rs, 4096, collector)) {
            for (int i = 0; i < 1000; i++) {
                encoder.write(object[i]);
            }
            encoder.write(object, 1000, object.length - 1000);
            assertThat(encoder.finish()).isEqualTo(object.length);
            assertThat(encoder.stripesEmitted()).isEqualTo(4);
        }
        InputStream[] streams = streams(collector.shards(), 0);
        streams[0] = null;
        streams[4] = null;
        streams[9] = null;
        streams[12] = null;
        StripeDecoder decoder = StripeDecoder.open(rs, 4096, streams, object.length);
        assertThat(decoder.length()).isEqualTo(object.length);
        assertThat(readAll(decoder)).isEqualTo(object);
    }

    @Test
    void open_streamFailsMidway_rebuildsFromOtherShards() throws IOException {
        byte[] object = randomBytes(new Random(9), 10 * DATA * CHUNK + 3);
        byte[][] shards = encode(object, CHUNK);
        InputStream[] streams = streams(shards, 0);
        streams[1] = new FailingStream(shards[1], 3 * CHUNK + 5);
        streams[2] = new ByteArrayInputStream(shards[2], 0, 6 * CHUNK);
        assertThat(readAll(StripeDecoder.open(codec, CHUNK, streams, object.length))).isEqualTo(object);
    }

    @Test
    void open_tooManyShardsMissing_throwsNamingCounts() throws IOException {
        byte[] object = randomBytes(new Random(10), 5 * DATA * CHUNK);
        byte[][] shards = encode(object, CHUNK);
        InputStream[] streams = streams(shards, 0);
        streams[0] = null;
        streams[3] = null;
        streams[4] = new FailingStream(shards[4], 2 * CHUNK);
        StripeDecoder decoder = StripeDecoder.open(codec, CHUNK, streams, object.length);
        byte[] firstTwoStripes = decoder.readNBytes(2 * DATA * CHUNK);
        assertThat(firstTwoStripes).isEqualTo(java.util.Arrays.copyOf(object, 2 * DATA * CHUNK));
        assertThatThrownBy(decoder::read).isInstanceOf(IOException.class)
                .hasMessageContaining("2 of 3 required shards readable")
                .hasCauseInstanceOf(InsufficientShardsException.class);
    }

    @Test
    void openRange_randomRangesWithMissingShards_returnsExactSlice() throws IOException {
        Random random = new Random(11);
        byte[] object = randomBytes(random, 9 * DATA * CHUNK + 11);
        byte[][] shards = encode(object, CHUNK);
        for (int trial = 0; trial < 300; trial++) {
            int offset = random.nextInt(object.length + 1);
            int length = random.nextInt(object.length - offset + 1);
            ShardRange range = layout.shardRange(object.length, offset, length);
            InputStream[] streams = streams(shards, (int) range.shardOffset());
            streams[random.nextInt(DATA + PARITY)] = null;
            streams[random.nextInt(DATA + PARITY)] = null;
            byte[] expected = java.util.Arrays.copyOfRange(object, offset, offset + length);
            StripeDecoder decoder = StripeDecoder.openRange(codec, CHUNK, streams, object.length, offset, length);
            assertThat(readAll(decoder)).as("range %d+%d", offset, length).isEqualTo(expected);
        }
    }

    @Test
    void openRange_parityFirstReadOrder_neverTouchesTheDataShardItCanRebuild() throws IOException {
        Random random = new Random(12);
        byte[] object = randomBytes(random, 7 * DATA * CHUNK + 5);
        byte[][] shards = encode(object, CHUNK);
        InputStream[] streams = streams(shards, 0);
        // The order puts parity 3 before data shard 1, so shards 3, 0 and 2 suffice and shard 1 is never read.
        boolean[] touched = new boolean[1];
        streams[1] = new ByteArrayInputStream(shards[1]) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                touched[0] = true;
                return super.read(b, off, len);
            }

            @Override
            public synchronized int read() {
                touched[0] = true;
                return super.read();
            }
        };

        StripeDecoder decoder = StripeDecoder.openRange(codec, CHUNK, streams, object.length, 0, object.length,
                new int[] {3, 0, 2, 1, 4});

        assertThat(readAll(decoder)).isEqualTo(object);
        assertThat(touched[0]).as("data shard 1 read").isFalse();
        assertThatThrownBy(() -> StripeDecoder.openRange(codec, CHUNK, streams(shards, 0), object.length, 0, 1,
                new int[] {0, 0, 1, 2, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permutation");
    }

    @Test
    void openRange_outsideObject_throws() {
        assertThatThrownBy(() -> StripeDecoder.openRange(codec, CHUNK, new InputStream[5], 100, 90, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the object length");
        assertThatThrownBy(() -> StripeDecoder.open(codec, CHUNK, new InputStream[4], 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 5 shard streams");
    }

    @Test
    void write_afterFinish_throws() throws IOException {
        StripeEncoder encoder = new StripeEncoder(codec, CHUNK, new ShardCollector(5));
        encoder.write(new byte[3], 0, 3);
        assertThat(encoder.finish()).isEqualTo(3);
        assertThatThrownBy(() -> encoder.write(1)).isInstanceOf(IOException.class).hasMessageContaining("finished");
    }

    private byte[][] encode(byte[] object, int chunkSize) throws IOException {
        ShardCollector collector = new ShardCollector(DATA + PARITY);
        try (StripeEncoder encoder = new StripeEncoder(codec, chunkSize, collector)) {
            encoder.write(object, 0, object.length);
        }
        byte[][] shards = collector.shards();
        for (int stripe = 0; stripe * chunkSize < shards[0].length; stripe++) {
            byte[][] chunks = new byte[DATA + PARITY][];
            for (int i = 0; i < chunks.length; i++) {
                chunks[i] = java.util.Arrays.copyOfRange(shards[i], stripe * chunkSize, (stripe + 1) * chunkSize);
            }
            assertThat(codec.isParityCorrect(chunks, 0, chunkSize)).isTrue();
        }
        return shards;
    }

    private static InputStream[] streams(byte[][] shards, int from) {
        InputStream[] streams = new InputStream[shards.length];
        for (int i = 0; i < shards.length; i++) {
            streams[i] = new ByteArrayInputStream(shards[i], from, shards[i].length - from);
        }
        return streams;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            byte[] all = in.readAllBytes();
            assertThat(in.read()).isEqualTo(-1);
            return all;
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Collects each shard's chunks in stripe order. */
    private static final class ShardCollector implements ShardSink {
        private final ByteArrayOutputStream[] outputs;
        private long expectedStripe;

        ShardCollector(int shards) {
            outputs = new ByteArrayOutputStream[shards];
            for (int i = 0; i < shards; i++) {
                outputs[i] = new ByteArrayOutputStream();
            }
        }

        @Override
        public void accept(long stripeIndex, byte[][] chunks) {
            assertThat(stripeIndex).isEqualTo(expectedStripe++);
            for (int i = 0; i < chunks.length; i++) {
                outputs[i].write(chunks[i], 0, chunks[i].length);
            }
        }

        byte[][] shards() {
            byte[][] shards = new byte[outputs.length][];
            for (int i = 0; i < outputs.length; i++) {
                shards[i] = outputs[i].toByteArray();
            }
            return shards;
        }
    }

    /** Serves the first {@code limit} bytes of a shard, then fails. */
    private static final class FailingStream extends InputStream {
        private final ByteArrayInputStream delegate;
        private int left;

        FailingStream(byte[] bytes, int limit) {
            delegate = new ByteArrayInputStream(bytes);
            left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                throw new IOException("disk error");
            }
            left--;
            return delegate.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                throw new IOException("disk error");
            }
            int n = delegate.read(b, off, Math.min(len, left));
            left -= Math.max(n, 0);
            return n;
        }
    }
}
