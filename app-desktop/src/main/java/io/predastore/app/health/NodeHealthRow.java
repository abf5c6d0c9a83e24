package io.predastore.app.health;

/**
 * One node in the health screen: whether it is up, down or declared lost, and how far its scrubber has got.
 *
 * @param nodeId        the node ({@code node-N})
 * @param state         {@code up}, {@code down 5 min} or {@code lost (down 2 h)}
 * @param down          whether it is down or lost, for the row's colour
 * @param shards        shards the object records place on it, or -1 when unknown
 * @param scrubProgress the current pass's share verified, 0 to 1, or -1 when unknown
 * @param verified      bytes verified of the pass's total, or why there is nothing to show
 * @param lastFullPass  when the last full pass ended, e.g. {@code 2 h ago}, or {@code never}
 * @param corruptions   shards found corrupt or missing in all passes, or -1 when unknown
 */
public record NodeHealthRow(String nodeId, String state, boolean down, long shards, double scrubProgress,
        String verified, String lastFullPass, long corruptions) {
}
