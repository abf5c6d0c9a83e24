package io.predastore.app.health;

import java.util.List;

/**
 * The faults the health screen's dev buttons inject into a local dev cluster the app runs. Each call blocks and
 * returns a sentence saying what it did, for the activity log; the app implements it with its cluster service.
 */
public interface DevFaultActions {
    /** Flips bytes inside a shard segment of a random node. */
    String corruptRandomShard() throws Exception;

    /** Stops a node, deletes its shards and metadata (keeping its cluster secret) and starts it again. */
    String wipeNode(int nodeId) throws Exception;

    /** The ids of the nodes that may be wiped. */
    List<Integer> nodeIds();
}
