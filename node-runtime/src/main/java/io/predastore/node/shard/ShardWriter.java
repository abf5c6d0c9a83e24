package io.predastore.node.shard;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the bytes of one shard in order. Nothing is visible until {@link #commit()} returns; {@link #abort()}
 * (or closing without commit) discards what was written. Not thread-safe: one writer per shard.
 */
public interface ShardWriter extends AutoCloseable {

    /** Appends the buffer's remaining bytes; may block for back-pressure. */
    void write(ByteBuffer bytes) throws IOException;

    /** Makes the shard durable (fsync, possibly shared with concurrent commits) and visible. */
    ShardInfo commit() throws IOException;

    /** Discards the shard. Idempotent; a no-op after commit. */
    void abort();

    /** Aborts unless committed. */
    @Override
    default void close() {
        abort();
    }
}
