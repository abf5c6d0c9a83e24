package io.predastore.node.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.protocol.admin.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A scheduled job keeps its schedule when a run throws, and its status says what happened. */
class BackgroundJobTest {

    @Test
    void aRunThatThrows_doesNotCancelLaterRuns() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        BackgroundJob job = new BackgroundJob("flaky", Clock.systemUTC(), () -> {
            int n = calls.incrementAndGet();
            if (n <= 2) {
                throw new IllegalStateException("poison entry " + n);
            }
            return "run " + n;
        }, () -> 7);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            job.schedule(executor, 0, 5, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 4);
        } finally {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        JobStatus s = job.status();
        assertThat(s.name()).isEqualTo("flaky");
        assertThat(s.failures()).isEqualTo(2);
        assertThat(s.runs()).isGreaterThanOrEqualTo(4);
        assertThat(s.lastError()).contains("IllegalStateException").contains("poison entry 2");
        assertThat(s.lastResult()).startsWith("run ");
        assertThat(s.lastEndMillis()).isGreaterThanOrEqualTo(s.lastStartMillis()).isGreaterThan(0);
        assertThat(s.quarantined()).isEqualTo(7);
    }

    @Test
    void anErrorThrownByARun_isRecordedToo() {
        BackgroundJob job = new BackgroundJob("errs", Clock.systemUTC(), () -> {
            throw new AssertionError("broken invariant");
        }, null);
        job.runOnce();
        job.runOnce();
        assertThat(job.status().failures()).isEqualTo(2);
        assertThat(job.status().lastError()).contains("broken invariant");
        assertThat(job.status().lastResult()).isNull();
    }

    @Test
    void aNeverRunJob_saysSo() {
        JobStatus s = new BackgroundJob("idle", Clock.systemUTC(), () -> "x", null).status();
        assertThat(s.runs()).isZero();
        assertThat(s.lastStartMillis()).isEqualTo(-1);
        assertThat(s.lastError()).isNull();
    }
}
