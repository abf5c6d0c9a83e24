package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StripeLayoutTest {

    private final StripeLayout layout = new StripeLayout(4, 2, 100);

    @Test
    void stripeCount_boundaryLengths_roundsUp() {
        assertThat(layout.stripeCount(0)).isZero();
        assertThat(layout.stripeCount(1)).isEqualTo(1);
        assertThat(layout.stripeCount(400)).isEqualTo(1);
        assertThat(layout.stripeCount(401)).isEqualTo(2);
        assertThat(layout.shardLength(401)).isEqualTo(200);
        assertThat(layout.shardLength(0)).isZero();
    }

    @Test
    void shardRange_insideOneStripe_coversThatStripe() {
        assertThat(layout.shardRange(1000, 450, 10)).isEqualTo(new ShardRange(1, 1, 100, 100));
    }

    @Test
    void shardRange_spanningStripes_coversAllOfThem() {
        assertThat(layout.shardRange(1000, 399, 2)).isEqualTo(new ShardRange(0, 2, 0, 200));
        assertThat(layout.shardRange(1000, 0, 1000)).isEqualTo(new ShardRange(0, 3, 0, 300));
    }

    @Test
    void shardRange_empty_needsNoBytes() {
        assertThat(layout.shardRange(1000, 500, 0).shardLength()).isZero();
    }

    @Test
    void shardRange_beyondObject_throws() {
        assertThatThrownBy(() -> layout.shardRange(1000, 999, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the object length 1000");
        assertThatThrownBy(() -> layout.shardRange(1000, -1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset must not be negative");
    }

    @Test
    void create_invalidGeometry_throws() {
        assertThatThrownBy(() -> new StripeLayout(0, 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StripeLayout(2, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkSize");
    }

    @Test
    void fittedChunkSize_spreadsAnObjectEvenlyOverTheFewestStripes() {
        int max = 256 * 1024;
        // 1 MiB over RS(3,2): two stripes of three 174,784-byte chunks, 128 bytes of padding instead of 512 KiB.
        assertThat(StripeLayout.fittedChunkSize(1 << 20, 3, max)).isEqualTo(174_784);
        // Just above the inline limit: three 5,504-byte chunks rather than three of 256 KiB.
        assertThat(StripeLayout.fittedChunkSize(16 * 1024 + 1, 3, max)).isEqualTo(5_504);
        // A whole number of full stripes keeps the maximum.
        assertThat(StripeLayout.fittedChunkSize(6L * max, 3, max)).isEqualTo(max);
        assertThat(StripeLayout.fittedChunkSize(0, 3, max)).isEqualTo(StripeLayout.CHUNK_ALIGNMENT);
        assertThat(StripeLayout.fittedChunkSize(1, 3, max)).isEqualTo(StripeLayout.CHUNK_ALIGNMENT);
        assertThat(StripeLayout.fittedChunkSize(1, 3, 10)).isEqualTo(10);
    }

    @Test
    void fittedChunkSize_neverAddsAStripeNorPadsMoreThanTheAlignmentPerChunk() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            int data = 1 + random.nextInt(16);
            int max = 1 + random.nextInt(1 << 20);
            long length = random.nextInt(4) == 0 ? random.nextInt(100_000) : (long) (random.nextDouble() * (1L << 34));
            int chunk = StripeLayout.fittedChunkSize(length, data, max);
            StripeLayout fitted = new StripeLayout(data, 2, chunk);
            StripeLayout fixed = new StripeLayout(data, 2, max);
            assertThat(chunk).isBetween(1, max);
            assertThat(fitted.stripeCount(length)).as("length %d, %d data shards, max %d", length, data, max)
                    .isEqualTo(fixed.stripeCount(length));
            long padding = fitted.stripeCount(length) * fitted.stripeBytes() - length;
            assertThat(padding).isGreaterThanOrEqualTo(0)
                    .isLessThanOrEqualTo(fixed.stripeCount(length) * fixed.stripeBytes() - length)
                    .isLessThan(fitted.stripeCount(length) * data * (long) StripeLayout.CHUNK_ALIGNMENT + data);
        }
    }

    @Test
    void fittedChunkSize_rejectsBadArguments() {
        assertThatThrownBy(() -> StripeLayout.fittedChunkSize(-1, 3, 1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripeLayout.fittedChunkSize(10, 0, 1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripeLayout.fittedChunkSize(10, 3, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
