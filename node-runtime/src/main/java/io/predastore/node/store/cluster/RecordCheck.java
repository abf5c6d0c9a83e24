package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.meta.BucketCodec;
import io.predastore.node.store.meta.UploadCodec;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether a stored metadata record decodes with this release's codec for its table, for repairs that remove only
 * records that cannot be read. Stateless.
 */
public final class RecordCheck {
    private RecordCheck() {
    }

    /**
     * Why {@code value}, stored at {@code key} of {@code table}, cannot be decoded, or empty when it decodes.
     *
     * @throws IllegalArgumentException for a table whose records this backend does not write (nodes)
     */
    public static Optional<String> problem(MetaTable table, byte[] key, byte[] value) {
        try {
            switch (table) {
                case BUCKETS -> BucketCodec.decode(MetaKeys.string(key, 0, key.length), value);
                case OBJECTS -> ClusterRecords.decodeObject(value);
                case UPLOADS -> UploadCodec.decode("", "", "", value);
                case PARTS -> ClusterRecords.decodePart(value);
                case TOMBSTONES -> ClusterRecords.decodeTombstone(value);
                case REPAIRS -> ClusterRecords.decodeRepair(value);
                case NODES -> throw new IllegalArgumentException("the distributed backend keeps no records in the "
                        + "nodes table, so it cannot tell whether one decodes");
                default -> throw new IllegalArgumentException("unknown table " + table);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException && table == MetaTable.NODES) {
                throw (IllegalArgumentException) e;
            }
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
