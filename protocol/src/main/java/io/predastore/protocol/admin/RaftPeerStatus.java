package io.predastore.protocol.admin;

import java.util.Objects;

/**
 * One member of the metadata Raft group as the answering node sees it.
 *
 * @param id node id
 * @param address the peer's Raft address, {@code host:port}
 * @param role its role as far as known
 * @param matchIndex highest log index known replicated on it; -1 if unknown (only the leader knows)
 * @param lagEntries how many committed entries it is behind; 0 if unknown or up to date
 * @param lastContactMillis milliseconds since the leader last heard from it, or null if unknown
 */
public record RaftPeerStatus(String id, String address, RaftRole role, long matchIndex, long lagEntries,
        Long lastContactMillis) {
    public RaftPeerStatus {
        Checks.nonBlank(id, "id");
        Checks.nonBlank(address, "address");
        Objects.requireNonNull(role, "role");
        if (matchIndex < -1) {
            throw new IllegalArgumentException("matchIndex must be -1 (unknown) or more, not " + matchIndex);
        }
        Checks.nonNegative(lagEntries, "lagEntries");
        Checks.nonNegative(lastContactMillis, "lastContactMillis");
    }
}
