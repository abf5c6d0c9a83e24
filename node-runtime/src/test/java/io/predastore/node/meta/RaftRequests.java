package io.predastore.node.meta;

import java.util.List;

/**
 * Metadata requests as the state machine reads them, before any seal: what someone holding only a node's TLS key
 * could send to a Raft port (tests of other packages use these).
 */
public final class RaftRequests {
    private RaftRequests() {
    }

    /** A log entry deleting {@code key} from {@code table}. */
    public static byte[] deleteEntry(MetaTable table, byte[] key) {
        return MetaBatchCodec.encodeEntry(List.of(MetaBatch.of(new MetaBatch.Delete(table, key))));
    }

    /** A query for the value of {@code key} in {@code table}. */
    public static byte[] getQuery(MetaTable table, byte[] key) {
        return MetaBatchCodec.encodeGet(table, key);
    }
}
