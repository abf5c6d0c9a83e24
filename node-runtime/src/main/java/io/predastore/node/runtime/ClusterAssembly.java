package io.predastore.node.runtime;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.predastore.node.admin.AdminServer;
import io.predastore.node.admin.RequestCounters;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.disk.PrivateDataDir;
import io.predastore.node.erasure.StripeLayout;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.jobs.BackgroundJob;
import io.predastore.node.jobs.JobRegistry;
import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.MetadataOptions;
import io.predastore.node.meta.RaftMetadataStore;
import io.predastore.node.meta.Weakening;
import io.predastore.node.meta.RaftStatus;
import io.predastore.node.metrics.NodeMeters;
import io.predastore.node.pki.ClusterSecret;
import io.predastore.node.pki.HttpsServers;
import io.predastore.node.pki.PemFiles;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.store.cluster.DistributedBackend;
import io.predastore.node.store.cluster.MetadataShardAccess;
import io.predastore.node.store.cluster.ShardScrubber;
import io.predastore.node.transport.ShardClient;
import io.predastore.node.transport.ShardServer;
import io.predastore.node.transport.ShardTransport;
import io.predastore.node.transport.TlsMaterial;
import io.predastore.node.transport.TransportOptions;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.TransportKind;
import io.predastore.protocol.config.TuningConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the parts of a cluster node in order — local shard store, shard transport (server and a client per
 * peer), failure detector, Raft metadata peer, distributed backend — pushing each onto the runtime's stack so they
 * are closed in reverse. Every interval, timeout and cap comes from the cluster file's {@code [tuning]} (see
 * {@link TuningConfig}).
 */
final class ClusterAssembly {
    /** Where a cluster node keeps shard segments, which it creates owner-only (not walked at start-up). */
    private static final Set<Path> CLUSTER_BULK = Set.of(Path.of("shards", "segments"));
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterAssembly.class);

    /**
     * How long a listener must have been unreachable for the leader to prefer another when it promotes one to take
     * a removed voter's place: longer than a restart.
     */
    static final Duration LISTENER_DOWN = Duration.ofSeconds(30);

    /** Whether a member (by peer id) has not answered this node for {@code period}, counted from now. */
    static java.util.function.Predicate<String> downFor(ClusterRouter router, Clock clock, Duration period) {
        java.time.Instant started = clock.instant();
        return peerId -> {
            int id = MetaPeerConfig.nodeIdOf(peerId);
            if (router.liveNodes().contains(id)) {
                return false;
            }
            java.time.Instant seen = router.lastSeen(id).orElse(started);
            return !clock.instant().isBefore(seen.plus(period));
        };
    }

    /** How often a node reads the member list from its replica (and the leader takes members' next steps). */
    static final Duration MEMBERS_INTERVAL = Duration.ofSeconds(1);

    private ClusterAssembly() {
    }

    /**
     * Deletes the node's data when closed, if the node was removed from its cluster: pushed before every other part,
     * so it runs once they are all closed.
     */
    static final class RemovalCleanup implements AutoCloseable {
        private final Path dataDir;
        private volatile String why;

        RemovalCleanup(Path dataDir) {
            this.dataDir = dataDir;
        }

        void arm(String reason) {
            this.why = reason;
        }

        @Override
        public void close() throws IOException {
            if (why != null) {
                MembershipMarkers.clearAfterRemoval(dataDir, why);
                LOG.warn("node data in {} deleted: {}", dataDir, why);
            }
        }
    }

    /** The assembled node: its backend, its request counters and where its admin API listens. */
    record Assembled(DistributedBackend backend, RequestCounters counters, int adminPort) {
    }

    /**
     * Builds the parts, tuned by {@code tuning}, recording their meters in {@code metrics} (which {@code /metrics} of
     * the admin API serves).
     */
    static Assembled build(ClusterConfig config, TuningConfig tuning, NodeConfig self, Deque<AutoCloseable> parts,
            PrometheusMeterRegistry metrics) throws IOException, InterruptedException {
        OwnerOnly.createDirectories(self.dataDir());
        if (MembershipMarkers.isRemoved(self.dataDir())) {
            throw new IOException("node " + self.id() + " was removed from cluster " + config.cluster() + " ("
                    + java.nio.file.Files.readString(MembershipMarkers.removedFile(self.dataDir())).strip()
                    + "); its shards live on the other members now. Drop its [[node]] from " + config.directory()
                    + "/cluster.toml (predastore-node cluster status --dir " + config.directory() + " does so), or "
                    + "add a new node with predastore-node cluster add-node");
        }
        // Closed after everything else, the node disk included: deletes the data once the node was removed.
        RemovalCleanup cleanup = new RemovalCleanup(self.dataDir());
        parts.push(cleanup);
        // Read first: a node without it could not take part in the metadata group, so it opens nothing.
        ClusterSecret secret = clusterSecret(config, self);
        // Closed last: every database below is opened on it.
        NodeDisk disk = NodeDisk.open(self.dataDir(), config.storage().reserveBytes());
        parts.push(disk);
        LOG.info("free-space reserve of {} bytes on {}", disk.reserve().reserveBytes(), self.dataDir());
        SegmentShardStore local = SegmentShardStore.open(self.dataDir().resolve("shards"),
                SegmentShardStore.Config.of(tuning.shardSegmentBytes(),
                        tuning.shardCompactionThresholdPercent() / 100.0), disk);
        parts.push(local);
        NodeMeters.bindRocksDb(metrics, "shard-index", local::indexProperty);

        TransportOptions transportOptions = TransportOptions.defaults()
                .withRequestTimeout(tuning.transportRequestTimeout())
                .withConnectTimeout(tuning.transportConnectTimeout())
                .withMaxDatagramSize(tuning.quicMaxDatagramBytes())
                .withEventLoopThreads(tuning.transportEventLoopThreads());
        // A TLS/TCP connection carries one request at a time, and one beyond the idle limit is closed after use, so
        // the next request pays a TLS handshake (about as much CPU as moving 1 MiB). Keep enough idle connections
        // for every request thread to have one to each peer. QUIC multiplexes streams over its few connections.
        ShardTransport transport = config.transport() == TransportKind.QUIC
                ? ShardTransport.quic(transportOptions.withConnectionsPerPeer(tuning.quicConnectionsPerPeer()))
                : ShardTransport.tlsTcp(transportOptions.withConnectionsPerPeer(tuning.tlsIdleConnectionsPerPeer()));
        parts.push(transport);
        // Only the CA certificate and this node's own key are read: the CA's private key is not needed to run.
        // The members follow the replicated member list once it is read (ClusterMembership), so the trust asks.
        java.util.concurrent.atomic.AtomicReference<Membership> trustMembers =
                new java.util.concurrent.atomic.AtomicReference<>(Membership.of(config));
        ClusterTrust trust = ClusterTrust.load(config.tls().caCert(), trustMembers::get);
        TlsMaterial tls = new TlsMaterial(trust, self.tlsCert(), self.tlsKey());
        InetAddress bind = InetAddress.getByName(self.host());
        warnIfPlainHttp(self, bind);

        Map<Integer, ShardClient> peers = new TreeMap<>();
        for (NodeConfig n : config.nodes()) {
            if (n.id() != self.id()) {
                peers.put(n.id(), transport.client(new InetSocketAddress(n.host(), n.shardPort()), n.id(), tls));
            }
        }
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("cluster-timer"));
        parts.push(scheduler::shutdownNow);
        // Every periodic task runs as a BackgroundJob: a run that throws is recorded, and the schedule goes on.
        JobRegistry jobs = new JobRegistry();
        Clock clock = Clock.systemUTC();
        jobs.add(new BackgroundJob("disk-check", clock, () -> {
            disk.check();
            return "checked";
        }, null)).schedule(scheduler, 0, tuning.diskCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
        ClusterRouter router = new ClusterRouter(self.id(), local, peers, Clock.systemUTC(), scheduler,
                tuning.pingInterval().toMillis());
        parts.push(router);

        List<MetaPeerConfig> metaPeers = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            metaPeers.add(new MetaPeerConfig(peerId(n.id()), n.host(), n.raftPort()));
        }
        if (!Weakening.activeSet().isEmpty()) {
            LOG.warn("node {}: started with -D{}={}: this node breaks its guarantees on purpose, for fault-injection "
                    + "tests only; never keep data you care about in it", self.id(), Weakening.PROPERTY,
                    Weakening.activeSet().stream().map(Weakening::cliName).toList());
        }
        RaftMetadataStore meta = RaftMetadataStore.start(new MetadataOptions(config.cluster(), peerId(self.id()),
                metaPeers, self.dataDir().resolve("meta"),
                new MetadataOptions.PeerTls(PemFiles.keyManager(self.tlsCert(), self.tlsKey()), trust),
                secret, new MetadataOptions.Timeouts(tuning.raftRequestTimeout(), tuning.raftElectionMin(),
                        tuning.raftElectionMax()),
                new MetadataOptions.LogOptions(config.raft().snapshotEvery(), config.raft().logSegmentBytes()),
                MembershipMarkers.isJoining(self.dataDir())), disk);
        parts.push(meta);
        NodeMeters.bindRocksDb(metrics, "metadata", meta::databaseProperty);
        // What peers may do with this node's shards is decided from the metadata, so the shard server starts once
        // the local Raft peer (with its replica) is up; peers retry until then as they would after a restart.
        ShardServer shardServer = transport.server(local, shardAccess(self.id(), meta), bind, self.shardPort(),
                tls);
        parts.push(shardServer);
        // Once the shard store and Raft have made their directories, so those are narrowed too.
        parts.push(PrivateDataDir.open(self.dataDir(), CLUSTER_BULK));
        awaitLeader(meta, tuning.leaderWait());

        ExecutorService io = Executors.newCachedThreadPool(daemon("shard-io"));
        parts.push(io::shutdownNow);
        DistributedBackend backend = new DistributedBackend(meta, router, io, Clock.systemUTC(), config.rs().data(),
                config.rs().parity(), config.rs().writeQuorum(), StripeLayout.DEFAULT_CHUNK_SIZE, tuning);
        parts.push(backend);
        ClusterMembership membership = new ClusterMembership(config, self, meta,
                config.rs().data() + config.rs().parity(), backend::storedProtectionReport,
                downFor(router, clock, LISTENER_DOWN),
                new ClusterMembership.Followers() {
                    @Override
                    public void adopt(io.predastore.protocol.admin.ClusterMembers members) {
                        trustMembers.set(Membership.of(config.cluster(), members));
                        router.updatePeers(ClusterMembership.inGroup(members), id -> {
                            io.predastore.protocol.admin.ClusterMember m = members
                                    .member(MetaPeerConfig.peerIdOf(id)).orElseThrow();
                            try {
                                return transport.client(new InetSocketAddress(m.host(), m.shardPort()), id, tls);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException("cannot make a shard client for node " + id
                                        + ": " + e.getMessage(), e);
                            }
                        });
                    }

                    @Override
                    public void removed(io.predastore.protocol.admin.ClusterMembers members) {
                        cleanup.arm("removed from cluster " + config.cluster() + " at member list epoch "
                                + members.epoch());
                        // Exits through the shutdown hook, which closes every part; the cleanup runs last.
                        Thread exit = new Thread(() -> System.exit(0), "removed-exit");
                        exit.setDaemon(false);
                        exit.start();
                    }
                });
        backend.followMembers(membership::memberSet);
        jobs.add(new BackgroundJob("members", clock, membership::tick, null)).schedule(scheduler, 0,
                MEMBERS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        jobs.add(new BackgroundJob("tombstone-sweep", clock, backend::sweepTombstonesJob,
                backend::quarantinedTombstones)).schedule(scheduler, tuning.tombstoneSweepInterval().toMillis(),
                tuning.tombstoneSweepInterval().toMillis(), TimeUnit.MILLISECONDS);
        // Deleted and replaced shards only free their space when compaction rewrites their segments; on its own
        // thread, as a compaction copies up to a segment's worth of data and must not hold up the timers above.
        ScheduledExecutorService compactor = Executors.newSingleThreadScheduledExecutor(daemon("shard-compaction"));
        parts.push(compactor::shutdownNow);
        jobs.add(new BackgroundJob("shard-compaction", clock, () -> compact(local), null)).schedule(compactor,
                tuning.compactionInterval().toMillis(), tuning.compactionInterval().toMillis(), TimeUnit.MILLISECONDS);

        // Shards that objects were stored without (nodes down under a lowered write quorum) are rebuilt by the
        // metadata leader only, so no two nodes rebuild the same set; on its own thread, as a repair moves whole
        // objects.
        ScheduledExecutorService repairs = Executors.newSingleThreadScheduledExecutor(daemon("shard-repair"));
        parts.push(repairs::shutdownNow);
        jobs.add(new BackgroundJob("shard-repair", clock, () -> backend.repairShardsJob(() -> isLeader(meta)),
                backend::quarantinedRepairs)).schedule(repairs, tuning.repairCheckInterval().toMillis(),
                tuning.repairCheckInterval().toMillis(), TimeUnit.MILLISECONDS);

        // Re-reads this node's shards at scrub_bytes_per_second and reports damaged ones to DAMAGE for the leader's
        // protection pass; started once the metadata is up, as that is where its reports and progress go.
        ShardScrubber scrubber = new ShardScrubber(local, meta, self.id(),
                ShardScrubber.stateFileIn(self.dataDir().resolve("shards")), tuning.scrubBytesPerSecond(),
                tuning.scrubPassInterval(), clock, null);
        parts.push(scrubber);
        scrubber.bindMeters(metrics);
        scrubber.start();

        // The protection pass walks every object record and asks each node which of its shards it holds, so the
        // repair engine learns of shards absent, damaged or on lost nodes; on the metadata leader only, on its own
        // thread, as a pass over many objects takes a while.
        ScheduledExecutorService protection = Executors.newSingleThreadScheduledExecutor(daemon("protection-pass"));
        parts.push(protection::shutdownNow);
        jobs.add(new BackgroundJob("protection-pass", clock, () -> backend.protectionPassJob(() -> isLeader(meta)),
                null)).schedule(protection, tuning.protectionCheckInterval().toMillis(),
                tuning.protectionCheckInterval().toMillis(), TimeUnit.MILLISECONDS);

        RequestCounters counters = new RequestCounters(metrics, clock);
        NodeAdminSources sources = new NodeAdminSources(config, self, local, router, meta, backend, counters, metrics,
                disk, jobs, clock, membership);
        NodeMeters.bindProtection(metrics, () -> {
            try {
                return sources.protection();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }, TimeUnit.SECONDS.toNanos(5));
        jobs.add(new BackgroundJob("leader-observe", clock, () -> {
            sources.observeLeader();
            return "observed";
        }, null)).schedule(scheduler, 0, tuning.leaderObserveInterval().toMillis(), TimeUnit.MILLISECONDS);
        AdminServer admin = AdminServer.start(sources, new Credentials(config.credentials().adminAccessKey(),
                config.credentials().adminSecretKey()), config.region(), self.host(), self.adminPort(),
                self.adminTls() ? HttpsServers.context(self.tlsCert(), self.tlsKey()) : null, adminLimits(tuning));
        parts.push(admin);
        NodeMeters.bindEventLoops(metrics, "admin", admin.eventLoops());
        return new Assembled(backend, counters, admin.port());
    }

    /** The admin endpoint's limits from the {@code admin_*} tunables. */
    static AdminServer.Limits adminLimits(TuningConfig tuning) {
        return new AdminServer.Limits(new ConnectionLimits(tuning.adminMaxConnections(),
                AdminServer.LIMITS.headerTimeout()), tuning.adminMaxConnectionsPerClient(), tuning.adminMaxWorkers(),
                tuning.adminBodyBytesPerClient(), tuning.adminBodyBytesTotal());
    }

    /**
     * Says so when a port other machines can reach serves plain HTTP: requests, answers and object data then cross
     * the network in the clear (signatures keep the secret keys safe, not the data).
     */
    private static void warnIfPlainHttp(NodeConfig self, InetAddress bind) {
        if (bind.isLoopbackAddress() || self.s3Tls() && self.adminTls()) {
            return;
        }
        String plain = !self.s3Tls() && !self.adminTls() ? "S3 port and admin API" : !self.s3Tls() ? "S3 port"
                : "admin API";
        LOG.warn("node {}: the {} serve plain HTTP on {}, which other machines can reach; give its [[node]] "
                + "s3_tls_cert and s3_tls_key, and admin_tls = true (docs/cluster.md)", self.id(), plain,
                self.host());
    }

    /** One shard compaction run; a failure is retried at the next (the space stays used meanwhile). */
    private static String compact(SegmentShardStore store) throws IOException {
        SegmentShardStore.CompactionReport r = store.compact();
        if (r.segmentsCompacted() > 0) {
            LOG.info("shard compaction: {} segments rewritten, {} live shards moved, {} MiB reclaimed",
                    r.segmentsCompacted(), r.recordsMoved(), r.bytesReclaimed() >> 20);
        }
        return r.segmentsCompacted() + " segments rewritten, " + r.recordsMoved() + " shards moved, "
                + r.bytesReclaimed() + " bytes reclaimed";
    }

    private static boolean isLeader(RaftMetadataStore meta) {
        try {
            return meta.status().role() == RaftStatus.Role.LEADER;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Waits (bounded) until the metadata group has a leader, so that a node reports itself ready only when it
     * can serve; a node restarted while the cluster lacks a majority starts anyway after the wait.
     */
    private static void awaitLeader(RaftMetadataStore meta, Duration wait) throws InterruptedException {
        if (wait.isZero()) {
            return;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (meta.status().leaderId() != null) {
                    return;
                }
            } catch (IOException e) {
                // not ready yet
            }
            Thread.sleep(100);
        }
        LOG.warn("no metadata leader after {} ms; serving anyway, requests get 503 until a majority of nodes runs",
                wait.toMillis());
    }

    /** The Raft peer id of a node. */
    static String peerId(int nodeId) {
        return MetaPeerConfig.peerIdOf(nodeId);
    }

    /**
     * The cluster secret in the node's data directory. A cluster made before nodes had one gets it from
     * {@code cluster up} or {@code cluster add-secret} (both give every local node the same one), which the error
     * says, as the secret must be the same on every node.
     */
    private static ClusterSecret clusterSecret(ClusterConfig config, NodeConfig self) throws IOException {
        Path file = ClusterSecret.fileIn(self.dataDir());
        try {
            return ClusterSecret.read(file);
        } catch (NoSuchFileException e) {
            throw new IOException("node " + self.id() + " has no cluster secret " + file + "; every node needs "
                    + "the same one to write or read metadata. For a cluster made before nodes had one, run: "
                    + "predastore-node cluster add-secret --dir " + config.directory() + " (it writes one secret "
                    + "into every node's data directory on this machine; cluster up does so too); for nodes on "
                    + "other machines, copy that file into each node's data directory, owner-only");
        }
    }

    /** The node of a Raft peer id, or empty if it is not one of {@link #peerId}'s. */
    static java.util.OptionalInt nodeOfPeer(String peerId) {
        try {
            return java.util.OptionalInt.of(MetaPeerConfig.nodeIdOf(peerId));
        } catch (IllegalArgumentException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** The shard access policy of node {@code self}: its replica of the metadata, read locally first. */
    private static MetadataShardAccess shardAccess(int self, RaftMetadataStore meta) {
        return new MetadataShardAccess(self, new MetadataShardAccess.Replica() {
            @Override
            public java.util.Optional<byte[]> local(io.predastore.node.meta.MetaTable table, byte[] key)
                    throws IOException {
                return meta.getLocal(table, key);
            }

            @Override
            public java.util.Optional<byte[]> current(io.predastore.node.meta.MetaTable table, byte[] key)
                    throws IOException {
                return meta.get(table, key);
            }

            @Override
            public java.util.OptionalInt leader() {
                return meta.leaderId().map(ClusterAssembly::nodeOfPeer).orElse(java.util.OptionalInt.empty());
            }
        });
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
