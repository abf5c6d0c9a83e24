package io.predastore.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.OpType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpMixTest {
    private static List<String> choices(long seed, int worker) {
        OpMix mix = new OpMix(WorkloadConfig.DEFAULT_WEIGHTS, 30, OpMix.workerRandom(seed, worker));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(mix.nextType() + "/" + mix.nextKey() + "/" + mix.nextNode(5) + "/" + mix.nextSize(100, 204800));
        }
        return out;
    }

    @Test
    void choices_sameSeedAndWorker_sameSequence() {
        assertThat(choices(42, 3)).isEqualTo(choices(42, 3));
    }

    @Test
    void choices_otherWorkerOrSeed_otherSequence() {
        assertThat(choices(42, 3)).isNotEqualTo(choices(42, 4));
        assertThat(choices(42, 3)).isNotEqualTo(choices(43, 3));
    }

    @Test
    void nextType_followsWeights_andNeverPicksZeroWeight() {
        OpMix mix = new OpMix(Map.of(OpType.PUT, 3, OpType.GET, 1, OpType.DELETE, 0), 30, OpMix.workerRandom(7, 0));
        Map<OpType, Integer> counts = new EnumMap<>(OpType.class);
        for (int i = 0; i < 40_000; i++) {
            counts.merge(mix.nextType(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(OpType.PUT, OpType.GET);
        assertThat(counts.get(OpType.PUT) / (double) counts.get(OpType.GET)).isBetween(2.8, 3.2);
    }

    @Test
    void keysNodesSizes_stayInRange_andCoverIt() {
        OpMix mix = new OpMix(WorkloadConfig.DEFAULT_WEIGHTS, 30, OpMix.workerRandom(1, 1));
        boolean[] keys = new boolean[30];
        boolean[] nodes = new boolean[6];
        for (int i = 0; i < 5_000; i++) {
            keys[mix.nextKey()] = true;
            // The members may change between two operations: each draw is among those there are then.
            nodes[mix.nextNode(i % 2 == 0 ? 5 : 6)] = true;
            assertThat(mix.nextSize(100, 200)).isBetween(100, 200);
            assertThat(mix.nextPartCount()).isBetween(2, 3);
        }
        assertThat(keys).doesNotContain(false);
        assertThat(nodes).doesNotContain(false);
    }

    @Test
    void config_keys_underPrefixAndDistinct() {
        WorkloadConfig config = WorkloadConfig.defaults(NodeEndpoint.numbered(List.of(
                java.net.URI.create("http://127.0.0.1:9000"))), "ak", "sk", 4, 0x1f);
        assertThat(config.allKeys()).hasSize(30).doesNotHaveDuplicates().allMatch(k -> k.startsWith("chaos-1f/"));
        assertThat(config.key(7)).isEqualTo("chaos-1f/k07");
    }
}
