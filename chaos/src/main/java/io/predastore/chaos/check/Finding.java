package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import java.util.List;
import java.util.Objects;

/**
 * One problem the checker found, with the shortest part of the history that shows it.
 *
 * @param type        what kind of problem
 * @param key         the object key it concerns ({@link FindingType#LISTING_INCOMPLETE}: the prefix listed)
 * @param explanation one line saying what went wrong, naming the operations and times involved
 * @param excerpt     the operations that show it, in invocation order (not the whole history of the key)
 */
public record Finding(FindingType type, String key, String explanation, List<Op> excerpt) {
    public Finding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(explanation, "explanation");
        excerpt = List.copyOf(excerpt);
    }

    /** The finding as text: a header line, then one line per operation of the excerpt. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(type).append(" on ").append(key.isEmpty() ? "(all keys)" : key).append(": ").append(explanation)
                .append('\n');
        for (Op op : excerpt) {
            out.append("    ").append(OpText.line(op)).append('\n');
        }
        return out.toString();
    }
}
