package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of one key turned into register {@link Step}s: failed operations, reads of unknown outcome and
 * corrupt reads are left out (corrupt reads are reported on their own), and so are unknown writes that provably
 * cannot matter to any order, because every unknown write kept doubles what the search may have to try.
 */
final class KeyModel {
    /** The state of an absent object. */
    static final int ABSENT = 0;
    /** Any value no read returns and no replace expects: such values are interchangeable to the model. */
    static final int OTHER = -1;
    /** An expected value of a replace that names no write (null): equal to no state. */
    static final int NONE = Integer.MIN_VALUE + 1;

    final String key;
    /** Every operation of the key, in invocation order. */
    final List<Op> ops;
    /** The steps the search orders, in invocation order. */
    final List<Step> steps;

    private KeyModel(String key, List<Op> ops, List<Step> steps) {
        this.key = key;
        this.ops = ops;
        this.steps = steps;
    }

    static KeyModel of(String key, List<Op> keyOps) {
        List<Op> ops = new ArrayList<>(keyOps);
        ops.sort(Comparator.comparingLong(Op::invoked).thenComparingLong(Op::id));

        // Values that some read returns or some replace expects keep an identity; the others are all OTHER.
        Map<String, Integer> ids = new HashMap<>();
        for (Op op : ops) {
            if (readKept(op) && op.observed() != null) {
                ids.computeIfAbsent(op.observed(), v -> ids.size() + 1);
            }
            if (op.type() == OpType.REPLACE && op.expected() != null && op.outcome() != Outcome.FAILED) {
                ids.computeIfAbsent(op.expected(), v -> ids.size() + 1);
            }
        }

        List<Draft> drafts = new ArrayList<>();
        for (Op op : ops) {
            Draft d = draft(op, ids);
            if (d != null) {
                drafts.add(d);
            }
        }
        prune(drafts);

        List<Step> steps = new ArrayList<>();
        for (Draft d : drafts) {
            if (!d.dropped) {
                boolean optional = d.op.outcome() == Outcome.UNKNOWN;
                steps.add(new Step(steps.size(), d.op, d.kind, d.value, d.expected, optional, d.op.invoked(),
                        optional ? Long.MAX_VALUE : d.op.completed()));
            }
        }
        return new KeyModel(key, List.copyOf(ops), List.copyOf(steps));
    }

    /** The ids of the operations the search orders. */
    Set<Long> stepOpIds() {
        Set<Long> out = new HashSet<>();
        for (Step s : steps) {
            out.add(s.op().id());
        }
        return out;
    }

    private static boolean readKept(Op op) {
        return op.type().reads() && op.outcome() == Outcome.OK && !op.corrupt();
    }

    private static Draft draft(Op op, Map<String, Integer> ids) {
        Outcome outcome = op.outcome();
        if (outcome == Outcome.FAILED || op.type() == OpType.LIST) {
            return null;
        }
        if (op.type().reads()) {
            return readKept(op) ? new Draft(op, Step.Kind.READ, intern(op.observed(), ids), 0) : null;
        }
        if (outcome == Outcome.REFUSED) {
            return switch (op.type()) {
                case CREATE -> new Draft(op, Step.Kind.PRESENT, 0, 0);
                case REPLACE -> new Draft(op, Step.Kind.NOT_EQUAL, 0, expected(op, ids));
                default -> null; // an unconditional write cannot be refused; if recorded so, it had no effect
            };
        }
        return switch (op.type()) {
            case PUT, MULTIPART -> new Draft(op, Step.Kind.SET, intern(op.value(), ids), 0);
            case CREATE -> new Draft(op, Step.Kind.CREATE, intern(op.value(), ids), 0);
            case REPLACE -> new Draft(op, Step.Kind.REPLACE, intern(op.value(), ids), expected(op, ids));
            case DELETE -> new Draft(op, Step.Kind.DELETE, ABSENT, 0);
            default -> null;
        };
    }

    private static int intern(String writeId, Map<String, Integer> ids) {
        if (writeId == null) {
            return ABSENT;
        }
        Integer id = ids.get(writeId);
        return id == null ? OTHER : id;
    }

    private static int expected(Op op, Map<String, Integer> ids) {
        return op.expected() == null ? NONE : ids.get(op.expected());
    }

    /**
     * Drops unknown writes that no order needs. An unknown write of a value no read returns and no replace expects
     * only helps a refused operation (which may need the object present, or not equal to something); with no
     * refused operation completing after its invocation, removing it from any valid order leaves a valid order. An
     * unknown delete only helps a read of absence, a create or a refused replace that may come after it.
     */
    private static void prune(List<Draft> drafts) {
        long lastRefused = Long.MIN_VALUE;
        for (Draft d : drafts) {
            if (d.kind == Step.Kind.PRESENT || d.kind == Step.Kind.NOT_EQUAL) {
                lastRefused = Math.max(lastRefused, d.op.completed());
            }
        }
        for (Draft d : drafts) {
            if (d.op.outcome() == Outcome.UNKNOWN && d.kind != Step.Kind.DELETE && d.value == OTHER
                    && lastRefused < d.op.invoked()) {
                d.dropped = true;
            }
        }
        long lastNeedsAbsence = Long.MIN_VALUE;
        for (Draft d : drafts) {
            boolean needs = d.kind == Step.Kind.CREATE || d.kind == Step.Kind.NOT_EQUAL
                    || d.kind == Step.Kind.READ && d.value == ABSENT;
            if (needs && !d.dropped) {
                long end = d.op.outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : d.op.completed();
                lastNeedsAbsence = Math.max(lastNeedsAbsence, end);
            }
        }
        for (Draft d : drafts) {
            if (d.op.outcome() == Outcome.UNKNOWN && d.kind == Step.Kind.DELETE && lastNeedsAbsence < d.op.invoked()) {
                d.dropped = true;
            }
        }
    }

    private static final class Draft {
        final Op op;
        final Step.Kind kind;
        final int value;
        final int expected;
        boolean dropped;

        Draft(Op op, Step.Kind kind, int value, int expected) {
            this.op = op;
            this.kind = kind;
            this.value = value;
            this.expected = expected;
        }
    }
}
