package io.predastore.app.raft;

/** One leader change: when, which term, who. */
public record LeaderChangeRow(String at, long term, String leaderId) {
}
