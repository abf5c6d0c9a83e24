package io.predastore.chaos.workload;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of a run's operations: by type and outcome, and per second of the run (by completion time) for the
 * report's timeline. Thread-safe: workers record concurrently, readers get snapshots.
 */
public final class WorkloadStats {
    private final Map<OpType, EnumMap<Outcome, Long>> counts = new EnumMap<>(OpType.class);
    private final TreeMap<Long, long[]> seconds = new TreeMap<>();
    private long corrupt;

    /**
     * One second of the run.
     *
     * @param second   seconds since the run started (operations completed in {@code [second, second + 1)})
     * @param ok       operations that ended {@link Outcome#OK}
     * @param refused  conditional writes {@link Outcome#REFUSED}
     * @param failed   operations that ended {@link Outcome#FAILED}
     * @param unknown  operations that ended {@link Outcome#UNKNOWN}
     */
    public record Second(long second, long ok, long refused, long failed, long unknown) {
    }

    /** Counts one completed operation. */
    public synchronized void record(Op op) {
        counts.computeIfAbsent(op.type(), t -> new EnumMap<>(Outcome.class)).merge(op.outcome(), 1L, Long::sum);
        seconds.computeIfAbsent(op.completed() / 1_000_000_000L, s -> new long[Outcome.values().length])
                [op.outcome().ordinal()]++;
        if (op.corrupt()) {
            corrupt++;
        }
    }

    /** How many operations of {@code type} ended with {@code outcome}. */
    public synchronized long count(OpType type, Outcome outcome) {
        EnumMap<Outcome, Long> byOutcome = counts.get(type);
        return byOutcome == null ? 0 : byOutcome.getOrDefault(outcome, 0L);
    }

    /** How many operations ended with {@code outcome}, of any type. */
    public synchronized long count(Outcome outcome) {
        return counts.values().stream().mapToLong(m -> m.getOrDefault(outcome, 0L)).sum();
    }

    /** How many operations were recorded. */
    public synchronized long total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    /** How many GETs read bytes that no write produced. */
    public synchronized long corruptReads() {
        return corrupt;
    }

    /** A snapshot of the counts by type, then outcome; types and outcomes never seen are absent. */
    public synchronized Map<OpType, Map<Outcome, Long>> counts() {
        Map<OpType, Map<Outcome, Long>> copy = new EnumMap<>(OpType.class);
        counts.forEach((type, byOutcome) -> copy.put(type, Map.copyOf(byOutcome)));
        return copy;
    }

    /** Every second from the first to the last in which an operation completed, in order (quiet seconds as 0). */
    public synchronized List<Second> timeline() {
        List<Second> out = new ArrayList<>();
        if (seconds.isEmpty()) {
            return out;
        }
        long[] none = new long[Outcome.values().length];
        for (long s = seconds.firstKey(); s <= seconds.lastKey(); s++) {
            long[] c = seconds.getOrDefault(s, none);
            out.add(new Second(s, c[Outcome.OK.ordinal()], c[Outcome.REFUSED.ordinal()],
                    c[Outcome.FAILED.ordinal()], c[Outcome.UNKNOWN.ordinal()]));
        }
        return out;
    }

    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder();
        counts.forEach((type, byOutcome) -> b.append(type).append(' ').append(byOutcome).append('\n'));
        return b.append("corrupt reads: ").append(corrupt).toString();
    }
}
