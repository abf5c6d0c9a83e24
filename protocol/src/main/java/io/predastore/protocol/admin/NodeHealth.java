package io.predastore.protocol.admin;

/**
 * Whether a node is reachable, as the answering node sees it.
 *
 * @param id node id
 * @param alive whether it answered recently
 * @param lastSeenMillis when it last answered, epoch milliseconds, or null if never
 * @param reason why it is considered down (e.g. "connection refused"), or null when alive
 */
public record NodeHealth(String id, boolean alive, Long lastSeenMillis, String reason) {
    public NodeHealth {
        Checks.nonBlank(id, "id");
        Checks.nonNegative(lastSeenMillis, "lastSeenMillis");
    }
}
