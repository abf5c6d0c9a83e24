package io.predastore.protocol.admin;

/**
 * The current metadata Raft leader ({@code GET /v1/leader}).
 *
 * @param leaderId leader node id
 * @param address its Raft address {@code host:port}, or null if the answering node does not know it
 */
public record LeaderInfo(String leaderId, String address) {
    public LeaderInfo {
        Checks.nonBlank(leaderId, "leaderId");
    }
}
