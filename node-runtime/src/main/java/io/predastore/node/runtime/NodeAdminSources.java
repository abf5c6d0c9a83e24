package io.predastore.node.runtime;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.predastore.node.admin.AdminSources;
import io.predastore.node.admin.AdminViews;
import io.predastore.node.admin.LeaderHistory;
import io.predastore.node.admin.RequestCounters;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.jobs.JobRegistry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.meta.RaftMetadataStore;
import io.predastore.node.meta.RaftStatus;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.node.store.cluster.DistributedBackend;
import io.predastore.node.store.cluster.RecordCheck;
import io.predastore.node.store.cluster.ShardSet;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ClusterHealth;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.NodeHealth;
import io.predastore.protocol.admin.NodeStatus;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftRole;
import io.predastore.protocol.admin.RepairQueue;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.admin.ScrubProgress;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a cluster node tells the admin API: its own status, the Raft group, the ring with live nodes, where an
 * object's shards are (checked against their nodes), the cluster's live/dead view, the request counters and the
 * node's meters.
 * Thread-safe.
 */
final class NodeAdminSources implements AdminSources {
    private final ClusterConfig config;
    private final NodeConfig self;
    private final SegmentShardStore local;
    private final ClusterRouter router;
    private final RaftMetadataStore meta;
    private final DistributedBackend backend;
    private final RequestCounters counters;
    private final PrometheusMeterRegistry metrics;
    private final LeaderHistory leaders = new LeaderHistory(100);
    private final Clock clock;
    private final Instant started;
    private final ClusterMembership membership;
    /** The ring of the active members at one epoch, rebuilt when the epoch changes. */
    private volatile RingAt ring;
    private final NodeDisk disk;

    private final JobRegistry jobs;
    /** The exposition format {@code /metrics} answers in, as its Content-Type says. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    NodeAdminSources(ClusterConfig config, NodeConfig self, SegmentShardStore local, ClusterRouter router,
            RaftMetadataStore meta, DistributedBackend backend, RequestCounters counters,
            PrometheusMeterRegistry metrics, NodeDisk disk, JobRegistry jobs, Clock clock,
            ClusterMembership membership) {
        this.membership = membership;
        this.jobs = jobs;
        this.config = config;
        this.disk = disk;
        this.self = self;
        this.local = local;
        this.router = router;
        this.meta = meta;
        this.backend = backend;
        this.counters = counters;
        this.metrics = metrics;
        this.clock = clock;
        this.started = clock.instant();
    }

    private record RingAt(long epoch, Ring ring) {
    }

    /** The ring new objects are placed on now: that of the active members. */
    private Ring currentRing() {
        ClusterMembers members = membership.current();
        RingAt at = ring;
        if (at == null || at.epoch() != members.epoch()) {
            List<Integer> active = ClusterMembership.memberSet(members).active();
            at = new RingAt(members.epoch(), Ring.of(active.stream()
                    .map(id -> new Member(ClusterAssembly.peerId(id))).toList()));
            ring = at;
        }
        return at.ring();
    }

    static String version() {
        String v = NodeAdminSources.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public NodeStatus nodeStatus() {
        RaftRole role;
        try {
            role = AdminViews.role(meta.status().role());
        } catch (IOException e) {
            role = RaftRole.UNKNOWN;
        }
        return new NodeStatus(ClusterAssembly.peerId(self.id()), version(),
                clock.millis() - started.toEpochMilli(), self.host(),
                new NodeStatus.Ports(self.s3Port(), self.raftPort(), self.shardPort(), self.adminPort()),
                local.bytesUsed(), local.shardCount(), role, backend.type(), AdminViews.storage(disk.health()),
                jobs.statuses());
    }

    @Override
    public ClusterMembers members() {
        ClusterMembers current = membership.current();
        if (current.epoch() > 0) {
            return current;
        }
        List<ClusterMember> members = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            members.add(new ClusterMember(ClusterAssembly.peerId(n.id()), n.host(), n.s3Port(), n.adminPort(),
                    n.s3Tls(), n.adminTls()));
        }
        return new ClusterMembers(members);
    }

    @Override
    public ClusterMembers addMember(ClusterMember member) throws IOException {
        return membership.add(member);
    }

    @Override
    public ClusterMembers drainMember(String id) throws IOException {
        return membership.drain(id);
    }

    /** Records the current leader; called periodically so leader changes form a timeline. */
    void observeLeader() {
        try {
            RaftStatus s = meta.status();
            leaders.observe(s.term(), s.leaderId(), clock.millis());
        } catch (IOException | RuntimeException e) {
            // the group is between leaders; the next observation records the new one
        }
    }

    @Override
    public RaftGroupStatus raft() {
        Map<String, String> addresses = new LinkedHashMap<>();
        ClusterMembers members = membership.current();
        if (members.epoch() == 0) {
            for (NodeConfig n : config.nodes()) {
                addresses.put(ClusterAssembly.peerId(n.id()), n.host() + ":" + n.raftPort());
            }
        } else {
            for (ClusterMember m : members.members()) {
                if (m.state().inGroup() && m.raftPort() != null) {
                    addresses.put(m.id(), m.host() + ":" + m.raftPort());
                }
            }
        }
        try {
            java.util.Set<String> listeners = new java.util.HashSet<>(meta.groupConfiguration().listeners());
            return AdminViews.raftGroup(ClusterAssembly.peerId(self.id()), meta.status(), addresses, listeners,
                    leaders, clock.millis());
        } catch (IOException e) {
            throw new IllegalStateException("the Raft status is unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public RingView ring() {
        Map<Integer, ClusterRouter.PeerView> view = router.view();
        return RingView.of(currentRing(), id -> {
            ClusterRouter.PeerView v = view.get(io.predastore.node.meta.MetaPeerConfig.nodeIdOf(id));
            return v != null && v.alive();
        });
    }

    @Override
    public Optional<ObjectPlacement> placement(String bucket, String key) throws IOException {
        Optional<DistributedBackend.Layout> layout;
        try {
            layout = backend.layout(bucket, key);
        } catch (StorageException e) {
            // The only refusal a layout read has is the metadata being unavailable: the admin API's 503.
            throw new IOException(e.getMessage(), e);
        }
        if (layout.isEmpty()) {
            return Optional.empty();
        }
        List<SegmentPlacement> segments = new ArrayList<>();
        int k = backend.dataShards();
        int m = backend.parityShards();
        for (ShardSet set : layout.get().segments()) {
            k = set.dataShards();
            m = set.parityShards();
            List<ShardPlacement> shards = new ArrayList<>();
            for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
                shards.add(set.isMissing(i) ? ShardPlacement.notWritten(i, i >= set.dataShards())
                        : new ShardPlacement(i, i >= set.dataShards(), ClusterAssembly.peerId(set.node(i)),
                                shardState(set, i, bucket, key)));
            }
            segments.add(new SegmentPlacement(set.objectId(), set.length(), shards));
        }
        return Optional.of(new ObjectPlacement(bucket, key, layout.get().size(), k, m, segments));
    }

    private ShardState shardState(ShardSet set, int index, String bucket, String key) {
        try {
            // The object's record lists the shard on its node: the warrant that node checks before answering.
            ShardWarrant warrant = ShardWarrant.of(ShardWarrant.Kind.OBJECT, MetaKeys.object(bucket, key));
            return router.store(set.node(index)).stat(new ShardId(set.objectId(), index), warrant).isPresent()
                    ? ShardState.PRESENT : ShardState.MISSING;
        } catch (ShardCorruptException e) {
            return ShardState.CORRUPT;
        } catch (IOException e) {
            return ShardState.UNREACHABLE;
        }
    }

    @Override
    public ClusterHealth health() {
        List<NodeHealth> nodes = new ArrayList<>();
        for (Map.Entry<Integer, ClusterRouter.PeerView> e : router.view().entrySet()) {
            ClusterRouter.PeerView v = e.getValue();
            nodes.add(new NodeHealth(ClusterAssembly.peerId(e.getKey()), v.alive(),
                    v.lastSeen() == null ? null : v.lastSeen().toEpochMilli(), v.reason()));
        }
        return new ClusterHealth(nodes);
    }

    /** The key under which node {@code node}'s scrubber reports its progress in the health table. */
    static String scrubKey(int node) {
        return "scrub/" + ClusterAssembly.peerId(node);
    }

    @Override
    public ProtectionReport protection() throws IOException {
        // From this node's own replica, so any node answers even while the metadata group has no leader.
        Optional<byte[]> stored = meta.getLocal(MetaTable.HEALTH, MetaKeys.utf8("protection"));
        ProtectionReport report = stored.isPresent() ? AdminJson.read(stored.get(), ProtectionReport.class)
                : ProtectionReport.none(backend.dataShards(), backend.parityShards());
        List<ScrubProgress> scrub = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            Optional<byte[]> progress = meta.getLocal(MetaTable.HEALTH, MetaKeys.utf8(scrubKey(n.id())));
            if (progress.isPresent()) {
                try {
                    scrub.add(AdminJson.read(progress.get(), ScrubProgress.class));
                } catch (IOException e) {
                    // written by a newer release or damaged: leave that node's line out rather than fail the report
                }
            }
        }
        RepairQueue repairs = report.repairs();
        try {
            if (meta.status().role() == RaftStatus.Role.LEADER) {
                repairs = backend.repairQueue();
            }
        } catch (IOException e) {
            // the stored queue is the best there is now
        }
        return report.withLive(scrub, repairs);
    }

    @Override
    public Counters counters() {
        return counters.snapshot();
    }

    @Override
    public String prometheusText() {
        return metrics.scrape(PROMETHEUS_TEXT);
    }

    @Override
    public MetadataStore metadata() {
        return meta;
    }

    @Override
    public UndecodableRecords undecodableRecords() {
        return backend.undecodableRecords();
    }

    @Override
    public Optional<String> recordProblem(MetaTable table, byte[] key, byte[] value) {
        return RecordCheck.problem(table, key, value);
    }
}
