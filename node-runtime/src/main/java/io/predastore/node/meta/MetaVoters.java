package io.predastore.node.meta;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How many members of the metadata group vote, in one place for the group's first start and for the membership
 * layer that keeps it so. Metadata writes wait for a majority of voters, so more voters make every write slower
 * without making the group survive more than it needs to: 5 voters survive 2 failures, 3 survive 1. Members beyond
 * them are Raft listeners, which follow the log and serve reads.
 */
public final class MetaVoters {
    /** The most voters the group keeps. */
    public static final int MAX = 5;

    private MetaVoters() {
    }

    /**
     * Voters for a group of {@code members} peers that may vote: 5 from five up, 3 for three or four (a fourth voter
     * needs a larger majority without surviving more failures), all of them below three.
     */
    public static int target(long members) {
        if (members >= MAX) {
            return MAX;
        }
        return members >= 3 ? 3 : (int) Math.max(1, members);
    }

    /**
     * The peers that vote when the group is first formed from the cluster file: {@link #target} of them, lowest node
     * id first ({@code node-2} before {@code node-10}; ids that are not {@code node-<n>} in text order). Every peer
     * computes the same set from the same file, so the first configuration agrees everywhere.
     */
    public static Set<String> initial(List<MetaPeerConfig> peers) {
        Comparator<String> order = peers.stream().allMatch(p -> isNodeId(p.id()))
                ? Comparator.comparingInt(MetaPeerConfig::nodeIdOf) : Comparator.naturalOrder();
        return peers.stream().map(MetaPeerConfig::id).sorted(order).limit(target(peers.size()))
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean isNodeId(String id) {
        try {
            MetaPeerConfig.nodeIdOf(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
