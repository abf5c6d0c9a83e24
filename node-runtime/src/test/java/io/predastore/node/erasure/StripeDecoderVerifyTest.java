package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A decoder with a chunk verifier never returns a chunk the verifier refused; parity takes its place. */
class StripeDecoderVerifyTest {
    private static final int CHUNK = 128;
    private final ReedSolomon codec = ReedSolomon.create(3, 2);

    private byte[][] encode(byte[] data) throws IOException {
        ByteArrayOutputStream[] shards = new ByteArrayOutputStream[5];
        for (int i = 0; i < 5; i++) {
            shards[i] = new ByteArrayOutputStream();
        }
        try (StripeEncoder e = new StripeEncoder(codec, CHUNK, (stripe, chunks) -> {
            for (int i = 0; i < chunks.length; i++) {
                shards[i].write(chunks[i], 0, CHUNK);
            }
        })) {
            e.write(data, 0, data.length);
        }
        return Arrays.stream(shards).map(ByteArrayOutputStream::toByteArray).toArray(byte[][]::new);
    }

    private static InputStream[] streams(byte[][] shards, long from) {
        return Arrays.stream(shards).map(s -> (InputStream) new ByteArrayInputStream(s, (int) from,
                s.length - (int) from)).toArray(InputStream[]::new);
    }

    @Test
    void refusedChunks_areReplacedFromParity_andStripesAreNumberedWithinTheObject() throws IOException {
        byte[] data = new byte[10 * 3 * CHUNK + 17];
        new Random(1).nextBytes(data);
        byte[][] shards = encode(data);
        shards[1][4 * CHUNK + 3] ^= 1; // what a faulty node would return for stripe 4 of shard 1
        List<String> refused = new ArrayList<>();
        long offset = 3L * 3 * CHUNK + 10;
        long length = 2000;
        ShardRange range = StripeLayout.of(codec, CHUNK).shardRange(data.length, offset, length);
        byte[] original = encode(data)[1];
        try (StripeDecoder d = StripeDecoder.openRange(codec, CHUNK, streams(shards, range.shardOffset()),
                data.length, offset, length, null, (shard, stripe, chunk) -> {
                    byte[] expected = Arrays.copyOfRange(shard == 1 ? original : shards[shard],
                            (int) (stripe * CHUNK), (int) ((stripe + 1) * CHUNK));
                    boolean ok = Arrays.equals(expected, chunk);
                    if (!ok) {
                        refused.add(shard + "@" + stripe);
                    }
                    return ok;
                })) {
            assertThat(d.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, (int) offset, (int) (offset + length)));
        }
        assertThat(refused).containsExactly("1@4");
    }

    @Test
    void moreRefusedShardsThanParity_failTheRead() {
        byte[] data = new byte[3 * CHUNK];
        new Random(2).nextBytes(data);
        assertThatThrownBy(() -> {
            byte[][] shards = encode(data);
            try (StripeDecoder d = StripeDecoder.openRange(codec, CHUNK, streams(shards, 0), data.length, 0,
                    data.length, null, (shard, stripe, chunk) -> shard >= 3)) {
                d.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasRootCauseInstanceOf(InsufficientShardsException.class);
    }
}
