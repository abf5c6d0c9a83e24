package io.predastore.node.shard;

import java.io.IOException;

/** Stored shard bytes failed their CRC32C check; the caller should rebuild them from other shards. */
public final class ShardCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    public ShardCorruptException(String message) {
        super(message);
    }
}
