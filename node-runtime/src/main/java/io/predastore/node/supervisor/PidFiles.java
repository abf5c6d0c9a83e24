package io.predastore.node.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pid files in {@code <clusterDir>/run/node-N.pid}, which let one process stop or inspect nodes another process
 * started. A pid file holds the pid, on a second line the process's start time in epoch milliseconds, and on Linux a
 * third line with its start in clock ticks since boot, so that a reused pid is not mistaken for the node.
 *
 * <p>The ticks decide when both sides have them. The JDK reports a start time only as a wall-clock instant, derived
 * from the boot time each JVM reads once; once the system clock is stepped, a JVM started later computes every start
 * time that many seconds apart from what the writer recorded. Taking a running node for a gone one is costly:
 * {@code cluster up} starts a second process on the same data, and {@code cluster down} leaves the node running and
 * deletes its pid file.
 */
public final class PidFiles {
    private PidFiles() {
    }

    /** What {@link #stopAll} did for one node. */
    public enum StopOutcome {
        /** No pid file, or its process was already gone (the stale file is removed). */
        NOT_RUNNING,
        /** Exited after SIGTERM. */
        STOPPED,
        /** Still alive after the timeout, so it got SIGKILL. */
        KILLED
    }

    public static Path runDir(Path clusterDir) {
        return clusterDir.resolve("run");
    }

    public static Path pidFile(Path clusterDir, int nodeId) {
        return runDir(clusterDir).resolve("node-" + nodeId + ".pid");
    }

    static void write(Path clusterDir, int nodeId, ProcessHandle process) throws IOException {
        Path file = pidFile(clusterDir, nodeId);
        Files.createDirectories(file.getParent());
        String text = process.pid() + "\n"
                + process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("") + "\n"
                + startTicks(process.pid()).map(String::valueOf).orElse("") + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the pid file if it still names {@code pid}. */
    static void removeIfOwned(Path clusterDir, int nodeId, long pid) {
        Path file = pidFile(clusterDir, nodeId);
        try {
            List<String> lines = Files.readAllLines(file);
            if (!lines.isEmpty() && lines.get(0).trim().equals(Long.toString(pid))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Gone already or unreadable: nothing to clean up.
        }
    }

    /** The pid written in the node's pid file, if there is one. */
    public static Optional<Long> readPid(Path clusterDir, int nodeId) {
        try {
            List<String> lines = Files.readAllLines(pidFile(clusterDir, nodeId));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live process named by the node's pid file, checking its start time so a reused pid does not match. */
    public static Optional<ProcessHandle> liveProcess(Path clusterDir, int nodeId) {
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile(clusterDir, nodeId));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return handle;
        }
        // A pid file this class did not write whole (edited, truncated) names no node it can vouch for.
        Optional<Long> recordedTicks = lines.size() >= 3 ? number(lines.get(2)) : Optional.empty();
        if (recordedTicks.isPresent()) {
            Optional<Long> ticks = startTicks(pid);
            if (ticks.isPresent()) {
                return ticks.get().equals(recordedTicks.get()) ? handle : Optional.empty();
            }
        } else if (lines.size() >= 3 && !lines.get(2).isBlank()) {
            return Optional.empty();
        }
        if (lines.size() < 2 || lines.get(1).isBlank()) {
            return handle;
        }
        Optional<Long> recordedStart = number(lines.get(1));
        if (recordedStart.isEmpty()) {
            return Optional.empty();
        }
        long recorded = recordedStart.get();
        Optional<Instant> actual = handle.get().info().startInstant();
        // Start times are reported with coarse precision on some systems; allow a little slack.
        if (actual.isPresent() && Math.abs(actual.get().toEpochMilli() - recorded) > 2_000) {
            return Optional.empty();
        }
        return handle;
    }

    private static Optional<Long> number(String line) {
        try {
            return line.isBlank() ? Optional.empty() : Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * When process {@code pid} started, in clock ticks since boot: field 22 of {@code /proc/PID/stat} (after the
     * command name, which may hold spaces and parentheses, hence the last {@code ')'}). Empty where there is no
     * {@code /proc}.
     */
    static Optional<Long> startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Optional.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops nodes started by another process: SIGTERM to every live one, waits up to {@code timeout} for all of
     * them, SIGKILL to stragglers, and removes the pid files.
     */
    public static Map<Integer, StopOutcome> stopAll(Path clusterDir, List<Integer> nodeIds, Duration timeout)
            throws InterruptedException {
        Map<Integer, StopOutcome> outcomes = new LinkedHashMap<>();
        Map<Integer, ProcessHandle> live = new LinkedHashMap<>();
        for (int id : nodeIds) {
            Optional<ProcessHandle> handle = liveProcess(clusterDir, id);
            if (handle.isPresent()) {
                handle.get().destroy();
                live.put(id, handle.get());
            } else {
                outcomes.put(id, StopOutcome.NOT_RUNNING);
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<Integer, ProcessHandle> entry : live.entrySet()) {
            ProcessHandle handle = entry.getValue();
            while (handle.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (handle.isAlive()) {
                handle.destroyForcibly();
                long killDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (handle.isAlive() && System.nanoTime() < killDeadline) {
                    Thread.sleep(20);
                }
                outcomes.put(entry.getKey(), StopOutcome.KILLED);
            } else {
                outcomes.put(entry.getKey(), StopOutcome.STOPPED);
            }
        }
        for (int id : nodeIds) {
            try {
                Files.deleteIfExists(pidFile(clusterDir, id));
            } catch (IOException e) {
                // Left behind; liveProcess ignores a pid file whose process is gone.
            }
        }
        Map<Integer, StopOutcome> ordered = new LinkedHashMap<>();
        nodeIds.forEach(id -> ordered.put(id, outcomes.get(id)));
        return ordered;
    }

    /**
     * SIGKILL to a node started by another process, without the chance to stop cleanly (a crash, for tests of what
     * the others do then); waits up to 5 s for it to be gone and removes its pid file.
     */
    public static StopOutcome kill(Path clusterDir, int nodeId) throws InterruptedException {
        Optional<ProcessHandle> handle = liveProcess(clusterDir, nodeId);
        StopOutcome outcome = StopOutcome.NOT_RUNNING;
        if (handle.isPresent()) {
            handle.get().destroyForcibly();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (handle.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            outcome = StopOutcome.KILLED;
        }
        try {
            Files.deleteIfExists(pidFile(clusterDir, nodeId));
        } catch (IOException e) {
            // Left behind; liveProcess ignores a pid file whose process is gone.
        }
        return outcome;
    }
}
