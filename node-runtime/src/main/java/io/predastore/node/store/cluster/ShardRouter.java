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

    /** The id of the node this process is, which writes the shard sets it mints ids for. */
    int localNode();

    /** Ids of the nodes believed alive now, ascending. */
    List<Integer> liveNodes();

    /** Ids of every node of the cluster, alive or not, ascending. */
    default List<Integer> allNodes() {
        return liveNodes();
    }

    /** When this process last saw node {@code nodeId} answer (itself: now), or empty if not since it started. */
    default java.util.Optional<java.time.Instant> lastSeen(int nodeId) {
        return java.util.Optional.empty();
    }

    /**
     * Whether node {@code nodeId}'s shards are read in process, without the network. Readers prefer such shards,
     * even parity ones: decoding a chunk costs far less CPU than moving it over TLS.
     */
    default boolean isLocal(int nodeId) {
        return false;
    }

    /**
     * Reports that a request to the node failed, so new objects avoid it until it answers again. A refusal for lack
     * of space ({@link io.predastore.node.disk.NoSpace#isCause}) does not make the node dead: it still serves reads
     * and deletes, and counts as below its reserve until its next ping says otherwise.
     */
    void reportFailure(int nodeId, IOException cause);

    /**
     * Ids of the live nodes whose disk is below its free-space reserve, ascending: while any is, the cluster takes
     * no new data (see {@link DistributedBackend}).
     */
    default List<Integer> nodesBelowReserve() {
        return List.of();
    }
}
