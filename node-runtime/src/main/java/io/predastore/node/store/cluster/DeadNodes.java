package io.predastore.node.store.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which nodes the node that repairs (the metadata leader) counts as down, since when, and which it declares lost.
 * A node is down while its router does not see it alive; it is down since this node's router last saw it answer
 * (pings, since this process started), or, if it never did, since this node took the role: a node already down when
 * the leader changed to a freshly started node is given the whole grace again, as nothing here knows since when it
 * has been down. It is lost once down for {@code dead_node_grace_ms} (never with 0):
 * its shards are then rebuilt on other nodes. A lost node that answers again is not lost any more. Thread-safe.
 */
final class DeadNodes {
    private final ShardRouter router;
    private final Clock clock;
    private final Duration grace;
    private Instant activeSince;

    /**
     * @param grace how long a node may be down before it is declared lost; zero for never
     */
    DeadNodes(ShardRouter router, Clock clock, Duration grace) {
        this.router = router;
        this.clock = clock;
        this.grace = grace;
    }

    /** Notes whether this node is the one that repairs: the time a node is down for is counted from then at most. */
    synchronized void active(boolean active) {
        if (!active) {
            activeSince = null;
        } else if (activeSince == null) {
            activeSince = clock.instant();
        }
    }

    /** Since when {@code node} has been down, or null if it is alive now. */
    synchronized Instant downSince(int node) {
        if (router.liveNodes().contains(node)) {
            return null;
        }
        Instant start = activeSince == null ? clock.instant() : activeSince;
        return router.lastSeen(node).orElse(start);
    }

    /** Whether {@code node} has been down longer than the grace. */
    boolean isLost(int node) {
        if (grace.isZero()) {
            return false;
        }
        Instant since = downSince(node);
        return since != null && !clock.instant().isBefore(since.plus(grace));
    }

    /** The nodes lost now. */
    Set<Integer> lost() {
        Set<Integer> lost = new HashSet<>();
        for (int node : router.allNodes()) {
            if (isLost(node)) {
                lost.add(node);
            }
        }
        return lost;
    }

    /** Every node of the cluster. */
    List<Integer> all() {
        return router.allNodes();
    }
}
