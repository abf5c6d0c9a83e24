package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The repair queue counted for the protection report: entries of the {@code repairs} table, the object bytes their
 * sets cover, and entries by {@link RepairCause#label}. Memory is one page of entries and a few counters. Not
 * thread-safe: made and read by one caller.
 */
final class RepairQueueCount {
    private static final int PAGE = 100;

    long sets;
    long bytes;
    final Map<String, Long> byCause = new TreeMap<>();

    private RepairQueueCount() {
    }

    /**
     * Counts the whole table; an entry that does not decode counts as a set (the repair engine sets it aside).
     *
     * @throws IOException if the metadata store cannot be read
     */
    static RepairQueueCount of(MetadataStore meta) throws IOException {
        RepairQueueCount count = new RepairQueueCount();
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = meta.scan(MetaTable.REPAIRS, new byte[0], from, PAGE);
            for (MetaEntry e : page) {
                try {
                    count.add(ClusterRecords.decodeRepair(e.value()));
                } catch (IOException | RuntimeException bad) {
                    count.sets++;
                }
            }
            if (page.size() < PAGE) {
                return count;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
    }

    private void add(RepairNeeded r) {
        sets++;
        bytes += r.set().length();
        for (RepairCause c : r.causes()) {
            byCause.merge(c.label(), 1L, Long::sum);
        }
    }
}
