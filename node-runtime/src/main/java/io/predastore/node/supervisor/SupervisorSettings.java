package io.predastore.node.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the supervisor runs processes.
 *
 * @param javaExecutable the {@code java} launcher
 * @param maxHeap        the {@code -Xmx} value, e.g. {@code 256m}, unless the launch spec sets one
 * @param startTimeout   how long a node may take to become ready before it is killed and marked FAILED
 * @param stopTimeout    how long after SIGTERM before SIGKILL
 * @param pollInterval   how often readiness is checked
 */
public record SupervisorSettings(Path javaExecutable, String maxHeap, Duration startTimeout, Duration stopTimeout,
        Duration pollInterval) {

    public SupervisorSettings {
        Objects.requireNonNull(javaExecutable, "javaExecutable");
        Objects.requireNonNull(maxHeap, "maxHeap");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** The current JVM's {@code java}, 256m heap, 60 s to start, 10 s to stop, readiness checked every 100 ms. */
    public static SupervisorSettings defaults() {
        return new SupervisorSettings(currentJava(), "256m", Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofMillis(100));
    }

    public SupervisorSettings withMaxHeap(String heap) {
        return new SupervisorSettings(javaExecutable, heap, startTimeout, stopTimeout, pollInterval);
    }

    public SupervisorSettings withStartTimeout(Duration timeout) {
        return new SupervisorSettings(javaExecutable, maxHeap, timeout, stopTimeout, pollInterval);
    }

    public SupervisorSettings withStopTimeout(Duration timeout) {
        return new SupervisorSettings(javaExecutable, maxHeap, startTimeout, timeout, pollInterval);
    }

    /** {@code java.home/bin/java} when present, else the current process's launcher if it is {@code java}. */
    public static Path currentJava() {
        String exe = System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java";
        Path home = Path.of(System.getProperty("java.home"), "bin", exe);
        if (Files.isExecutable(home)) {
            return home;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("java"))
                .orElse(Path.of(exe));
    }
}
