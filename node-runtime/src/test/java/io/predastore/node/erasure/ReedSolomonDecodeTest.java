package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReedSolomonDecodeTest {

    private static final int TRIALS = 40;

    @Test
    void decodeMissing_everyPatternUpToParityMissing_rebuildsExactly() {
        Random random = new Random(20240601L);
        for (int trial = 0; trial < TRIALS; trial++) {
            int data = 1 + random.nextInt(12);
            int parity = random.nextInt(5);
            int size = 1 + random.nextInt(3000);
            int offset = random.nextInt(64);
            int slack = random.nextInt(16);
            CodingKernel kernel = trial % 2 == 0 ? Kernels.scalar() : Kernels.vector();
            ReedSolomon codec = ReedSolomon.create(data, parity, kernel);
            byte[][] original = randomShards(random, data + parity, offset + size + slack);
            codec.encodeParity(original, offset, size);
            for (List<Integer> missing : subsetsUpTo(data + parity, parity)) {
                byte[][] shards = deepCopy(original);
                boolean[] present = new boolean[data + parity];
                Arrays.fill(present, true);
                for (int index : missing) {
                    present[index] = false;
                    random.nextBytes(shards[index]);
                    System.arraycopy(original[index], 0, shards[index], 0, offset);
                    System.arraycopy(original[index], offset + size, shards[index], offset + size, slack);
                }
                codec.decodeMissing(shards, present, offset, size);
                assertThat(shards).as("RS(%d,%d) size %d offset %d missing %s kernel %s", data, parity, size,
                        offset, missing, kernel.name()).isDeepEqualTo(original);
            }
        }
    }

    @Test
    void decodeMissing_nullMissingShards_allocatesAndRebuilds() {
        ReedSolomon codec = ReedSolomon.create(4, 2);
        byte[][] original = randomShards(new Random(1), 6, 1000);
        codec.encodeParity(original, 0, 1000);
        byte[][] shards = deepCopy(original);
        shards[1] = null;
        shards[5] = null;
        codec.decodeMissing(shards, new boolean[] {true, false, true, true, true, false}, 0, 1000);
        assertThat(shards).isDeepEqualTo(original);
    }

    @Test
    void decodeMissingData_parityAlsoMissing_rebuildsOnlyData() {
        ReedSolomon codec = ReedSolomon.create(3, 2);
        byte[][] original = randomShards(new Random(2), 5, 333);
        codec.encodeParity(original, 0, 333);
        byte[][] shards = deepCopy(original);
        shards[0] = new byte[333];
        shards[4] = new byte[333];
        codec.decodeMissingData(shards, new boolean[] {false, true, true, true, false}, 0, 333);
        assertThat(shards[0]).isEqualTo(original[0]);
        assertThat(shards[4]).isEqualTo(new byte[333]);
    }

    @Test
    void decodeMissing_moreThanParityMissing_throwsAndLeavesShardsUntouched() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int data = 1 + random.nextInt(12);
            int parity = random.nextInt(5);
            ReedSolomon codec = ReedSolomon.create(data, parity);
            byte[][] shards = randomShards(random, data + parity, 1 + random.nextInt(500));
            byte[][] before = deepCopy(shards);
            boolean[] present = new boolean[data + parity];
            Arrays.fill(present, true);
            int missing = Math.min(data + parity, parity + 1 + random.nextInt(2));
            for (int i = 0; i < missing; i++) {
                present[(i * 7 + trial) % (data + parity)] = false;
            }
            int presentCount = 0;
            for (boolean p : present) {
                presentCount += p ? 1 : 0;
            }
            if (presentCount >= data) {
                continue;
            }
            int expectedPresent = presentCount;
            assertThatThrownBy(() -> codec.decodeMissing(shards, present, 0, shards[0].length))
                    .isInstanceOf(InsufficientShardsException.class)
                    .hasMessageContaining(expectedPresent + " present")
                    .hasMessageContaining(data + " required");
            assertThat(shards).isDeepEqualTo(before);
        }
    }

    @Test
    void decodeMissing_allPresent_leavesShardsUntouched() {
        ReedSolomon codec = ReedSolomon.create(2, 2);
        byte[][] shards = randomShards(new Random(4), 4, 10);
        byte[][] before = deepCopy(shards);
        codec.decodeMissing(shards, new boolean[] {true, true, true, true}, 0, 10);
        assertThat(shards).isDeepEqualTo(before);
    }

    @Test
    void isParityCorrect_corruptedByte_returnsFalse() {
        ReedSolomon codec = ReedSolomon.create(5, 3);
        byte[][] shards = randomShards(new Random(5), 8, 200_000);
        codec.encodeParity(shards, 0, 200_000);
        assertThat(codec.isParityCorrect(shards, 0, 200_000)).isTrue();
        shards[6][150_000] ^= 1;
        assertThat(codec.isParityCorrect(shards, 0, 200_000)).isFalse();
        assertThat(codec.isParityCorrect(shards, 0, 150_000)).isTrue();
        shards[6][150_000] ^= 1;
        shards[2][7] ^= (byte) 0x80;
        assertThat(codec.isParityCorrect(shards, 0, 200_000)).isFalse();
    }

    static byte[][] randomShards(Random random, int count, int size) {
        byte[][] shards = new byte[count][size];
        for (byte[] shard : shards) {
            random.nextBytes(shard);
        }
        return shards;
    }

    static byte[][] deepCopy(byte[][] shards) {
        byte[][] copy = new byte[shards.length][];
        for (int i = 0; i < shards.length; i++) {
            copy[i] = shards[i] == null ? null : shards[i].clone();
        }
        return copy;
    }

    /** All subsets of {0..n-1} with 1..max elements. */
    static List<List<Integer>> subsetsUpTo(int n, int max) {
        List<List<Integer>> result = new ArrayList<>();
        addSubsets(n, max, 0, new ArrayList<>(), result);
        return result;
    }

    private static void addSubsets(int n, int max, int from, List<Integer> current, List<List<Integer>> result) {
        if (!current.isEmpty()) {
            result.add(List.copyOf(current));
        }
        if (current.size() == max) {
            return;
        }
        for (int i = from; i < n; i++) {
            current.add(i);
            addSubsets(n, max, i + 1, current, result);
            current.remove(current.size() - 1);
        }
    }
}
