package io.predastore.chaos.report;

import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many faults of one kind a run injected and how long they lasted in all.
 *
 * @param kind  the kind of fault
 * @param count how many
 * @param nanos their windows (injection to heal) summed, in nanoseconds
 */
public record FaultTotal(FaultKind kind, int count, long nanos) {
    /** The totals of the kinds that occur in {@code faults}, in the order of {@link FaultKind}. */
    public static List<FaultTotal> of(List<FaultEvent> faults) {
        Map<FaultKind, long[]> sums = new EnumMap<>(FaultKind.class);
        for (FaultEvent f : faults) {
            long[] s = sums.computeIfAbsent(f.kind(), k -> new long[2]);
            s[0]++;
            s[1] += f.end() - f.start();
        }
        List<FaultTotal> totals = new ArrayList<>();
        sums.forEach((kind, s) -> totals.add(new FaultTotal(kind, (int) s[0], s[1])));
        return totals;
    }
}
