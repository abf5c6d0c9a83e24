package io.predastore.protocol.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The metadata Raft group as one node sees it ({@code GET /admin/v1/raft}).
 *
 * @param leaderId the current leader, or null while there is none
 * @param term current term
 * @param commitIndex highest committed log index
 * @param lastAppliedIndex highest log index applied on the answering node
 * @param selfRole the answering node's role
 * @param peers every member of the group, the answering node included
 * @param leaderChanges leaders the answering node saw elected, oldest first (a bounded recent history)
 */
public record RaftGroupStatus(String leaderId, long term, long commitIndex, long lastAppliedIndex, RaftRole selfRole,
        List<RaftPeerStatus> peers, List<LeaderChange> leaderChanges) {
    public RaftGroupStatus {
        if (leaderId != null) {
            Checks.nonBlank(leaderId, "leaderId");
        }
        Checks.nonNegative(term, "term");
        if (commitIndex < -1 || lastAppliedIndex < -1) {
            throw new IllegalArgumentException("commitIndex and lastAppliedIndex must be -1 (none) or more, not "
                    + commitIndex + " and " + lastAppliedIndex);
        }
        Objects.requireNonNull(selfRole, "selfRole");
        peers = Checks.list(peers, "peers");
        leaderChanges = Checks.list(leaderChanges, "leaderChanges");
        Set<String> ids = new HashSet<>();
        for (RaftPeerStatus p : peers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("Peer " + p.id() + " is listed twice");
            }
        }
    }
}
