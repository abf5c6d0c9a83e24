package io.predastore.app;

import javafx.application.Application;

/**
 * Entry point for running the app from the class path: JavaFX refuses to start an {@link Application} subclass as
 * the main class when its modules are not on the module path, so this plain class launches it.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(PredastoreApp.class, args);
    }
}
