package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReedSolomonVectorsTest {

    private static List<TestVectors.Case> cases;

    @BeforeAll
    static void loadVectors() throws IOException {
        cases = TestVectors.load();
    }

    @Test
    void load_sharedFile_hasEveryCase() {
        assertThat(cases).hasSize(20);
    }

    @Test
    void dataShards_inputGenerationRule_matchFile() {
        for (TestVectors.Case c : cases) {
            for (int d = 0; d < c.data(); d++) {
                byte[] expected = new byte[c.shardSize()];
                for (int j = 0; j < c.shardSize(); j++) {
                    long i = (long) d * c.shardSize() + j;
                    expected[j] = (byte) ((i * 31 + 7) % 251);
                }
                assertThat(c.dataShards()[d]).as("%s data shard %d", c, d).isEqualTo(expected);
            }
        }
    }

    @Test
    void parityMatrixRows_everyCase_matchReference() {
        for (TestVectors.Case c : cases) {
            ReedSolomon codec = ReedSolomon.create(c.data(), c.parity(), Kernels.scalar());
            assertThat(codec.parityMatrixRows()).as("%s", c).isDeepEqualTo(c.parityMatrixRows());
        }
    }

    @Test
    void encodeParity_scalarKernel_matchesEveryVector() {
        assertEncodesEveryVector(Kernels.scalar());
    }

    @Test
    void encodeParity_vectorKernel_matchesEveryVector() {
        assertEncodesEveryVector(Kernels.vector());
    }

    @Test
    void encodeParity_defaultKernel_matchesEveryVector() {
        assertEncodesEveryVector(Kernels.defaultKernel());
    }

    @Test
    void encodeParity_atOffsetInLargerArrays_matchesEveryVector() {
        for (CodingKernel kernel : List.of(Kernels.scalar(), Kernels.vector())) {
            for (TestVectors.Case c : cases) {
                int offset = 5;
                byte[][] shards = new byte[c.data() + c.parity()][c.shardSize() + offset + 3];
                for (int d = 0; d < c.data(); d++) {
                    System.arraycopy(c.dataShards()[d], 0, shards[d], offset, c.shardSize());
                }
                ReedSolomon codec = ReedSolomon.create(c.data(), c.parity(), kernel);
                codec.encodeParity(shards, offset, c.shardSize());
                for (int p = 0; p < c.parity(); p++) {
                    byte[] actual = java.util.Arrays.copyOfRange(shards[c.data() + p], offset,
                            offset + c.shardSize());
                    assertThat(actual).as("%s %s parity %d", kernel.name(), c, p).isEqualTo(c.parityShards()[p]);
                }
                assertThat(codec.isParityCorrect(shards, offset, c.shardSize())).isTrue();
            }
        }
    }

    @Test
    void decodeMissing_firstDataShardsErased_rebuildsEveryVector() {
        for (TestVectors.Case c : cases) {
            ReedSolomon codec = ReedSolomon.create(c.data(), c.parity());
            byte[][] shards = shardsOf(c);
            boolean[] present = new boolean[shards.length];
            java.util.Arrays.fill(present, true);
            for (int d = 0; d < Math.min(c.parity(), c.data()); d++) {
                shards[d] = new byte[c.shardSize()];
                present[d] = false;
            }
            codec.decodeMissing(shards, present, 0, c.shardSize());
            assertThat(shards).as("%s", c).isDeepEqualTo(shardsOf(c));
        }
    }

    private static void assertEncodesEveryVector(CodingKernel kernel) {
        for (TestVectors.Case c : cases) {
            ReedSolomon codec = ReedSolomon.create(c.data(), c.parity(), kernel);
            byte[][] shards = new byte[c.data() + c.parity()][];
            for (int d = 0; d < c.data(); d++) {
                shards[d] = c.dataShards()[d].clone();
            }
            for (int p = 0; p < c.parity(); p++) {
                shards[c.data() + p] = new byte[c.shardSize()];
            }
            codec.encodeParity(shards, 0, c.shardSize());
            for (int p = 0; p < c.parity(); p++) {
                assertThat(shards[c.data() + p]).as("%s %s parity %d", kernel.name(), c, p)
                        .isEqualTo(c.parityShards()[p]);
            }
            assertThat(codec.isParityCorrect(shards, 0, c.shardSize())).isTrue();
        }
    }

    private static byte[][] shardsOf(TestVectors.Case c) {
        byte[][] shards = new byte[c.data() + c.parity()][];
        for (int d = 0; d < c.data(); d++) {
            shards[d] = c.dataShards()[d].clone();
        }
        for (int p = 0; p < c.parity(); p++) {
            shards[c.data() + p] = c.parityShards()[p].clone();
        }
        return shards;
    }
}
