package io.predastore.protocol.admin;

/**
 * A leader this node saw elected.
 *
 * @param term the Raft term of the new leader
 * @param leaderId the new leader's node id
 * @param atMillis when this node learnt of it, epoch milliseconds
 */
public record LeaderChange(long term, String leaderId, long atMillis) {
    public LeaderChange {
        Checks.nonNegative(term, "term");
        Checks.nonBlank(leaderId, "leaderId");
        Checks.nonNegative(atMillis, "atMillis");
    }
}
