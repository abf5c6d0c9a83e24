package io.predastore.node.meta;

/**
 * The metadata tables. Keys and values are opaque bytes to the store; the storage backends encode them (the shared
 * record codecs are in {@code io.predastore.node.store.meta}).
 */
public enum MetaTable {
    BUCKETS,
    OBJECTS,
    UPLOADS,
    PARTS,
    NODES,
    TOMBSTONES,
    /** Shard sets stored with shards missing under a lowered write quorum, by set id, waiting for repair. */
    REPAIRS,
    /**
     * Entries a background job could not process (they do not decode), moved here from their table so that the
     * job goes on with the others and does not retry them forever; kept for an operator to inspect.
     */
    QUARANTINE,
    /**
     * A single node's blob files that may exist without a committed record referencing them (written, not yet
     * committed), by blob id: removed with their files after a crash. Unused on the cluster.
     */
    INTENTS,
    /**
     * A single node's blob files no longer referenced by any record (replaced, deleted, aborted), by blob id:
     * deleted after the commit that dropped them, or at the next start. Unused on the cluster.
     */
    GARBAGE,
    /**
     * Shards a node's scrubber found corrupt or missing from their segment, by set id, shard index and node: turned
     * into repair entries by the metadata leader's protection pass (which knows which object uses each set).
     */
    DAMAGE,
    /**
     * What background work reports for every node to read: the leader's last protection report and each node's
     * scrubber progress, by name.
     */
    HEALTH;
}
