package io.predastore.protocol.admin;

/**
 * How far one node's scrubber (which re-reads the node's own shards and checks their checksums) has got. Times are
 * epoch milliseconds, -1 for never.
 *
 * @param nodeId            the node
 * @param passBytesVerified bytes verified in the current pass
 * @param passBytesTotal    bytes of shards the node held when the pass started
 * @param passesCompleted   full passes completed since the node's data directory was created
 * @param lastFullPassMillis when the last full pass ended
 * @param corruptionsFound  shards found corrupt or missing from their segment, in all passes
 * @param bytesPerSecond    the pace it is limited to ({@code scrub_bytes_per_second}); 0 when scrubbing is off
 * @param updatedMillis     when the node last reported its progress
 */
public record ScrubProgress(String nodeId, long passBytesVerified, long passBytesTotal, long passesCompleted,
        long lastFullPassMillis, long corruptionsFound, long bytesPerSecond, long updatedMillis) {
    public ScrubProgress {
        Checks.nonBlank(nodeId, "nodeId");
        Checks.nonNegative(passBytesVerified, "passBytesVerified");
        Checks.nonNegative(passBytesTotal, "passBytesTotal");
        Checks.nonNegative(passesCompleted, "passesCompleted");
        Checks.nonNegative(corruptionsFound, "corruptionsFound");
        Checks.nonNegative(bytesPerSecond, "bytesPerSecond");
    }
}
