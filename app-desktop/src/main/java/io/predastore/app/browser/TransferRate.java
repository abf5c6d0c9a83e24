package io.predastore.app.browser;

import io.predastore.app.format.ByteSize;
import java.time.Duration;

/** Formats an upload's progress and average speed for its row, e.g. {@code 12.0 MiB of 64.0 MiB, 6.0 MiB/s}. */
public final class TransferRate {
    private TransferRate() {
    }

    /** Bytes per second over {@code elapsed}; 0 before any time passed. */
    public static double bytesPerSecond(long bytes, Duration elapsed) {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
    }

    /** {@code sent of total, speed/s}. */
    public static String describe(long sent, long total, Duration elapsed) {
        return ByteSize.format(sent) + " of " + ByteSize.format(total) + ", "
                + ByteSize.perSecond(Math.round(bytesPerSecond(sent, elapsed)));
    }
}
