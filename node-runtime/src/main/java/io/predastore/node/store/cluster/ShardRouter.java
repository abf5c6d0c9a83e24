package io.predastore.node.store.cluster;

import io.predastore.node.shard.ShardStore;
import java.io.IOException;
import java.util.List;

/**
 * How the distributed backend reaches the nodes: the shard store of each node (the local one in process, the
 * others through the shard transport) and which nodes are believed alive. Thread-safe.
 */
public interface ShardRouter {

    /** The shard store of node {@code nodeId}; throws if the node is unknown or cannot be reached at all. */
    ShardStore store(int nodeId) throws IOException;

    /** Ids of the nodes believed alive now, ascending. */
    List<Integer> liveNodes();

    /**
     * Whether node {@code nodeId}'s shards are read in process, without the network. Readers prefer such shards,
     * even parity ones: decoding a chunk costs far less CPU than moving it over TLS.
     */
    default boolean isLocal(int nodeId) {
        return false;
    }

    /** Reports that a request to the node failed, so new objects avoid it until it answers again. */
    void reportFailure(int nodeId, IOException cause);
}
