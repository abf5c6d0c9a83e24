package io.predastore.node.supervisor;

/**
 * Told about every state change of a supervised node, in order, on the supervisor's executor (never while the
 * supervisor holds its lock, so calling back into it is fine). UI code should hand the event over to its own thread.
 */
@FunctionalInterface
public interface NodeStateListener {
    void stateChanged(NodeProcessStatus previous, NodeProcessStatus current);
}
