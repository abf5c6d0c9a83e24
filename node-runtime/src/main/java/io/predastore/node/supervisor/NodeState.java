package io.predastore.node.supervisor;

/** Where a supervised node process is in its life. */
public enum NodeState {
    /** Not running: never started, or stopped on request (then with the exit code). */
    STOPPED,
    /** The process runs but has not shown that it serves S3 yet. */
    STARTING,
    /** The process serves S3. */
    RUNNING,
    /** Asked to stop (SIGTERM); SIGKILL follows after the stop timeout. */
    STOPPING,
    /** Could not be launched, exited before it was ready, or was not ready in time. */
    FAILED,
    /** Exited without being asked to stop, or was killed; see the exit code. */
    EXITED;

    /** Whether a process may be alive in this state. */
    public boolean isActive() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
