package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReedSolomonArgumentsTest {

    private final ReedSolomon codec = ReedSolomon.create(3, 2);

    @Test
    void create_invalidCounts_throwsWithReason() {
        assertThatThrownBy(() -> ReedSolomon.create(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataShards must be at least 1");
        assertThatThrownBy(() -> ReedSolomon.create(3, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parityShards must be at least 0");
        assertThatThrownBy(() -> ReedSolomon.create(200, 57)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 256");
    }

    @Test
    void create_limits_accepted() {
        assertThat(ReedSolomon.create(1, 0).totalShardCount()).isEqualTo(1);
        assertThat(ReedSolomon.create(200, 56).totalShardCount()).isEqualTo(256);
    }

    @Test
    void create_anyShape_reportsKernel() {
        assertThat(Kernels.vectorModulePresent()).as("tests must run with --add-modules jdk.incubator.vector")
                .isTrue();
        // Scalar while the vector kernel warms up, then vector: the name says which, and names the vector kernel.
        assertThat(ReedSolomon.kernelName()).contains("vector-");
        assertThat(codec.codingKernelName()).contains("vector-");
    }

    @Test
    void encodeParity_wrongShardCount_throws() {
        assertThatThrownBy(() -> codec.encodeParity(new byte[4][10], 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 5 shards, got 4");
    }

    @Test
    void encodeParity_sizesDiffer_throws() {
        byte[][] shards = new byte[5][10];
        shards[3] = new byte[11];
        assertThatThrownBy(() -> codec.encodeParity(shards, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards differ in size");
    }

    @Test
    void encodeParity_nullShard_throws() {
        byte[][] shards = new byte[5][10];
        shards[2] = null;
        assertThatThrownBy(() -> codec.encodeParity(shards, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard 2 is null");
    }

    @Test
    void encodeParity_rangeOutOfBounds_throws() {
        byte[][] shards = new byte[5][10];
        assertThatThrownBy(() -> codec.encodeParity(shards, -1, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
        assertThatThrownBy(() -> codec.encodeParity(shards, 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byteCount");
        assertThatThrownBy(() -> codec.encodeParity(shards, 6, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the shard length 10");
        assertThatThrownBy(() -> codec.isParityCorrect(shards, Integer.MAX_VALUE, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
    }

    @Test
    void decodeMissing_presentFlagsWrongLength_throws() {
        assertThatThrownBy(() -> codec.decodeMissing(new byte[5][10], new boolean[4], 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shardPresent must have 5");
    }

    @Test
    void decodeMissing_missingShardWrongSize_throws() {
        byte[][] shards = new byte[5][10];
        shards[0] = new byte[3];
        assertThatThrownBy(() -> codec.decodeMissing(shards, new boolean[] {false, true, true, true, true}, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shards differ in size");
    }

    @Test
    void encodeParity_zeroBytes_doesNothing() {
        byte[][] shards = new byte[5][4];
        shards[4][0] = 9;
        codec.encodeParity(shards, 4, 0);
        assertThat(shards[4][0]).isEqualTo((byte) 9);
    }
}
