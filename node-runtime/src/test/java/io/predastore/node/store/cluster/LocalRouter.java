package io.predastore.node.store.cluster;

import io.predastore.node.disk.NodeDisk;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.shard.ShardStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cluster of shard stores in one process, for testing the distributed backend without the network: node i
 * is a real {@link SegmentShardStore} under {@code dir/node-i}; a node marked down fails every request, as an
 * unreachable node would.
 */
final class LocalRouter implements ShardRouter, AutoCloseable {
    private final TreeMap<Integer, SegmentShardStore> stores = new TreeMap<>();
    private final Set<Integer> down = ConcurrentHashMap.newKeySet();
    private final Set<Integer> hidden = ConcurrentHashMap.newKeySet();
    private final Set<Integer> removed = ConcurrentHashMap.newKeySet();

    LocalRouter(Path dir, int nodes) throws IOException {
        this(dir, nodes, Map.of());
    }

    /** With node i's store on {@code disks.get(i)} where given (the caller closes those disks after this router). */
    LocalRouter(Path dir, int nodes, Map<Integer, NodeDisk> disks) throws IOException {
        for (int i = 1; i <= nodes; i++) {
            Path nodeDir = dir.resolve("node-" + i);
            NodeDisk disk = disks.get(i);
            stores.put(i, disk == null ? SegmentShardStore.open(nodeDir)
                    : SegmentShardStore.open(nodeDir, SegmentShardStore.Config.defaults(), disk));
        }
    }

    /** Makes the node fail every request and drop out of the live set. */
    void down(int node) {
        down.add(node);
    }

    /** Keeps the node in the live set but makes every request to it fail (a node that died unnoticed). */
    void failSilently(int node) {
        hidden.add(node);
    }

    /** Drops the node from the cluster, as the node runtime's router does once the member list says removed. */
    void remove(int node) {
        removed.add(node);
        down.add(node);
    }

    void up(int node) {
        down.remove(node);
        hidden.remove(node);
    }

    SegmentShardStore local(int node) {
        return stores.get(node);
    }

    long totalShards() {
        long n = 0;
        for (SegmentShardStore s : stores.values()) {
            n += s.shardCount();
        }
        return n;
    }

    @Override
    public ShardStore store(int nodeId) throws IOException {
        if (down.contains(nodeId) || hidden.contains(nodeId)) {
            throw new IOException("node " + nodeId + " is down");
        }
        SegmentShardStore s = stores.get(nodeId);
        if (s == null) {
            throw new IOException("no node " + nodeId);
        }
        return s;
    }

    @Override
    public int localNode() {
        return 1; // the gateway of these tests
    }

    @Override
    public List<Integer> liveNodes() {
        List<Integer> live = new ArrayList<>();
        for (Integer id : stores.keySet()) {
            if (!down.contains(id)) {
                live.add(id);
            }
        }
        return live;
    }

    @Override
    public List<Integer> allNodes() {
        List<Integer> all = new ArrayList<>(stores.keySet());
        all.removeAll(removed);
        return all;
    }

    /** As the node runtime's router: the live nodes whose store says it is below its reserve. */
    @Override
    public List<Integer> nodesBelowReserve() {
        List<Integer> full = new ArrayList<>();
        for (Map.Entry<Integer, SegmentShardStore> e : stores.entrySet()) {
            if (!down.contains(e.getKey()) && e.getValue().belowReserve()) {
                full.add(e.getKey());
            }
        }
        return full;
    }

    @Override
    public void reportFailure(int nodeId, IOException cause) {
        // The test decides which nodes are down.
    }

    @Override
    public void close() throws IOException {
        for (SegmentShardStore s : stores.values()) {
            s.close();
        }
    }
}
