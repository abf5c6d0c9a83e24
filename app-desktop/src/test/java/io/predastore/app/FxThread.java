package io.predastore.app;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.testfx.util.WaitForAsyncUtils;

/** Runs test code on the JavaFX application thread and waits for it, as the app's UI tests need. */
public final class FxThread {
    /** Generous: the FX thread never blocks on I/O, but a machine shared with other builds can starve it. */
    private static final long TIMEOUT_SECONDS = 60;

    private FxThread() {
    }

    /** Calls {@code call} on the FX thread and returns its result. */
    public static <T> T fx(Callable<T> call) throws Exception {
        return WaitForAsyncUtils.asyncFx(call).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Runs {@code r} on the FX thread and waits until it is done. */
    public static void fxRun(Runnable r) throws Exception {
        fx(() -> {
            r.run();
            return null;
        });
    }
}
