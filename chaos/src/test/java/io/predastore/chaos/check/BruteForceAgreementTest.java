package io.predastore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checker, with its pruning of unknown writes and of the search, against the plainest possible reading of the
 * model: try every order of every subset of unknown writes. Small random histories, most of them wrong.
 */
class BruteForceAgreementTest {
    private static final OpType[] TYPES = {OpType.PUT, OpType.CREATE, OpType.REPLACE, OpType.DELETE, OpType.GET,
        OpType.GET, OpType.HEAD};

    @Test
    void check_smallRandomHistories_agreesWithExhaustiveSearch() {
        SplittableRandom random = new SplittableRandom(2026);
        int valid = 0;
        for (int n = 0; n < 5_000; n++) {
            List<Op> ops = small(random);

            boolean expected = linearizable(usable(ops), new boolean[ops.size()], null);
            CheckResult result = new Checker().check(ops);

            assertThat(result.valid()).as("history %s%n%s", ops, result.render()).isEqualTo(expected);
            if (expected) {
                valid++;
                assertThat(Violations.patterns(KeyModel.of("k", ops))).as("history %s", ops).isEmpty();
            }
        }
        assertThat(valid).isBetween(500, 4_500);
    }

    private static List<Op> small(SplittableRandom random) {
        int count = 1 + random.nextInt(8);
        List<String> written = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OpType type = TYPES[random.nextInt(TYPES.length)];
            long invoked = random.nextInt(20);
            long completed = invoked + random.nextInt(8);
            String value = type.writes() && type != OpType.DELETE ? "w" + i : null;
            String expected = type == OpType.REPLACE ? pick(random, written) : null;
            String observed = type.reads() ? pick(random, written) : null;
            Outcome outcome = outcome(random, type);
            if (value != null) {
                written.add(value);
            }
            ops.add(new Op(i, i, "n1", type, "k", value, expected, invoked, completed, outcome,
                    outcome == Outcome.OK ? observed : null, false, null, null));
        }
        return ops;
    }

    private static String pick(SplittableRandom random, List<String> written) {
        int r = random.nextInt(written.size() + 2);
        return r < written.size() ? written.get(r) : r == written.size() ? null : "w99";
    }

    private static Outcome outcome(SplittableRandom random, OpType type) {
        int r = random.nextInt(100);
        if (r < 60) {
            return Outcome.OK;
        } else if (r < 78) {
            return Outcome.UNKNOWN;
        } else if (r < 92 && (type == OpType.CREATE || type == OpType.REPLACE)) {
            return Outcome.REFUSED;
        }
        return Outcome.FAILED;
    }

    /** The operations that constrain the register: no failed ones, no reads without an answer. */
    private static List<Op> usable(List<Op> ops) {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) {
            boolean keep = switch (op.outcome()) {
                case OK -> true;
                case UNKNOWN -> op.type().writes();
                case REFUSED -> op.type() == OpType.CREATE || op.type() == OpType.REPLACE;
                case FAILED -> false;
            };
            if (keep) {
                out.add(op);
            }
        }
        return out;
    }

    private static boolean linearizable(List<Op> ops, boolean[] done, String state) {
        long due = Long.MAX_VALUE;
        boolean left = false;
        for (int i = 0; i < ops.size(); i++) {
            if (!done[i] && ops.get(i).outcome() != Outcome.UNKNOWN) {
                left = true;
                due = Math.min(due, ops.get(i).completed());
            }
        }
        if (!left) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (done[i] || op.invoked() > due) {
                continue;
            }
            Object next = apply(op, state);
            if (next == REJECT) {
                continue;
            }
            done[i] = true;
            boolean ok = linearizable(ops, done, (String) next);
            done[i] = false;
            if (ok) {
                return true;
            }
        }
        return false;
    }

    private static final Object REJECT = new Object();

    private static Object apply(Op op, String state) {
        boolean refused = op.outcome() == Outcome.REFUSED;
        return switch (op.type()) {
            case PUT, MULTIPART -> op.value();
            case DELETE -> null;
            case CREATE -> refused ? (state != null ? state : REJECT) : (state == null ? op.value() : REJECT);
            case REPLACE -> {
                boolean holds = op.expected() != null && op.expected().equals(state);
                yield refused ? (holds ? REJECT : state) : (holds ? op.value() : REJECT);
            }
            case GET, HEAD -> Objects.equals(state, op.observed()) ? state : REJECT;
            case LIST -> throw new IllegalArgumentException();
        };
    }
}
