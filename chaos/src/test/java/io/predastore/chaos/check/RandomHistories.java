package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Histories valid by construction: workers run operations one at a time over random intervals; each operation that
 * takes effect does so at a random moment of its interval (an unknown write perhaps later, or never), and a real
 * sequential register applied in the order of those moments decides every outcome and every read. The run ends with
 * one read of every key per node and a listing of everything.
 */
final class RandomHistories {
    private static final int NODES = 3;

    private RandomHistories() {
    }

    private static final class Draft {
        final int worker;
        final OpType type;
        final String key;
        final String value;
        final String expected;
        final long invoked;
        final long completed;
        final long point;
        Outcome outcome;
        boolean applies;
        String observed;

        Draft(int worker, OpType type, String key, String value, String expected, long invoked, long completed,
                long point, Outcome outcome, boolean applies) {
            this.worker = worker;
            this.type = type;
            this.key = key;
            this.value = value;
            this.expected = expected;
            this.invoked = invoked;
            this.completed = completed;
            this.point = point;
            this.outcome = outcome;
            this.applies = applies;
        }
    }

    static List<Op> generate(long seed, int workers, int operations, int keys, double unknownRate) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] clock = new long[workers];
        Map<String, List<String>> written = new HashMap<>();
        List<Draft> drafts = new ArrayList<>();
        for (int n = 0; n < operations; n++) {
            int w = random.nextInt(workers);
            String key = "k" + random.nextInt(keys);
            long invoked = clock[w] + random.nextLong(2_000);
            long completed = invoked + 1 + random.nextLong(5_000);
            clock[w] = completed;
            OpType type = pick(random);
            List<String> values = written.computeIfAbsent(key, k -> new ArrayList<>());
            if (type == OpType.REPLACE && values.isEmpty()) {
                type = OpType.PUT;
            }
            String value = type.writes() && type != OpType.DELETE ? "w" + w + "-" + n : null;
            String expected = type == OpType.REPLACE
                    ? values.get(Math.max(0, values.size() - 1 - random.nextInt(3)))
                    : null;
            if (value != null) {
                values.add(value);
            }
            long point = invoked + random.nextLong(completed - invoked + 1);
            Outcome outcome = Outcome.OK;
            boolean applies = true;
            double roll = random.nextDouble();
            if (roll < unknownRate) {
                outcome = Outcome.UNKNOWN;
                applies = type.writes() && random.nextBoolean();
                point = invoked + random.nextLong(completed - invoked + 20_000);
            } else if (roll < unknownRate + 0.02) {
                outcome = Outcome.FAILED;
                applies = false;
            }
            drafts.add(new Draft(w, type, key, value, expected, invoked, completed, point, outcome, applies));
        }

        List<Draft> byPoint = new ArrayList<>(drafts);
        byPoint.sort(Comparator.comparingLong(d -> d.point));
        Map<String, String> state = new HashMap<>();
        for (Draft d : byPoint) {
            if (!d.applies) {
                continue;
            }
            String current = state.get(d.key);
            switch (d.type) {
                case PUT, MULTIPART -> state.put(d.key, d.value);
                case DELETE -> state.remove(d.key);
                case CREATE, REPLACE -> {
                    boolean holds = d.type == OpType.CREATE ? current == null : d.expected.equals(current);
                    if (holds) {
                        state.put(d.key, d.value);
                    } else if (d.outcome == Outcome.OK) {
                        d.outcome = Outcome.REFUSED;
                    }
                }
                case GET, HEAD -> d.observed = current;
                default -> throw new IllegalStateException();
            }
        }

        long end = 0;
        for (long c : clock) {
            end = Math.max(end, c);
        }
        end += 100_000; // past every unknown write's latest moment
        TreeSet<String> present = new TreeSet<>();
        for (int k = 0; k < keys; k++) {
            String key = "k" + k;
            for (int node = 0; node < NODES; node++) {
                drafts.add(new Draft(node, OpType.GET, key, null, null, end, end + 10, end + 5, Outcome.OK, true));
                drafts.get(drafts.size() - 1).observed = state.get(key);
                end += 20;
            }
            if (state.containsKey(key)) {
                present.add(key);
            }
        }
        drafts.sort(Comparator.comparingLong(d -> d.invoked));
        List<Op> ops = new ArrayList<>();
        for (Draft d : drafts) {
            ops.add(new Op(ops.size(), d.worker, "n" + (d.worker % NODES), d.type, d.key, d.value, d.expected,
                    d.invoked, d.completed, d.outcome, d.observed, false, null, d.outcome == Outcome.OK ? null : "x"));
        }
        ops.add(new Op(ops.size(), 0, "n0", OpType.LIST, "", null, null, end, end + 10, Outcome.OK, null, false,
                List.copyOf(present), null));
        return ops;
    }

    private static OpType pick(SplittableRandom random) {
        int r = random.nextInt(100);
        if (r < 25) {
            return OpType.PUT;
        } else if (r < 30) {
            return OpType.MULTIPART;
        } else if (r < 40) {
            return OpType.CREATE;
        } else if (r < 50) {
            return OpType.REPLACE;
        } else if (r < 58) {
            return OpType.DELETE;
        } else if (r < 93) {
            return OpType.GET;
        }
        return OpType.HEAD;
    }

    /**
     * The same history with one read made impossible: it returns a value that an unconditional write certainly
     * overwrote before the read began (the only write of that value completed before the overwrite was invoked).
     * Null when the history offers no such read.
     */
    static Op staleCandidate(List<Op> ops, SplittableRandom random) {
        List<Op[]> choices = new ArrayList<>();
        for (Op read : ops) {
            if (!read.type().reads() || read.outcome() != Outcome.OK) {
                continue;
            }
            for (Op over : ops) {
                if (over.key().equals(read.key()) && (over.type() == OpType.PUT || over.type() == OpType.MULTIPART)
                        && over.outcome() == Outcome.OK && over.completed() < read.invoked()) {
                    for (Op old : ops) {
                        if (old.key().equals(read.key()) && old.type().writes() && old.value() != null
                                && old.outcome() == Outcome.OK
                                && old.completed() < over.invoked() && !old.value().equals(read.observed())) {
                            choices.add(new Op[] {read, old});
                        }
                    }
                }
            }
            if (choices.size() > 50) {
                break;
            }
        }
        if (choices.isEmpty()) {
            return null;
        }
        Op[] pick = choices.get(random.nextInt(choices.size()));
        Op r = pick[0];
        return new Op(r.id(), r.worker(), r.node(), r.type(), r.key(), r.value(), r.expected(), r.invoked(),
                r.completed(), r.outcome(), pick[1].value(), false, r.listed(), r.error());
    }

    static List<Op> replace(List<Op> ops, Op changed) {
        List<Op> out = new ArrayList<>(ops);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).id() == changed.id()) {
                out.set(i, changed);
            }
        }
        return out;
    }
}
