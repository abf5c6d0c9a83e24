package io.predastore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RandomHistoryTest {
    private static final int HISTORIES = 150;

    @Test
    void check_historiesOfARealRegister_allValid() {
        for (long seed = 1; seed <= HISTORIES; seed++) {
            List<Op> ops = RandomHistories.generate(seed, 2 + (int) (seed % 7), 300, 3, 0.05);

            CheckResult result = new Checker().check(ops);

            assertThat(result.valid()).as("seed %d:%n%s", seed, result.render()).isTrue();
            for (Map.Entry<String, List<Op>> key : byKey(ops).entrySet()) {
                assertThat(Violations.patterns(KeyModel.of(key.getKey(), key.getValue())))
                        .as("seed %d key %s", seed, key.getKey()).isEmpty();
            }
        }
    }

    @Test
    void check_oneReadMadeStale_caughtOnItsKey() {
        int mutated = 0;
        for (long seed = 1; seed <= HISTORIES; seed++) {
            List<Op> ops = RandomHistories.generate(seed, 2 + (int) (seed % 7), 300, 3, 0.05);
            Op stale = RandomHistories.staleCandidate(ops, new SplittableRandom(seed));
            if (stale == null) {
                continue;
            }
            mutated++;

            CheckResult result = new Checker().check(RandomHistories.replace(ops, stale));

            assertThat(result.violated()).as("seed %d, read %s", seed, stale).isTrue();
            assertThat(result.findings()).as(result.render())
                    .anyMatch(f -> f.key().equals(stale.key()) && f.type().violation());
        }
        assertThat(mutated).isGreaterThan(HISTORIES / 2);
    }

    /** Not a timed test: the step count is what bounds the time, and it is deterministic for a seed. */
    @Test
    void search_twoThousandOpsEightWorkers_staysWellWithinBudget() {
        List<Op> ops = RandomHistories.generate(42, 8, 2_000, 1, 0.05);
        KeyModel model = KeyModel.of("k0", ops.subList(0, ops.size() - 1));

        RegisterSearch.Result result = RegisterSearch.run(model.steps, Checker.DEFAULT_STEP_BUDGET);

        assertThat(model.steps.size()).isGreaterThan(1_500);
        assertThat(result.verdict()).isEqualTo(RegisterSearch.Verdict.LINEARIZABLE);
        assertThat(result.steps()).as("steps for %d operations", model.steps.size())
                .isLessThan(Checker.DEFAULT_STEP_BUDGET / 4);
    }

    @Test
    void search_twoThousandOpsOneStaleRead_violatedWithinBudget() {
        List<Op> ops = RandomHistories.generate(43, 8, 2_000, 1, 0.05);
        ops = ops.subList(0, ops.size() - 1);
        Op stale = RandomHistories.staleCandidate(ops, new SplittableRandom(7));
        KeyModel model = KeyModel.of("k0", RandomHistories.replace(ops, stale));

        RegisterSearch.Result result = RegisterSearch.run(model.steps, Checker.DEFAULT_STEP_BUDGET);

        assertThat(result.verdict()).isEqualTo(RegisterSearch.Verdict.VIOLATED);
        assertThat(result.blocked()).isNotNull();
    }

    private static Map<String, List<Op>> byKey(List<Op> ops) {
        Map<String, List<Op>> out = new TreeMap<>();
        for (Op op : ops) {
            if (op.type() != io.predastore.chaos.history.OpType.LIST) {
                out.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        return out;
    }
}
