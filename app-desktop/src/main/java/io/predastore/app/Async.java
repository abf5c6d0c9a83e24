package io.predastore.app;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs blocking work off the UI thread and hands the result (or a one-line error) back on the UI thread. View
 * models use it for every intent that does I/O; tests pass a direct executor for both sides.
 */
public final class Async {
    private final Executor background;
    private final Executor ui;
    private final Consumer<String> errors;

    public Async(Executor background, Executor ui, Consumer<String> errors) {
        this.background = Objects.requireNonNull(background);
        this.ui = Objects.requireNonNull(ui);
        this.errors = Objects.requireNonNull(errors);
    }

    /** Runs {@code work} in the background, then {@code onSuccess} on the UI thread; failures go to the notifier. */
    public <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess) {
        run(what, work, onSuccess, e -> { });
    }

    /** Like {@link #run(String, Callable, Consumer)}, also calling {@code onFailure} on the UI thread. */
    public <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess, Consumer<String> onFailure) {
        try {
            background.execute(() -> complete(what, work, onSuccess, onFailure));
        } catch (RejectedExecutionException e) {
            // The app is shutting down (a last snapshot can still arrive): there is nobody left to answer.
        }
    }

    private <T> void complete(String what, Callable<T> work, Consumer<? super T> onSuccess,
            Consumer<String> onFailure) {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            String message = what + " failed: " + describe(e);
            ui.execute(() -> {
                errors.accept(message);
                onFailure.accept(message);
            });
            return;
        }
        ui.execute(() -> onSuccess.accept(result));
    }

    /** Runs on the UI thread. */
    public void ui(Runnable r) {
        ui.execute(r);
    }

    /** The most useful one-line description of a failure (the innermost message, never a stack trace). */
    public static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
