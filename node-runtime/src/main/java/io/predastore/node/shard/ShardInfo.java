package io.predastore.node.shard;

import java.util.Objects;

/** A committed shard: its id, length in bytes and CRC32C of all its bytes. */
public record ShardInfo(ShardId id, long length, int crc32c) {
    public ShardInfo {
        Objects.requireNonNull(id, "id");
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
    }
}
