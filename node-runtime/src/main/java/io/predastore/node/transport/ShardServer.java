package io.predastore.node.transport;

import java.net.InetSocketAddress;

/** Serves one node's local shard store to its peers until closed. */
public interface ShardServer extends AutoCloseable {

    /** The bound address (with the real port when bound to port 0). */
    InetSocketAddress localAddress();

    /** Stops accepting, drops open connections (aborting uploads in flight) and releases the port. */
    @Override
    void close();
}
