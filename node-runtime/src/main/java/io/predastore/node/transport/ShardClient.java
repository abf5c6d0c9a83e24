package io.predastore.node.transport;

import io.predastore.node.shard.ShardStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The shard store of one remote node, reached over a {@link ShardTransport}. Same semantics as a local
 * {@link ShardStore}: a missing shard is {@link io.predastore.node.shard.NoSuchShardException}, bad bytes are
 * {@link io.predastore.node.shard.ShardCorruptException}; anything else (refused, reset, timed out, TLS failure)
 * is an {@link IOException} naming the peer. Thread-safe.
 */
public interface ShardClient extends ShardStore {

    /** The peer this client talks to. */
    InetSocketAddress peer();

    /**
     * Sends a PING and returns the round-trip time; the reply also updates {@link #belowReserve()}.
     */
    Duration ping() throws IOException;

    /** Closes this client's connections; the peer's server keeps running. */
    @Override
    void close() throws IOException;
}
