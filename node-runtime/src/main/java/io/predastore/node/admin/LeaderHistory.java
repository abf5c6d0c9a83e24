package io.predastore.node.admin;

import io.predastore.protocol.admin.LeaderChange;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The recent leaders of the metadata Raft group as this node saw them, for
 * {@link io.predastore.protocol.admin.RaftGroupStatus#leaderChanges()}. The runtime calls {@link #observe} whenever
 * it reads the Raft status; a change is recorded when the (term, leader) pair differs from the last one. Keeps the
 * most recent {@code capacity} changes. Thread-safe.
 */
public final class LeaderHistory {
    private final int capacity;
    private final ArrayDeque<LeaderChange> changes = new ArrayDeque<>();

    public LeaderHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Records the leader of {@code term} if it is new.
     *
     * @param leaderId the current leader, or null if there is none (not recorded)
     * @return true if a change was recorded
     */
    public synchronized boolean observe(long term, String leaderId, long atMillis) {
        if (leaderId == null || leaderId.isBlank()) {
            return false;
        }
        LeaderChange last = changes.peekLast();
        if (last != null && (last.term() > term || (last.term() == term && last.leaderId().equals(leaderId)))) {
            return false;
        }
        if (last != null && last.term() == term && !Objects.equals(last.leaderId(), leaderId)) {
            // Raft elects at most one leader per term; a different id means our earlier view was stale.
            changes.pollLast();
        }
        changes.addLast(new LeaderChange(term, leaderId, atMillis));
        while (changes.size() > capacity) {
            changes.pollFirst();
        }
        return true;
    }

    /** The recorded changes, oldest first. */
    public synchronized List<LeaderChange> changes() {
        return List.copyOf(changes);
    }
}
