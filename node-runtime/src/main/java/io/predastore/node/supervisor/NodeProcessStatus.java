package io.predastore.node.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A snapshot of one supervised node.
 *
 * @param nodeId    the node's id
 * @param state     its state
 * @param pid       the process id, or -1 when no process is (or was) attached
 * @param startedAt when the current (or last) process was launched, or null
 * @param exitCode  the last process's exit code, or null while it runs or before the first exit
 * @param detail    a human-readable reason for FAILED/EXITED states, or null
 * @param logFile   the file the process writes its output to, or null before the first start
 */
public record NodeProcessStatus(int nodeId, NodeState state, long pid, Instant startedAt, Integer exitCode, String detail,
        Path logFile) {

    /** A node that was never started. */
    public static NodeProcessStatus stopped(int nodeId) {
        return new NodeProcessStatus(nodeId, NodeState.STOPPED, -1, null, null, null, null);
    }

    public OptionalLong pidIfAny() {
        return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    public OptionalInt exitCodeIfAny() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** How long the process has been up at {@code now}; zero unless STARTING, RUNNING or STOPPING. */
    public Duration uptime(Instant now) {
        if (startedAt == null || !state.isActive()) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(startedAt, now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
