package io.predastore.node.store.cluster;

/**
 * What one round of shard repair did with the entries of the {@code repairs} table.
 *
 * @param repaired shard sets whose missing shards were rebuilt and committed (their entries removed)
 * @param dropped entries removed without a rebuild: their set is no longer used by any object, or already whole
 * @param pending entries left for a later round (not enough live nodes, too few readable shards, a failure, or a
 *     set that may still become used)
 * @param quarantined entries that do not decode, moved to the quarantine table
 */
public record RepairRound(int repaired, int dropped, int pending, int quarantined) {
    /** A round that did not run (this node does not repair now, or none was due). */
    public static final RepairRound NONE = new RepairRound(0, 0, 0, 0);

    /** A round that set nothing aside. */
    public RepairRound(int repaired, int dropped, int pending) {
        this(repaired, dropped, pending, 0);
    }

    @Override
    public String toString() {
        return repaired + " repaired, " + dropped + " dropped, " + pending + " pending, " + quarantined
                + " quarantined";
    }
}
