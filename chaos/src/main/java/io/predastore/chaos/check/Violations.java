package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Names what is wrong with a key whose history is not linearizable. Each pattern here is a proof on its own (it
 * holds only if no order can exist), so a pattern found is reported even when the search ran out of budget; when
 * none applies, the search's blocked step is reported as {@link FindingType#NOT_LINEARIZABLE}. Each type is
 * reported once per key, at its earliest instance, with the count of the others.
 */
final class Violations {
    private Violations() {
    }

    /** The findings for a key whose search did not find an order. */
    static List<Finding> explain(KeyModel model, RegisterSearch.Result result) {
        List<Finding> found = patterns(model);
        if (!found.isEmpty()) {
            return found;
        }
        if (result.verdict() == RegisterSearch.Verdict.UNDECIDED) {
            Op last = result.blocked() == null ? null : result.blocked().op();
            String where = last == null ? "" : "; the longest order found reached " + OpText.ms(last.invoked());
            return List.of(new Finding(FindingType.UNDECIDED, model.key, "no order of the key's "
                    + result.required() + " operations found within " + result.steps() + " search steps, and none"
                    + " proven impossible" + where + "; rerun the check with a larger step budget",
                    last == null ? List.of() : around(model, last)));
        }
        Op b = result.blocked().op();
        String text = "no order of the key's " + result.required() + " operations explains " + OpText.action(b) + " "
                + b.outcome() + " at " + OpText.ms(b.invoked()) + " on " + b.node() + " (worker " + b.worker()
                + "): in the longest valid order found (" + result.ordered() + " operations) the object held "
                + held(model, result) + " when it had to take effect";
        return List.of(new Finding(FindingType.NOT_LINEARIZABLE, model.key, text, around(model, b)));
    }

    private static String held(KeyModel model, RegisterSearch.Result result) {
        Step w = result.lastWrite();
        if (w == null || w.kind() == Step.Kind.DELETE) {
            return "absent" + (w == null ? "" : " (deleted at " + OpText.ms(w.op().invoked()) + ")");
        }
        return w.op().value() + " (written by " + w.op().type() + " invoked at " + OpText.ms(w.op().invoked()) + ")";
    }

    /** Every pattern that proves the key's history wrong, one finding per type. Empty when none applies. */
    static List<Finding> patterns(KeyModel model) {
        Map<FindingType, List<Finding>> byType = new EnumMap<>(FindingType.class);
        List<Op> ops = model.ops;
        for (Op b : ops) {
            if (b.type().reads() && b.outcome() == Outcome.OK && !b.corrupt()) {
                Finding f = b.observed() == null ? lostWrite(model, b) : wrongValue(model, b);
                if (f != null) {
                    byType.computeIfAbsent(f.type(), t -> new ArrayList<>()).add(f);
                }
            }
            if (b.type() == OpType.CREATE && b.outcome() == Outcome.OK) {
                Finding f = doubleCreate(model, b);
                if (f != null) {
                    byType.computeIfAbsent(f.type(), t -> new ArrayList<>()).add(f);
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        byType.forEach((type, list) -> out.add(firstOf(list)));
        return out;
    }

    static Finding firstOf(List<Finding> instances) {
        Finding first = instances.get(0);
        if (instances.size() == 1) {
            return first;
        }
        return new Finding(first.type(), first.key(), first.explanation() + " (and " + (instances.size() - 1)
                + " more like it on this key)", first.excerpt());
    }

    private static Finding lostWrite(KeyModel model, Op read) {
        Op last = null;
        for (Op w : model.ops) {
            if (certainValueWrite(w) && w.completed() < read.invoked()
                    && (last == null || w.invoked() > last.invoked())) {
                last = w;
            }
        }
        if (last == null || deletePossibleBetween(model, last, read)) {
            return null;
        }
        String text = OpText.action(read) + " at " + OpText.ms(read.invoked()) + " on " + read.node() + " (worker "
                + read.worker() + ") found the object absent, but " + OpText.action(last) + " had completed at "
                + OpText.ms(last.completed()) + " and no DELETE could have come between";
        return new Finding(FindingType.LOST_WRITE, model.key, text,
                Excerpt.of(model.ops, List.of(last, read), read, last.invoked(), read.completed()));
    }

    private static Finding wrongValue(KeyModel model, Op read) {
        List<Op> writes = new ArrayList<>();
        for (Op w : model.ops) {
            if (w.type().writes() && read.observed().equals(w.value())) {
                writes.add(w);
            }
        }
        if (writes.isEmpty()) {
            String text = OpText.action(read) + " at " + OpText.ms(read.invoked()) + " on " + read.node()
                    + " (worker " + read.worker() + ") returned write " + read.observed()
                    + ", which no write of this key sent";
            return new Finding(FindingType.PHANTOM_READ, model.key, text,
                    Excerpt.of(model.ops, List.of(read), read, read.invoked(), read.completed()));
        }
        long lastEnd = Long.MIN_VALUE;
        for (Op w : writes) {
            if (w.outcome() == Outcome.OK || w.outcome() == Outcome.UNKNOWN) {
                lastEnd = Math.max(lastEnd, Excerpt.end(w));
            }
        }
        if (lastEnd == Long.MIN_VALUE) {
            return null; // only failed or refused writes sent it: not linearizable, with no narrower name
        }
        for (Op d : model.ops) {
            if (d.type() == OpType.DELETE && d.outcome() == Outcome.OK && d.invoked() > lastEnd
                    && d.completed() < read.invoked()) {
                String text = OpText.action(read) + " at " + OpText.ms(read.invoked()) + " on " + read.node()
                        + " (worker " + read.worker() + ") returned " + read.observed() + ", but a DELETE invoked at "
                        + OpText.ms(d.invoked()) + ", after every write of that value had completed, had completed"
                        + " at " + OpText.ms(d.completed());
                List<Op> anchors = new ArrayList<>(writes);
                anchors.add(d);
                anchors.add(read);
                return new Finding(FindingType.RESURRECTED_DELETE, model.key, text,
                        Excerpt.of(model.ops, anchors, read, d.invoked(), read.completed()));
            }
        }
        return null;
    }

    private static Finding doubleCreate(KeyModel model, Op create) {
        Op first = null;
        for (Op c : model.ops) {
            if (c.type() == OpType.CREATE && c.outcome() == Outcome.OK && c.completed() < create.invoked()
                    && (first == null || c.invoked() > first.invoked())) {
                first = c;
            }
        }
        if (first == null || deletePossibleBetween(model, first, create)) {
            return null;
        }
        String text = OpText.action(create) + " at " + OpText.ms(create.invoked()) + " on " + create.node()
                + " (worker " + create.worker() + ") succeeded, but " + OpText.action(first) + " had succeeded at "
                + OpText.ms(first.completed()) + " and no DELETE could have come between";
        return new Finding(FindingType.DOUBLE_CREATE, model.key, text,
                Excerpt.of(model.ops, List.of(first, create), create, first.invoked(), create.completed()));
    }

    /** A write that certainly took effect and left the object present. */
    private static boolean certainValueWrite(Op w) {
        return w.outcome() == Outcome.OK && w.type().writes() && w.type() != OpType.DELETE;
    }

    /**
     * Whether a delete, done or of unknown outcome, may have taken effect after {@code first} and before
     * {@code then}.
     */
    private static boolean deletePossibleBetween(KeyModel model, Op first, Op then) {
        for (Op d : model.ops) {
            if (d.type() == OpType.DELETE && (d.outcome() == Outcome.OK || d.outcome() == Outcome.UNKNOWN)
                    && Excerpt.end(d) >= first.invoked() && d.invoked() <= then.completed()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The operations around a step that could not take effect: back to the last write certainly done before it, and
     * the writes of the value it read.
     */
    private static List<Op> around(KeyModel model, Op b) {
        Op last = null;
        for (Op w : model.ops) {
            if (w.type().writes() && w.outcome() == Outcome.OK && w.completed() < b.invoked()
                    && (last == null || w.completed() > last.completed())) {
                last = w;
            }
        }
        List<Op> anchors = new ArrayList<>();
        if (last != null) {
            anchors.add(last);
        }
        if (b.type().reads() && b.observed() != null) {
            for (Op w : model.ops) {
                if (w.type().writes() && b.observed().equals(w.value())) {
                    anchors.add(w); // where the value it returned came from
                }
            }
        }
        anchors.add(b);
        return Excerpt.of(model.ops, anchors, b, last == null ? b.invoked() : last.invoked(), b.completed());
    }
}
