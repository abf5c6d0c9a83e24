package io.predastore.app.task;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Task;

/**
 * The app's {@link Async}: every call becomes a JavaFX {@link Task} run on the given background executor, so its
 * state changes and its success or failure handlers run on the FX thread as JavaFX defines them. Failures are shown
 * through the {@link Notifier} as one line.
 *
 * <p>Why a {@code Task} per call rather than a {@link javafx.concurrent.Service}: a {@code Service} runs one task at a
 * time ({@code start()} refuses while one runs, {@code restart()} cancels it), but the view models' calls are
 * independent and often overlap (a listing while an upload runs; a start of one node while another stops). The work is the caller's
 * {@link Callable}; a transfer that needs cancel and progress carries its own thread-safe state
 * ({@code service.Transfer}), which its row shows.
 *
 * <p>Thread-safe: {@link #run} may be called from any thread; handlers run on the FX thread.
 */
public final class FxTasks implements Async {
    private final Executor background;
    private final Notifier notifier;

    /** Runs tasks on {@code background}; a rejected task (the executor shut down with the app) is dropped. */
    public FxTasks(Executor background, Notifier notifier) {
        this.background = Objects.requireNonNull(background);
        this.notifier = Objects.requireNonNull(notifier);
    }

    @Override
    public <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess, Consumer<String> onFailure) {
        Task<T> task = task(work);
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> {
            String message = Async.failure(what, task.getException());
            notifier.error(message);
            onFailure.accept(message);
        });
        try {
            background.execute(task);
        } catch (RejectedExecutionException e) {
            // The app is shutting down (a last snapshot can still arrive): there is nobody left to answer.
        }
    }

    @Override
    public void ui(Runnable r) {
        Platform.runLater(r);
    }

    private static <T> Task<T> task(Callable<T> work) {
        return new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
    }
}
