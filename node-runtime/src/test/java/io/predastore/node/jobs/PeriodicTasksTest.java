package io.predastore.node.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every periodic task of a node goes through {@link BackgroundJob}: a task handed straight to
 * {@code scheduleWithFixedDelay} or {@code scheduleAtFixedRate} stops for good, silently, the first time it throws.
 */
class PeriodicTasksTest {
    private static final Pattern RAW_SCHEDULE = Pattern.compile("\\.schedule(WithFixedDelay|AtFixedRate)\\(");
    /**
     * The cluster supervisor's readiness poll, which runs in the CLI and desktop app rather than a node and
     * cancels itself once the node is ready or has failed.
     */
    private static final Set<String> ALLOWED = Set.of("BackgroundJob.java", "NodeSupervisor.java");

    @Test
    void noPeriodicTaskIsScheduledWithoutAGuard() throws IOException {
        Path main = Path.of("src", "main", "java");
        assertThat(main).isDirectory();
        List<String> raw;
        try (Stream<Path> files = Files.walk(main)) {
            raw = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !ALLOWED.contains(p.getFileName().toString()))
                    .filter(p -> {
                        try {
                            return RAW_SCHEDULE.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(p -> main.relativize(p).toString()).toList();
        }
        assertThat(raw).as("files that schedule a periodic task without a BackgroundJob").isEmpty();
    }
}
