package io.predastore.app;

import java.util.ArrayList;
import java.util.List;

/** Runs everything on the calling thread and records errors. */
public final class DirectAsync {
    private DirectAsync() {
    }

    public static Async create(List<String> errors) {
        return new Async(Runnable::run, Runnable::run, errors::add);
    }

    public static Async create() {
        return create(new ArrayList<>());
    }
}
