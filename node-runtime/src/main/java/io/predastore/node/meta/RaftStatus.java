package io.predastore.node.meta;

import java.time.Duration;
import java.util.List;

/**
 * This peer's view of the metadata Raft group, for the admin API.
 *
 * @param role             this peer's role
 * @param leaderId         the leader this peer knows of, or null
 * @param term             current Raft term
 * @param commitIndex      highest log index known committed
 * @param lastAppliedIndex highest log index applied to the local database
 * @param followers        on the leader, each follower's replication progress; empty elsewhere
 */
public record RaftStatus(Role role, String leaderId, long term, long commitIndex, long lastAppliedIndex,
        List<FollowerStatus> followers) {
    public RaftStatus {
        followers = List.copyOf(followers);
    }

    /** Raft roles; LISTENER is a non-voting member. */
    public enum Role {
        LEADER,
        FOLLOWER,
        CANDIDATE,
        LISTENER
    }

    /**
     * @param id          follower id
     * @param matchIndex  highest log index known replicated on it (-1 if unknown)
     * @param lastContact time since the leader last heard from it
     */
    public record FollowerStatus(String id, long matchIndex, Duration lastContact) {
    }
}
