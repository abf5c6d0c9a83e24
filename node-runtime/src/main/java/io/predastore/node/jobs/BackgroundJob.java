package io.predastore.node.jobs;

import io.predastore.protocol.admin.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic task of a node that keeps its schedule whatever a run throws, and remembers what it last did.
 *
 * <p>A {@link ScheduledExecutorService} cancels every later run of a task that throws, silently; a job catches
 * every failure of its run (exceptions and errors other than {@link VirtualMachineError}), records it and lets
 * the next run go ahead. A failure is logged at warn level once per distinct message per {@link #LOG_PERIOD}
 * (one short line, no stack trace), at debug level otherwise, so a job that fails every few seconds does not
 * fill the log. Thread-safe; runs of one job never overlap (a fixed-delay schedule runs them one at a time, and
 * {@link #runOnce()} waits for a run under way); reading the status never waits for a run.
 */
public final class BackgroundJob {
    /** How long the same failure of a job stays quiet after it was logged at warn level. */
    public static final Duration LOG_PERIOD = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundJob.class);
    private static final int MAX_TEXT = 300;

    /** One run of the job. */
    @FunctionalInterface
    public interface Task {
        /**
         * Does the job's work once.
         *
         * @return what the run did, in a few words (e.g. "3 reaped, 1 quarantined")
         * @throws Exception anything; it is recorded and the schedule goes on
         */
        String run() throws Exception;
    }

    private final String name;
    private final Clock clock;
    private final Task task;
    private final LongSupplier quarantined;
    /** Held for a whole run, so runs never overlap; the status fields are guarded by {@code this}, briefly. */
    private final Object running = new Object();
    private long runs;
    private long failures;
    private long lastStart = -1;
    private long lastEnd = -1;
    private String lastResult;
    private String lastError;
    private long lastErrorAt = -1;
    private String lastLogged;
    private long lastLoggedAt;

    /**
     * @param name the job's name in logs and the admin status
     * @param quarantined how many entries the job has set aside so far (asked when the status is read; it must be
     *     cheap and not throw), or null for a job that sets nothing aside
     */
    public BackgroundJob(String name, Clock clock, Task task, LongSupplier quarantined) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.task = Objects.requireNonNull(task, "task");
        this.quarantined = quarantined == null ? () -> 0 : quarantined;
    }

    /** Runs the job every {@code delay} after the previous run ended, the first after {@code initialDelay}. */
    public ScheduledFuture<?> schedule(ScheduledExecutorService executor, long initialDelay, long delay,
            TimeUnit unit) {
        return executor.scheduleWithFixedDelay(this::runOnce, initialDelay, delay, unit);
    }

    /** Runs the job now, on this thread; never throws (but a {@link VirtualMachineError} propagates). */
    public void runOnce() {
        synchronized (running) {
            synchronized (this) {
                lastStart = clock.millis();
            }
            try {
                String result = task.run();
                synchronized (this) {
                    lastResult = result == null ? "done" : abbreviate(result);
                }
            } catch (VirtualMachineError e) {
                failed(e);
                throw e;
            } catch (Throwable e) { // a task's failure must never cancel its schedule
                failed(e);
            } finally {
                synchronized (this) {
                    runs++;
                    lastEnd = clock.millis();
                }
            }
        }
    }

    private synchronized void failed(Throwable e) {
        failures++;
        lastError = abbreviate(e.toString());
        lastErrorAt = clock.millis();
        if (!lastError.equals(lastLogged) || lastErrorAt - lastLoggedAt >= LOG_PERIOD.toMillis()) {
            lastLogged = lastError;
            lastLoggedAt = lastErrorAt;
            LOG.warn("background job {} failed; it runs again on its schedule: {}", name, lastError);
        } else {
            LOG.debug("background job {} failed again: {}", name, lastError);
        }
    }

    /** The job's name. */
    public String name() {
        return name;
    }

    /** What the job last did. */
    public JobStatus status() {
        long setAside;
        try {
            setAside = Math.max(0, quarantined.getAsLong());
        } catch (RuntimeException e) {
            setAside = 0;
        }
        synchronized (this) {
            return new JobStatus(name, runs, lastStart, lastEnd, lastResult, failures, lastError, lastErrorAt,
                    setAside);
        }
    }

    private static String abbreviate(String s) {
        String line = s.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT - 3) + "...";
    }
}
