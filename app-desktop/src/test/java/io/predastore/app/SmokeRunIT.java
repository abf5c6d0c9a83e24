package io.predastore.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The headless self-test against real node processes from node-runtime's jar, as the installed app runs it. */
class SmokeRunIT {
    @Test
    @Timeout(value = 540, unit = TimeUnit.SECONDS)
    void run_realNodes_roundTripsAndStopsEveryNode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = new SmokeRun(out, Instant.now()).run();
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertThat(code).as(output).isZero();
        assertThat(output).contains("Cluster running: 5 nodes answer S3", "read back identical", "Stopped all nodes",
                "SMOKE OK");
    }
}
