package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaEntry;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which the repair engine rebuilds the sets of a slice of its queue: the sets with the fewest healthy
 * shards first, so those closest to being unreadable are re-protected before the others. Stateless.
 */
final class RepairPriority {
    private RepairPriority() {
    }

    /**
     * The entries ordered by how many healthy shards their sets have left, fewest first (shards never written, to
     * rebuild, or on nodes not in {@code liveNodes} count as not healthy); ties keep the table's order. An entry
     * that does not decode goes first: setting it aside is cheap.
     */
    static List<MetaEntry> order(List<MetaEntry> entries, List<Integer> liveNodes) {
        Set<Integer> live = new HashSet<>(liveNodes);
        List<Map.Entry<Integer, MetaEntry>> keyed = new ArrayList<>(entries.size());
        for (MetaEntry e : entries) {
            int healthy;
            try {
                healthy = healthyShards(ClusterRecords.decodeRepair(e.value()), live);
            } catch (IOException | RuntimeException bad) {
                healthy = -1;
            }
            keyed.add(Map.entry(healthy, e));
        }
        keyed.sort(Map.Entry.comparingByKey()); // stable
        return keyed.stream().map(Map.Entry::getValue).toList();
    }

    /** Shards of the entry's set that are written, not to be rebuilt, and on a live node. */
    static int healthyShards(RepairNeeded r, Set<Integer> live) {
        ShardSet set = r.set();
        int healthy = 0;
        for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
            if (!set.isMissing(i) && !r.corrupt().contains(i) && !r.lost().contains(i) && live.contains(set.node(i))) {
                healthy++;
            }
        }
        return healthy;
    }
}
