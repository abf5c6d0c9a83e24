package io.predastore.app.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** An {@link Async} for view-model tests: runs everything on the calling thread and records the errors shown. */
public final class DirectAsync implements Async {
    private final List<String> errors;

    private DirectAsync(List<String> errors) {
        this.errors = errors;
    }

    public static Async create(List<String> errors) {
        return new DirectAsync(errors);
    }

    public static Async create() {
        return create(new ArrayList<>());
    }

    @Override
    public <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess, Consumer<String> onFailure) {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            String message = Async.failure(what, e);
            errors.add(message);
            onFailure.accept(message);
            return;
        }
        onSuccess.accept(result);
    }

    @Override
    public void ui(Runnable r) {
        r.run();
    }
}
