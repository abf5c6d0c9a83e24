package io.predastore.app.service;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live side of one upload: bytes sent so far, the total, and whether the user asked to cancel. The uploading
 * thread advances it and checks for cancellation between reads and parts; any thread may read it or cancel.
 * Thread-safe.
 */
public final class Transfer {
    private final long total;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Runnable onChange = () -> { };

    public Transfer(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative, not " + total);
        }
        this.total = total;
    }

    /** Runs {@code listener} (on the uploading thread) after every advance; it must be quick. */
    public void onChange(Runnable listener) {
        this.onChange = listener == null ? () -> { } : listener;
    }

    public long total() {
        return total;
    }

    public long sent() {
        return sent.get();
    }

    /** Asks the upload to stop; it aborts at its next read or part and leaves no object. */
    public void cancel() {
        cancelled.set(true);
        onChange.run();
    }

    public boolean cancelRequested() {
        return cancelled.get();
    }

    /** Throws {@link TransferCancelledException} if {@link #cancel()} was called. */
    public void checkCancelled() throws TransferCancelledException {
        if (cancelled.get()) {
            throw new TransferCancelledException();
        }
    }

    /** Counts {@code n} more bytes sent. */
    void advance(long n) {
        sent.addAndGet(n);
        onChange.run();
    }

    /** Starts counting again, for a retried request that resends its body. */
    void rewind(long to) {
        sent.set(to);
        onChange.run();
    }
}
