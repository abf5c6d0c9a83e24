package io.predastore.node.meta;

/** The metadata tables. Keys and values are opaque bytes to the store; the distributed backend encodes them. */
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
    QUARANTINE;
}
