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
    REPAIRS;
}
