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
}
