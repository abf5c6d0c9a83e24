package io.predastore.node.runtime;

import io.predastore.node.disk.NoSpace;
import io.predastore.node.jobs.BackgroundJob;
import io.predastore.node.shard.ShardStore;
import io.predastore.node.store.cluster.ShardRouter;
import io.predastore.node.transport.ShardClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes shard requests to nodes and keeps the node's view of which peers are alive: the local store is called
 * in process; every other node through its shard-transport client, pinged every {@code interval}. A peer is
 * dead after a failed ping or a failed request, and alive again after its next successful ping. Each ping reply
 * also says whether the peer's disk is below its free-space reserve; a peer that refused a shard for lack of space
 * counts as below it until its next ping. Thread-safe.
 */
final class ClusterRouter implements ShardRouter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);

    private final int self;
    private final ShardStore local;
    /** Every other member's client; members join and leave while the node runs ({@link #updatePeers}). */
    private final java.util.concurrent.ConcurrentSkipListMap<Integer, ShardClient> peers;
    private final Map<Integer, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<Integer, String> deadReason = new ConcurrentHashMap<>();
    /** Peers that refused a shard for lack of space since their last ping. */
    private final Set<Integer> refusedForSpace = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final ScheduledFuture<?> pinger;

    ClusterRouter(int self, ShardStore local, Map<Integer, ShardClient> peers, Clock clock,
            ScheduledExecutorService scheduler, long intervalMillis) {
        this.self = self;
        this.local = local;
        this.peers = new java.util.concurrent.ConcurrentSkipListMap<>(peers);
        this.clock = clock;
        for (Integer id : peers.keySet()) {
            deadReason.put(id, "not contacted yet");
        }
        lastSeen.put(self, clock.instant());
        this.pinger = new BackgroundJob("peer-ping", clock, () -> {
            pingAll();
            return "pinged";
        }, null).schedule(scheduler, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void pingAll() {
        lastSeen.put(self, clock.instant());
        for (Map.Entry<Integer, ShardClient> p : peers.entrySet()) {
            try {
                p.getValue().ping();
                refusedForSpace.remove(p.getKey());
                lastSeen.put(p.getKey(), clock.instant());
                if (deadReason.remove(p.getKey()) != null) {
                    LOG.info("node {} is reachable", p.getKey());
                }
            } catch (IOException | RuntimeException e) {
                markDead(p.getKey(), e.getMessage());
            }
        }
    }

    /**
     * Follows the member list: adds a client for each member new to this node (made by {@code connect}, and dead
     * until its first ping answers), and closes and forgets those of nodes no longer members. Members that stay keep
     * their client, so their connections and liveness carry on.
     */
    synchronized void updatePeers(Set<Integer> members, java.util.function.IntFunction<ShardClient> connect) {
        for (Integer id : members) {
            if (id != self && !peers.containsKey(id)) {
                deadReason.put(id, "not contacted yet");
                peers.put(id, connect.apply(id));
                LOG.info("node {} is now a member; contacting it", id);
            }
        }
        for (Integer id : List.copyOf(peers.keySet())) {
            if (!members.contains(id)) {
                ShardClient gone = peers.remove(id);
                deadReason.remove(id);
                lastSeen.remove(id);
                refusedForSpace.remove(id);
                LOG.info("node {} is no longer a member", id);
                try {
                    gone.close();
                } catch (IOException e) {
                    LOG.debug("closing the client of {} failed", gone.peer(), e);
                }
            }
        }
    }

    private void markDead(int node, String reason) {
        if (deadReason.put(node, reason == null ? "unreachable" : reason) == null) {
            LOG.warn("node {} is unreachable: {}", node, reason);
        }
    }

    @Override
    public int localNode() {
        return self;
    }

    @Override
    public boolean isLocal(int nodeId) {
        return nodeId == self;
    }

    @Override
    public ShardStore store(int nodeId) throws IOException {
        if (nodeId == self) {
            return local;
        }
        ShardClient client = peers.get(nodeId);
        if (client == null) {
            throw new IOException("node " + nodeId + " is not a member of the cluster");
        }
        return client;
    }

    @Override
    public List<Integer> liveNodes() {
        List<Integer> live = new ArrayList<>();
        live.add(self);
        for (Integer id : peers.keySet()) {
            if (!deadReason.containsKey(id)) {
                live.add(id);
            }
        }
        Collections.sort(live);
        return live;
    }

    @Override
    public List<Integer> allNodes() {
        List<Integer> all = new ArrayList<>(peers.keySet());
        all.add(self);
        Collections.sort(all);
        return all;
    }

    @Override
    public java.util.Optional<Instant> lastSeen(int nodeId) {
        return nodeId == self ? java.util.Optional.of(clock.instant()) : java.util.Optional.ofNullable(lastSeen.get(nodeId));
    }

    @Override
    public List<Integer> nodesBelowReserve() {
        List<Integer> full = new ArrayList<>();
        if (local.belowReserve()) {
            full.add(self);
        }
        for (Map.Entry<Integer, ShardClient> p : peers.entrySet()) {
            int id = p.getKey();
            if (!deadReason.containsKey(id) && (p.getValue().belowReserve() || refusedForSpace.contains(id))) {
                full.add(id);
            }
        }
        Collections.sort(full);
        return full;
    }

    @Override
    public void reportFailure(int nodeId, IOException cause) {
        if (NoSpace.isCause(cause)) {
            if (nodeId != self) {
                refusedForSpace.add(nodeId);
            }
            return;
        }
        if (nodeId != self && !(cause instanceof io.predastore.node.shard.NoSuchShardException)
                && !(cause instanceof io.predastore.node.shard.ShardCorruptException)
                && !(cause instanceof io.predastore.node.shard.ShardExistsException)
                && !(cause instanceof io.predastore.node.shard.ShardAccessDeniedException)) {
            markDead(nodeId, cause.getMessage());
        }
    }

    /** Every node of the cluster with whether it is alive, when it was last seen, and why it is dead. */
    Map<Integer, PeerView> view() {
        Map<Integer, PeerView> out = new TreeMap<>();
        out.put(self, new PeerView(true, lastSeen.get(self), null));
        for (Integer id : peers.keySet()) {
            String reason = deadReason.get(id);
            out.put(id, new PeerView(reason == null, lastSeen.get(id), reason));
        }
        return out;
    }

    /** One node as this node sees it. */
    record PeerView(boolean alive, Instant lastSeen, String reason) {
    }

    @Override
    public void close() {
        pinger.cancel(false);
        for (ShardClient c : peers.values()) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing the client of {} failed", c.peer(), e);
            }
        }
    }
}
