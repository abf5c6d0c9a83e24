package io.predastore.app;

import java.util.Arrays;
import javafx.application.Application;

/**
 * Entry point for running the app from the class path: JavaFX refuses to start an {@link Application} subclass as
 * the main class when its modules are not on the module path, so this plain class launches it. With
 * {@value SmokeRun#FLAG} it runs the headless {@link SmokeRun} instead and exits with its result.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains(SmokeRun.FLAG)) {
            System.exit(SmokeRun.run(System.out));
        }
        Application.launch(PredastoreApp.class, args);
    }
}
