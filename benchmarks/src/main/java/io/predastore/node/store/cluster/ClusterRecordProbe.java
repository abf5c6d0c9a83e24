package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.meta.ObjectRecord;
import java.time.Instant;
import java.util.List;

/**
 * Encodes what a cluster PUT writes to the metadata log, with the cluster's own encoders, for the scaling simulator
 * ({@code io.predastore.bench.scale}), which states metadata sizes as the product stores them.
 *
 * <p>It sits in the encoders' package, in the benchmarks module, because they are package-private: widening their
 * access for a benchmark would grow the production API, and calling them here (rather than re-implementing the
 * layouts) means a change to the record format changes the simulator's figures, and a change to these methods'
 * signatures breaks the benchmarks build instead of going unnoticed. Stateless and thread-safe.
 */
public final class ClusterRecordProbe {

    private ClusterRecordProbe() {
    }

    /**
     * The object record's bytes, as {@code ClusterRecords.encodeObject} writes it into the objects table.
     *
     * @param record an object record whose bytes are in shard sets (or inline)
     * @return the encoded value
     */
    public static byte[] objectRecord(ObjectRecord<ShardSet> record) {
        return ClusterRecords.encodeObject(record);
    }

    /**
     * A new shard set id, in the format a gateway gives the sets it writes.
     *
     * @param writer the writing node's id (from 1)
     * @param now the time of the write
     * @return the id
     */
    public static String newShardSetId(int writer, Instant now) {
        return ClusterContext.newShardSetId(writer, now);
    }

    /**
     * The metadata batch of an unconditional PUT, built as the distributed backend builds it: the bucket must still
     * exist with its record, and the object record replaces any earlier one, kept as a tombstone under a new id.
     *
     * @param bucket bucket name
     * @param key object key
     * @param bucketRecord the bucket's current record (the condition compares it)
     * @param objectRecord the encoded object record
     * @param now the time the tombstone id is made from
     * @return the batch one PUT sends to the metadata group
     */
    public static MetaBatch unconditionalPut(String bucket, String key, byte[] bucketRecord, byte[] objectRecord,
            Instant now) {
        return new MetaBatch(List.of(ClusterContext.bucketExists(bucket, bucketRecord)),
                List.of(ShardReaper.replacing(MetaKeys.object(bucket, key), objectRecord,
                        ClusterContext.newObjectId(now))));
    }
}
