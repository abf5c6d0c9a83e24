package io.predastore.chaos.workload;

import io.predastore.chaos.history.HistoryFile;
import io.predastore.chaos.history.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Gives operations their ids and times and records them, completed, into the history and the statistics.
 * Thread-safe.
 */
final class Recorder {
    private final HistoryFile history;
    private final WorkloadStats stats;
    private final LongSupplier clock;
    private final AtomicLong nextId = new AtomicLong();

    /** @param clock nanoseconds since the run started, never decreasing */
    Recorder(HistoryFile history, WorkloadStats stats, LongSupplier clock) {
        this.history = history;
        this.stats = stats;
        this.clock = clock;
    }

    /** Nanoseconds since the run started. */
    long now() {
        return clock.getAsLong();
    }

    /** An operation's id and invocation time, taken together so that ids follow invocation order. */
    record Invocation(long id, long at) {
    }

    /** Called just before a request is sent: a fresh id and the time now. */
    synchronized Invocation invoke() {
        return new Invocation(nextId.getAndIncrement(), clock.getAsLong());
    }

    /** Records a completed operation. */
    void record(Op op) {
        try {
            history.append(op);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append operation " + op.id() + " to the history; check the "
                    + "disk holding the history file", e);
        }
        stats.record(op);
    }
}
