package io.predastore.node.store.cluster;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the repair engine has done since this node started repairing: sets and bytes rebuilt, and the recent pace
 * (object bytes re-protected per second over the last minute), from which the protection report estimates when the
 * queue will be empty. Bounded: at most one sample per repaired set over the last minute, capped. Thread-safe.
 */
final class RepairProgress {
    private static final long WINDOW_MILLIS = 60_000;
    private static final int MAX_SAMPLES = 10_000;

    private final Clock clock;
    private final Deque<long[]> recent = new ArrayDeque<>();
    private long repairedSets;
    private long repairedBytes;
    private long windowStart = -1;

    RepairProgress(Clock clock) {
        this.clock = clock;
    }

    /** Counts one set rebuilt, of {@code bytes} object bytes. */
    synchronized void repaired(long bytes) {
        long now = clock.millis();
        repairedSets++;
        repairedBytes += bytes;
        if (windowStart < 0) {
            windowStart = now;
        }
        recent.addLast(new long[] {now, bytes});
        trim(now);
    }

    /** Notes that a round started with work to do, so the pace counts from there, not from an idle hour ago. */
    synchronized void working() {
        if (recent.isEmpty()) {
            windowStart = clock.millis();
        }
    }

    synchronized long repairedSets() {
        return repairedSets;
    }

    synchronized long repairedBytes() {
        return repairedBytes;
    }

    /** Bytes per second over the last minute (or since work started, if later); 0 when nothing was repaired in it. */
    synchronized double bytesPerSecond() {
        long now = clock.millis();
        trim(now);
        if (recent.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (long[] s : recent) {
            sum += s[1];
        }
        long span = Math.max(1_000, now - Math.max(windowStart, now - WINDOW_MILLIS));
        return sum * 1000.0 / span;
    }

    private void trim(long now) {
        while (!recent.isEmpty() && (recent.peekFirst()[0] < now - WINDOW_MILLIS || recent.size() > MAX_SAMPLES)) {
            recent.removeFirst();
        }
    }
}
