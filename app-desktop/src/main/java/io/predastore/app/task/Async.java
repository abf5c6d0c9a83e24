package io.predastore.app.task;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * How a view model runs blocking work: off the UI thread, with the result (or a one-line error) handed back on the
 * UI thread. The app runs each call as a JavaFX {@link javafx.concurrent.Task} ({@link FxTasks}); unit tests of the
 * view models pass an implementation that runs everything on the calling thread, so they need no FX toolkit.
 *
 * <p>Implementations never throw from {@code run}: a failure of the work reaches the {@link Notifier} and
 * {@code onFailure}, and work offered while the app shuts down is dropped.
 */
public interface Async {
    /**
     * Runs {@code work} in the background, then {@code onSuccess} on the UI thread; a failure is shown to the user
     * as "{@code what} failed: reason" and also passed, as that text, to {@code onFailure} on the UI thread.
     */
    <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess, Consumer<String> onFailure);

    /** Like {@link #run(String, Callable, Consumer, Consumer)} with nothing more to do on failure. */
    default <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess) {
        run(what, work, onSuccess, message -> { });
    }

    /** Runs {@code r} on the UI thread, after the updates already queued there. */
    void ui(Runnable r);

    /** The message shown when the work described by {@code what} failed with {@code e}. */
    static String failure(String what, Throwable e) {
        return what + " failed: " + describe(e);
    }

    /** The most useful one-line description of a failure (the innermost message, never a stack trace). */
    static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
