package io.predastore.app.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs on the real FX toolkit (headless Monocle, as configured for the module's tests). */
class FxTasksTest {
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> infos = new CopyOnWriteArrayList<>();
    private final Notifier notifier = new Notifier() {
        @Override
        public void error(String message) {
            errors.add(message + (Platform.isFxApplicationThread() ? "" : " (off the FX thread)"));
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }
    };
    private final FxTasks tasks = new FxTasks(background, notifier);

    @BeforeAll
    static void startToolkit() {
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyRunning) {
            // Another test in this JVM started it; the toolkit runs once per process.
        }
    }

    @AfterEach
    void stopExecutor() throws InterruptedException {
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void run_success_runsTheWorkInTheBackgroundAndHandsTheResultToTheFxThread() throws Exception {
        CompletableFuture<String> workThread = new CompletableFuture<>();
        CompletableFuture<String> result = new CompletableFuture<>();

        tasks.run("Listing buckets", () -> {
            workThread.complete(Thread.currentThread().getName());
            return Platform.isFxApplicationThread() ? "on the FX thread" : "answer";
        }, value -> result.complete(value + (Platform.isFxApplicationThread() ? "" : " off the FX thread")));

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(workThread.get()).doesNotContain("JavaFX Application Thread");
        assertThat(errors).isEmpty();
    }

    @Test
    void run_failure_showsOneLineAndCallsOnFailureOnTheFxThread() throws Exception {
        CompletableFuture<String> failure = new CompletableFuture<>();

        tasks.run("Creating bucket photos", () -> {
            throw new ExecutionException(new IOException("the node refused: bucket exists"));
        }, value -> failure.complete("succeeded?"), message -> failure.complete(message
                + (Platform.isFxApplicationThread() ? "" : " (off the FX thread)")));

        assertThat(failure.get(10, TimeUnit.SECONDS))
                .isEqualTo("Creating bucket photos failed: the node refused: bucket exists");
        assertThat(errors).containsExactly("Creating bucket photos failed: the node refused: bucket exists");
        assertThat(infos).isEmpty();
    }

    @Test
    void run_afterTheExecutorShutDown_dropsTheWorkQuietly() throws Exception {
        FxTasks closed = new FxTasks(command -> {
            throw new RejectedExecutionException("shut down");
        }, notifier);
        List<String> calls = new CopyOnWriteArrayList<>();

        closed.run("Reading the log of node 1", () -> "log", calls::add, calls::add);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Platform.runLater(() -> drained.complete(null));
        drained.get(10, TimeUnit.SECONDS);

        assertThat(calls).isEmpty();
        assertThat(errors).isEmpty();
    }

    @Test
    void ui_runsOnTheFxThread() throws Exception {
        CompletableFuture<Boolean> onFx = new CompletableFuture<>();

        tasks.ui(() -> onFx.complete(Platform.isFxApplicationThread()));

        assertThat(onFx.get(10, TimeUnit.SECONDS)).isTrue();
    }
}
