package io.predastore.chaos.check;

import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the checker concluded about a history. Immutable.
 *
 * @param counts     operations checked, by type and outcome (only the pairs that occur)
 * @param operations operations in the history
 * @param keys       distinct object keys (LIST prefixes excluded)
 * @param findings   the problems found, violations first in the order of {@link FindingType}
 * @param steps      search steps spent over all keys
 * @param budget     the search budget per key, in steps
 */
public record CheckResult(Map<OpType, Map<Outcome, Integer>> counts, int operations, int keys,
        List<Finding> findings, long steps, long budget) {
    public CheckResult {
        Map<OpType, Map<Outcome, Integer>> copy = new EnumMap<>(OpType.class);
        counts.forEach((type, byOutcome) -> copy.put(type, Collections.unmodifiableMap(new EnumMap<>(byOutcome))));
        counts = Collections.unmodifiableMap(copy);
        findings = List.copyOf(findings);
    }

    /** The same result with {@code more} findings added, kept in the order of {@link FindingType}. */
    public CheckResult with(List<Finding> more) {
        List<Finding> all = new java.util.ArrayList<>(findings);
        all.addAll(more);
        all.sort(java.util.Comparator.comparing(Finding::type));
        return new CheckResult(counts, operations, keys, all, steps, budget);
    }

    /** Whether the history is proven correct: no finding at all (an undecided key is not proven correct). */
    public boolean valid() {
        return findings.isEmpty();
    }

    /** Whether some finding proves a violation (anything but {@link FindingType#UNDECIDED}). */
    public boolean violated() {
        return findings.stream().anyMatch(f -> f.type().violation());
    }

    /** The findings of one type. */
    public List<Finding> findings(FindingType type) {
        return findings.stream().filter(f -> f.type() == type).toList();
    }

    /** The result as text for a report: a verdict line, the counts, then every finding with its excerpt. */
    public String render() {
        StringBuilder out = new StringBuilder();
        String verdict = valid() ? "VALID" : violated() ? "INVALID" : "UNDECIDED";
        out.append(String.format(Locale.ROOT, "History check: %s - %d operations on %d keys, %d finding(s), %d search"
                + " steps (budget %d per key)%n", verdict, operations, keys, findings.size(), steps, budget));
        counts.forEach((type, byOutcome) -> {
            out.append(String.format(Locale.ROOT, "  %-9s", type));
            byOutcome.forEach((outcome, n) -> out.append(String.format(Locale.ROOT, " %s %d", outcome, n)));
            out.append('\n');
        });
        for (Finding f : findings) {
            out.append('\n').append(f.render());
        }
        return out.toString();
    }
}
