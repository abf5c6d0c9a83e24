package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Builds hand-made histories for tests: times in milliseconds, node {@code n<worker>}. */
final class HistoryBuilder {
    private final List<Op> ops = new ArrayList<>();

    List<Op> ops() {
        return List.copyOf(ops);
    }

    Op op(int worker, OpType type, String key, String value, String expected, long fromMs, long toMs,
            Outcome outcome, String observed, boolean corrupt, List<String> listed) {
        Op op = new Op(ops.size(), worker, "n" + worker, type, key, value, expected, fromMs * 1_000_000,
                toMs * 1_000_000, outcome, observed, corrupt, listed,
                outcome == Outcome.OK ? null : outcome == Outcome.REFUSED ? "412 PreconditionFailed" : "timeout");
        ops.add(op);
        return op;
    }

    Op put(int worker, String key, String value, long fromMs, long toMs) {
        return op(worker, OpType.PUT, key, value, null, fromMs, toMs, Outcome.OK, null, false, null);
    }

    Op put(int worker, String key, String value, long fromMs, long toMs, Outcome outcome) {
        return op(worker, OpType.PUT, key, value, null, fromMs, toMs, outcome, null, false, null);
    }

    Op create(int worker, String key, String value, long fromMs, long toMs, Outcome outcome) {
        return op(worker, OpType.CREATE, key, value, null, fromMs, toMs, outcome, null, false, null);
    }

    Op replace(int worker, String key, String expected, String value, long fromMs, long toMs, Outcome outcome) {
        return op(worker, OpType.REPLACE, key, value, expected, fromMs, toMs, outcome, null, false, null);
    }

    Op delete(int worker, String key, long fromMs, long toMs) {
        return delete(worker, key, fromMs, toMs, Outcome.OK);
    }

    Op delete(int worker, String key, long fromMs, long toMs, Outcome outcome) {
        return op(worker, OpType.DELETE, key, null, null, fromMs, toMs, outcome, null, false, null);
    }

    /** An OK GET; {@code observed} null means the object was absent. */
    Op get(int worker, String key, String observed, long fromMs, long toMs) {
        return op(worker, OpType.GET, key, null, null, fromMs, toMs, Outcome.OK, observed, false, null);
    }

    Op corruptGet(int worker, String key, String observed, long fromMs, long toMs) {
        return op(worker, OpType.GET, key, null, null, fromMs, toMs, Outcome.OK, observed, true, null);
    }

    Op list(int worker, String prefix, List<String> keys, long fromMs, long toMs) {
        return op(worker, OpType.LIST, prefix, null, null, fromMs, toMs, Outcome.OK, null, false, keys);
    }
}
