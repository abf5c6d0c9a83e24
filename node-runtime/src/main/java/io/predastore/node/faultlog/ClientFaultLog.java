package io.predastore.node.faultlog;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs what clients did wrong (malformed requests, TLS garbage, stalled connections) as one short line each, and
 * never more than a bounded number of lines per second, so that nothing an unauthenticated client sends can fill
 * the node's disk with logs or its CPU with formatting. Lines over the budget are counted and the count is reported
 * on the next line that is written. Never logs a stack trace: a client's mistake is not the node's failure.
 *
 * <p>A token bucket, hand-written because SLF4J and Logback offer only duplicate suppression (which a client defeats
 * by varying its request), not a rate bound. Thread-safe.
 */
public final class ClientFaultLog {
    /** The longest message kept; the rest is cut, so a client-chosen text cannot make a line long. */
    static final int MAX_MESSAGE_CHARS = 200;

    private final Logger log;
    private final double linesPerSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long lastRefill;
    private long suppressed;

    /**
     * @param log where lines go (at WARN level)
     * @param linesPerSecond the sustained budget
     * @param burst how many lines may be written at once after a quiet time
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
     */
    public ClientFaultLog(Logger log, double linesPerSecond, int burst, LongSupplier nanoTime) {
        if (!(linesPerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("linesPerSecond must be > 0 and burst >= 1, got " + linesPerSecond
                    + " and " + burst);
        }
        this.log = Objects.requireNonNull(log, "log");
        this.linesPerSecond = linesPerSecond;
        this.burst = burst;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.tokens = burst;
        this.lastRefill = nanoTime.getAsLong();
    }

    /** A log of at most 5 lines per second, in bursts of up to 20, on the system's monotonic clock. */
    public static ClientFaultLog of(Logger log) {
        return new ClientFaultLog(log, 5, 20, System::nanoTime);
    }

    /**
     * Writes {@code "<what> from <client>: <detail>"} at WARN if the budget allows, else counts it.
     *
     * @param what what happened, a fixed text of ours (e.g. "malformed request-target")
     * @param client the peer's address, or null
     * @param detail what the client sent or did, possibly client-chosen; cut to {@value #MAX_MESSAGE_CHARS} chars
     *     with control characters replaced, so it cannot forge log lines
     * @return whether a line was written
     */
    public boolean warn(String what, Object client, String detail) {
        long dropped;
        synchronized (this) {
            refill();
            if (tokens < 1) {
                suppressed++;
                return false;
            }
            tokens -= 1;
            dropped = suppressed;
            suppressed = 0;
        }
        if (!log.isWarnEnabled()) {
            return false;
        }
        String line = what + " from " + (client == null ? "unknown client" : client) + ": " + sanitize(detail);
        if (dropped > 0) {
            log.warn("{} ({} similar lines suppressed)", line, dropped);
        } else {
            log.warn("{}", line);
        }
        return true;
    }

    /**
     * As {@link #warn(String, Object, String)}, with what went wrong given as an exception: its innermost cause's
     * type and message, never its stack trace.
     */
    public boolean warn(String what, Object client, Throwable cause) {
        return warn(what, client, describe(cause));
    }

    /** The innermost cause's simple type name and message, e.g. {@code NotSslRecordException: not a TLS record}. */
    static String describe(Throwable cause) {
        if (cause == null) {
            return null;
        }
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        double elapsed = (now - lastRefill) / (double) TimeUnit.SECONDS.toNanos(1);
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * linesPerSecond);
            lastRefill = now;
        }
    }

    /** At most {@value #MAX_MESSAGE_CHARS} characters, control characters (CR, LF, ESC...) shown as '?'. */
    public static String sanitize(String text) {
        if (text == null) {
            return "-";
        }
        int n = Math.min(text.length(), MAX_MESSAGE_CHARS);
        StringBuilder sb = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}
