package io.predastore.node.meta;

import io.predastore.node.disk.NodeDisk;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes straight into the metadata database of a node that is not running, as a disk fault or another release
 * could leave it: for tests of how the node copes with records it cannot decode.
 */
public final class StoppedNodeMetadata {
    private StoppedNodeMetadata() {
    }

    /**
     * Puts {@code value} at {@code key} of {@code table} in the metadata database of the stopped node whose data
     * directory is {@code dataDir}, bypassing consensus.
     */
    public static void put(Path dataDir, MetaTable table, byte[] key, byte[] value) throws IOException {
        Path db = dataDir.resolve("meta").resolve("db");
        try (NodeDisk disk = NodeDisk.unguarded(db);
                RocksMetaDb meta = RocksMetaDb.open(db, RocksMetaDb.Recovery.OWN_LOG, disk)) {
            meta.apply(MetaBatch.of(new MetaBatch.Put(table, key, value)), null);
        }
    }
}
