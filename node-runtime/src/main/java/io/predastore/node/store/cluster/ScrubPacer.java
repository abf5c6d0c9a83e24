package io.predastore.node.store.cluster;

import java.time.Clock;

/**
 * Keeps a reader's average at a byte rate: after each piece of work it is told how many bytes were read, and sleeps
 * until the time at which that many bytes were due at the rate. A reader that falls behind (a slow disk) is not
 * allowed to catch up in a burst later: it banks at most {@link #MAX_CREDIT_MILLIS} of credit. Not thread-safe: one
 * reader owns it.
 */
final class ScrubPacer {
    /** How far behind its schedule the pacer lets the reader fall before it starts the schedule again. */
    static final long MAX_CREDIT_MILLIS = 1_000;

    private final long bytesPerSecond;
    private final Clock clock;
    private final ShardScrubber.Sleeper sleeper;
    private long startMillis = -1;
    private long bytes;

    /**
     * @param bytesPerSecond the rate, at least 1
     * @param clock          the time the schedule is kept in
     * @param sleeper        how to wait (a test's sleeper moves its clock forward)
     */
    ScrubPacer(long bytesPerSecond, Clock clock, ShardScrubber.Sleeper sleeper) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("a pace is at least 1 byte per second, not " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Starts the schedule afresh (after an idle spell, which must not count as credit). */
    void reset() {
        startMillis = -1;
        bytes = 0;
    }

    /**
     * Accounts for {@code read} more bytes and sleeps until they were due.
     *
     * @throws InterruptedException if the sleep is interrupted
     */
    void paced(long read) throws InterruptedException {
        long now = clock.millis();
        if (startMillis < 0 || now - dueMillis() > MAX_CREDIT_MILLIS) {
            startMillis = now;
            bytes = 0;
        }
        bytes += read;
        long due = dueMillis();
        if (due > now) {
            sleeper.sleep(due - now);
        }
    }

    private long dueMillis() {
        // bytes * 1000 overflows only past 9 PB; a schedule restarts long before (each pass resets it).
        return startMillis + Math.multiplyExact(bytes, 1000L) / bytesPerSecond;
    }
}
