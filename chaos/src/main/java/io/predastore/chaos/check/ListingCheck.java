package io.predastore.chaos.check;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the listings taken once the writing is over: a LIST invoked after the last write of the run completed must
 * name exactly the keys under its prefix whose final state is present. A key's final state is what its reads
 * invoked after that moment returned; a key with no such read, or whose final reads disagree (a linearizability
 * finding of its own), is not judged here.
 */
final class ListingCheck {
    private ListingCheck() {
    }

    static List<Finding> check(List<Op> history) {
        long lastWrite = Long.MIN_VALUE;
        for (Op op : history) {
            if (op.type().writes() && (op.outcome() == Outcome.OK || op.outcome() == Outcome.UNKNOWN)) {
                lastWrite = Math.max(lastWrite, op.completed());
            }
        }
        // key -> the final reads of it; a key maps to null when they disagree
        Map<String, List<Op>> finalReads = new HashMap<>();
        Set<String> keys = new TreeSet<>();
        for (Op op : history) {
            if (op.type() == OpType.LIST) {
                continue;
            }
            keys.add(op.key());
            if (op.type().reads() && op.outcome() == Outcome.OK && !op.corrupt() && op.invoked() > lastWrite) {
                finalReads.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        Map<String, Boolean> present = new HashMap<>();
        finalReads.forEach((key, reads) -> {
            boolean first = reads.get(0).observed() != null;
            if (reads.stream().allMatch(r -> (r.observed() != null) == first)) {
                present.put(key, first);
            }
        });

        Map<String, List<Finding>> byPrefix = new LinkedHashMap<>();
        for (Op list : history) {
            if (list.type() != OpType.LIST || list.outcome() != Outcome.OK || list.invoked() <= lastWrite) {
                continue;
            }
            Set<String> listed = new TreeSet<>(list.listed());
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            for (String key : keys) {
                if (key.startsWith(list.key()) && Boolean.TRUE.equals(present.get(key)) && !listed.contains(key)) {
                    missing.add(key);
                }
            }
            for (String key : listed) {
                // a listed key the history never wrote is as wrong as one found absent
                boolean judged = present.containsKey(key) || !keys.contains(key);
                if (judged && !Boolean.TRUE.equals(present.get(key))) {
                    extra.add(key);
                }
            }
            if (missing.isEmpty() && extra.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missed " + missing.size() + " key(s) its final read found present " + sample(missing));
            }
            if (!extra.isEmpty()) {
                parts.add("listed " + extra.size() + " key(s) found absent or never written " + sample(extra));
            }
            String text = "LIST '" + list.key() + "' at " + OpText.ms(list.invoked()) + " on " + list.node()
                    + " (worker " + list.worker() + "), after the last write completed at " + OpText.ms(lastWrite)
                    + ", " + String.join(" and ", parts);
            List<Op> excerpt = new ArrayList<>();
            excerpt.add(list);
            List<String> disputed = new ArrayList<>(missing);
            disputed.addAll(extra);
            for (String key : disputed) {
                List<Op> reads = finalReads.get(key);
                if (reads != null && excerpt.size() < Excerpt.MAX_OPS) {
                    excerpt.add(reads.get(0));
                }
            }
            excerpt.sort(Comparator.comparingLong(Op::invoked));
            byPrefix.computeIfAbsent(list.key(), k -> new ArrayList<>())
                    .add(new Finding(FindingType.LISTING_INCOMPLETE, list.key(), text, excerpt));
        }
        List<Finding> out = new ArrayList<>();
        byPrefix.values().forEach(list -> out.add(Violations.firstOf(list)));
        return out;
    }

    private static String sample(List<String> keys) {
        return keys.size() <= 5 ? keys.toString() : keys.subList(0, 5) + " ...";
    }
}
