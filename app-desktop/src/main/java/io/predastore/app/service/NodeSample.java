package io.predastore.app.service;

import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.NodeStatus;

/**
 * One node's answers in a poll.
 *
 * @param nodeId   the node's id in the cluster file
 * @param status   its {@code /admin/v1/status}, or null if it did not answer
 * @param counters its {@code /admin/v1/counters}, or null
 * @param error    why it did not answer, or null
 */
public record NodeSample(int nodeId, NodeStatus status, Counters counters, String error) {
    public boolean reachable() {
        return status != null;
    }
}
