package io.predastore.app.raft;

/** One peer of the metadata Raft group as the leader sees it. */
public record PeerRow(String id, String address, String role, boolean leader, String matchIndex, String lag,
        String lastContact) {
}
