package io.predastore.app;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What closing the main window does to the local nodes the app started: with none running the window just closes
 * (and stops nothing); otherwise the user chooses to stop them, leave them running, or not close. UI thread only.
 */
public final class ExitViewModel {
    /** The user's answer to "Stop the local nodes or leave them running?". */
    public enum Choice {
        STOP, LEAVE_RUNNING, CANCEL
    }

    /** What to do with the close request. */
    public enum Plan {
        /** Close the window and stop the nodes the app started. */
        CLOSE_AND_STOP_NODES,
        /** Close the window and leave the nodes running (stop watching them only). */
        CLOSE_AND_LEAVE_NODES,
        /** Keep the window open. */
        STAY_OPEN
    }

    private final BooleanSupplier nodesRunning;
    private Plan plan = Plan.CLOSE_AND_STOP_NODES;

    /** @param nodesRunning whether the app's supervisor has local nodes that may still be running */
    public ExitViewModel(BooleanSupplier nodesRunning) {
        this.nodesRunning = Objects.requireNonNull(nodesRunning);
    }

    /** The plan for a close request given whether nodes run and the user's answer (null: dialog dismissed). */
    public static Plan plan(boolean nodesRunning, Choice answer) {
        if (!nodesRunning) {
            return Plan.CLOSE_AND_STOP_NODES;
        }
        if (answer == null) {
            return Plan.STAY_OPEN;
        }
        return switch (answer) {
            case STOP -> Plan.CLOSE_AND_STOP_NODES;
            case LEAVE_RUNNING -> Plan.CLOSE_AND_LEAVE_NODES;
            case CANCEL -> Plan.STAY_OPEN;
        };
    }

    /** The window is asked to close: asks the user only when nodes run, remembers and returns the plan. */
    public Plan closeRequested(Supplier<Choice> ask) {
        boolean running = nodesRunning.getAsBoolean();
        plan = plan(running, running ? ask.get() : null);
        return plan;
    }

    /** Whether the app should stop its nodes on exit (true unless the user chose to leave them running). */
    public boolean stopNodesOnExit() {
        return plan != Plan.CLOSE_AND_LEAVE_NODES;
    }
}
