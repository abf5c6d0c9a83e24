package io.predastore.node.transport;

import io.predastore.node.shard.ShardAccessDeniedException;
import io.predastore.node.shard.ShardId;
import io.predastore.protocol.shard.ShardOp;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;

/**
 * What a shard server lets each peer node do: asked before every request that names a shard, with the node that
 * the peer's certificate names. Requests of the serving node itself never reach it (they go to the local store
 * directly). Implementations must be thread-safe and cheap (a local lookup), as they run once per request.
 */
public interface ShardAccess {

    /**
     * Serves every request of every member: only for stores that hold no cluster's data (transport tests,
     * benchmarks). A cluster node serves its shards through a policy that checks the metadata.
     */
    ShardAccess UNCHECKED = (peer, op, id, warrant) -> {
    };

    /**
     * Returns if {@code peer} may perform {@code op} on shard {@code id} as entitled by {@code warrant}.
     *
     * @param op one of PUT_SHARD_BEGIN, GET_SHARD, STAT_SHARD, DELETE_SHARD, or STAT_SHARDS (asked once per batch,
     *     with the batch's first shard: the batched stat is decided from the peer alone)
     * @throws ShardAccessDeniedException saying why not ({@link Refusal} and a detail), answered to the peer as
     *     FORBIDDEN
     * @throws IOException if the metadata needed to decide could not be read (answered as a retryable error)
     */
    void check(int peer, ShardOp op, ShardId id, ShardWarrant warrant) throws IOException;

    /** Why a request is refused: the cause in the node's log and the start of the message the peer gets. */
    enum Refusal {
        /** The peer's certificate names no node of the cluster (cannot happen past the TLS handshake). */
        NO_IDENTITY("the peer's certificate names no node"),
        /** A new shard outside the peer's own namespace of ids. */
        NOT_WRITER("not the writer of this shard"),
        /** A rebuilt shard from a node that is not the one repairing (the metadata leader). */
        NOT_REPAIRER("not the node that repairs shards"),
        /** The named record does not exist or does not list the shard on this node. */
        NOT_IN_RECORD("no metadata record entitles the request");

        private final String text;

        Refusal(String text) {
            this.text = text;
        }

        /** A short fixed text for log lines and error messages. */
        public String text() {
            return text;
        }

        /** The exception to throw for this refusal. */
        public ShardAccessDeniedException deny(String detail) {
            return new ShardAccessDeniedException(name(), name() + ": " + text + " (" + detail + ")");
        }
    }
}
