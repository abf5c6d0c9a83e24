package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.Outcome;
import java.util.Locale;

/** One operation as one line of a report: times in milliseconds from the start of the run, worker, node, action. */
final class OpText {
    private OpText() {
    }

    static String line(Op op) {
        String outcome = op.outcome() == Outcome.OK || op.error() == null
                ? op.outcome().name()
                : op.outcome() + " (" + op.error() + ")";
        return String.format(Locale.ROOT, "%10.3f - %10.3f ms  worker %-3d %-4s %s  %s", op.invoked() / 1e6,
                op.completed() / 1e6, op.worker(), op.node() == null ? "?" : op.node(), action(op), outcome);
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    static String value(String writeId) {
        return writeId == null ? "absent" : writeId;
    }

    static String action(Op op) {
        String key = op.key();
        return switch (op.type()) {
            case PUT, MULTIPART -> op.type() + " " + key + " := " + op.value();
            case CREATE -> "CREATE " + key + " := " + op.value() + " if absent";
            case REPLACE -> "REPLACE " + key + " := " + op.value() + " if " + op.expected();
            case DELETE -> "DELETE " + key;
            case GET, HEAD -> op.type() + " " + key + (op.outcome() == Outcome.OK ? " -> " + value(op.observed()) : "")
                    + (op.corrupt() ? " CORRUPT" : "");
            case LIST -> "LIST '" + key + "'" + (op.outcome() == Outcome.OK ? " -> " + op.listed() : "");
        };
    }
}
