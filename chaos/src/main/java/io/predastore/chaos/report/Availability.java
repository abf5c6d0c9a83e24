package io.predastore.chaos.report;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.Outcome;
import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How available the cluster was during each kind of fault and outside any: the share of operations <em>invoked</em>
 * inside that kind's fault windows (from injection to heal, inclusive) that ended OK or REFUSED. An operation
 * invoked while two windows overlap counts for both kinds. Immutable.
 *
 * @param during  by fault kind, only the kinds injected
 * @param outside operations invoked outside every fault window
 */
public record Availability(Map<FaultKind, Share> during, Share outside) {
    public Availability {
        Map<FaultKind, Share> copy = new EnumMap<>(FaultKind.class);
        copy.putAll(during);
        during = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(outside, "outside");
    }

    /**
     * Counts {@code ops} against {@code faults}. Pass the operations of the load only: reads after the faults are
     * healed would make "outside" look better than the load was.
     */
    public static Availability of(List<Op> ops, List<FaultEvent> faults) {
        Map<FaultKind, long[]> during = new EnumMap<>(FaultKind.class);
        for (FaultEvent f : faults) {
            during.putIfAbsent(f.kind(), new long[2]);
        }
        long[] outside = new long[2];
        for (Op op : ops) {
            int answered = op.outcome() == Outcome.OK || op.outcome() == Outcome.REFUSED ? 1 : 0;
            boolean inAny = false;
            for (FaultKind kind : during.keySet()) {
                if (inside(op.invoked(), kind, faults)) {
                    long[] c = during.get(kind);
                    c[0] += answered;
                    c[1]++;
                    inAny = true;
                }
            }
            if (!inAny) {
                outside[0] += answered;
                outside[1]++;
            }
        }
        Map<FaultKind, Share> shares = new EnumMap<>(FaultKind.class);
        during.forEach((kind, c) -> shares.put(kind, new Share(c[0], c[1])));
        return new Availability(shares, new Share(outside[0], outside[1]));
    }

    private static boolean inside(long time, FaultKind kind, List<FaultEvent> faults) {
        for (FaultEvent f : faults) {
            if (f.kind() == kind && time >= f.start() && time <= f.end()) {
                return true;
            }
        }
        return false;
    }
}
