package io.predastore.chaos.workload;

import io.predastore.chaos.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A worker's seeded choices: the next operation type (by weight), key, node and body size. Two mixes built from the
 * same configuration and worker choose the same sequence, so a run's request stream follows from its seed. Not
 * thread-safe: one per worker.
 */
final class OpMix {
    private final List<OpType> types = new ArrayList<>();
    private final int[] cumulative;
    private final int total;
    private final int keys;
    private final Random random;

    OpMix(Map<OpType, Integer> weights, int keys, Random random) {
        int sum = 0;
        List<Integer> bounds = new ArrayList<>();
        for (OpType type : OpType.values()) {
            int w = weights.getOrDefault(type, 0);
            if (w > 0) {
                sum += w;
                types.add(type);
                bounds.add(sum);
            }
        }
        this.cumulative = bounds.stream().mapToInt(Integer::intValue).toArray();
        this.total = sum;
        this.keys = keys;
        this.random = random;
    }

    /** The random of worker {@code worker} in a run seeded with {@code seed}: distinct per worker, fixed per seed. */
    static Random workerRandom(long seed, int worker) {
        long mixed = (seed ^ 0x5DEECE66DL) * 0x9E3779B97F4A7C15L + (worker + 1L) * 0xBF58476D1CE4E5B9L;
        return new Random(mixed ^ (mixed >>> 31));
    }

    OpType nextType() {
        int r = random.nextInt(total);
        for (int i = 0; i < cumulative.length; i++) {
            if (r < cumulative[i]) {
                return types.get(i);
            }
        }
        throw new IllegalStateException("no operation type for " + r + " of " + total);
    }

    /** The index of the next key, in {@code [0, keys)}. */
    int nextKey() {
        return random.nextInt(keys);
    }

    /** The index of the next node among {@code nodes} (the nodes there are now), in {@code [0, nodes)}. */
    int nextNode(int nodes) {
        return random.nextInt(nodes);
    }

    /** A size in {@code [min, max]}. */
    int nextSize(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    /** How many parts the next multipart upload has: 2 or 3. */
    int nextPartCount() {
        return 2 + random.nextInt(2);
    }
}
