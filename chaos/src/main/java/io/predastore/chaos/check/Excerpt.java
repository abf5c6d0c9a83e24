package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the few operations of a key that show a finding: the operations it names, the writes that may have taken
 * effect in a window of time, and the operations overlapping the one that went wrong.
 */
final class Excerpt {
    /** At most this many operations per finding: enough to show the story, short enough to read. */
    static final int MAX_OPS = 30;

    private Excerpt() {
    }

    /**
     * @param ops        the key's operations in invocation order
     * @param anchors    operations that must appear
     * @param focus      the operation that went wrong; operations overlapping it appear (may be null)
     * @param writesFrom start of the window in which writes that may have taken effect appear
     * @param writesTo   end of that window
     */
    static List<Op> of(List<Op> ops, List<Op> anchors, Op focus, long writesFrom, long writesTo) {
        Set<Op> chosen = new LinkedHashSet<>(anchors);
        List<Op> others = new ArrayList<>();
        for (Op op : ops) {
            if (chosen.contains(op) || op.outcome() == Outcome.FAILED) {
                continue;
            }
            boolean write = op.type().writes() && op.outcome() != Outcome.REFUSED;
            if (write && op.invoked() <= writesTo && end(op) >= writesFrom
                    || focus != null && op.invoked() <= focus.completed() && op.completed() >= focus.invoked()) {
                others.add(op);
            }
        }
        long centre = focus != null ? focus.invoked() : writesTo;
        others.sort(Comparator.comparingLong(op -> Math.abs(op.invoked() - centre)));
        for (Op op : others) {
            if (chosen.size() >= MAX_OPS) {
                break;
            }
            chosen.add(op);
        }
        List<Op> out = new ArrayList<>(chosen);
        out.sort(Comparator.comparingLong(Op::invoked).thenComparingLong(Op::id));
        return out;
    }

    /** When an operation may last have taken effect: never known for an unknown outcome. */
    static long end(Op op) {
        return op.outcome() == Outcome.UNKNOWN ? Long.MAX_VALUE : op.completed();
    }
}
