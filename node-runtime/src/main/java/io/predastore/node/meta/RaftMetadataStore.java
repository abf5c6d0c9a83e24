package io.predastore.node.meta;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated {@link MetadataStore}: this node's Raft peer (Apache Ratis over gRPC, optionally mutual TLS) with a
 * {@link RocksStateMachine}, plus a client that sends this node's requests into the group.
 *
 * <p>The Raft port listens on this node's host only and speaks TLS 1.3 only. Each call on it is checked against the
 * certificate that carries it ({@link RaftCallGuard}: a peer speaks only for itself, admin calls are refused), and
 * the requests this node's client sends are sealed with the cluster secret, which the state machine checks
 * ({@link RequestSeal}): a member's TLS key alone reads and writes nothing.
 *
 * <p>Writes go to the leader wherever they are issued (the client follows "not leader" redirects). Reads are
 * linearizable read-index reads served by this node's own database once it has applied everything the leader had
 * committed when the read arrived. A call that cannot complete within {@link MetadataOptions.Timeouts#request()}
 * fails with an {@link IOException} saying who the leader is, if anyone; a timed-out write may still be applied
 * later.
 */
public final class RaftMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(RaftMetadataStore.class);
    private static final Duration RETRY_SLEEP = Duration.ofMillis(100);
    /** The one TLS version the Raft port speaks and dials with. */
    static final String TLS_PROTOCOL = "TLSv1.3";

    private final MetadataOptions options;
    private final RaftGroupId groupId;
    private final RaftPeerId selfId;
    private final RaftServer server;
    private final RaftClient client;
    private final RocksStateMachine stateMachine;
    /** The disk this store opened for itself and closes, or null when the caller's. */
    private final NodeDisk ownDisk;
    private final CommitGroups groups = new CommitGroups();
    private final RequestSeal seal;
    private final EmptyRejoin.Handover handover;
    private final ClientId adminClientId = ClientId.randomId();
    private final java.util.concurrent.atomic.AtomicLong adminCallId = new java.util.concurrent.atomic.AtomicLong();
    /** Watches this peer while it started with an empty log, or null. */
    private volatile EmptyRejoin rejoin;
    /** The peers this node admits calls and requests from; follows the cluster's member list. */
    private final PeerSet admitted;

    private RaftMetadataStore(MetadataOptions options, RaftGroupId groupId, RaftServer server, RaftClient client,
            RocksStateMachine stateMachine, NodeDisk ownDisk, RequestSeal seal, PeerSet admitted) {
        this.admitted = admitted;
        this.ownDisk = ownDisk;
        this.seal = seal;
        this.options = options;
        this.groupId = groupId;
        this.selfId = RaftPeerId.valueOf(options.selfId());
        this.server = server;
        this.client = client;
        this.stateMachine = stateMachine;
        this.handover = new EmptyRejoin.Handover(options.selfId(), admitted, Clock.systemUTC());
    }

    /** The Raft group id every peer of {@code clusterName} uses. */
    public static RaftGroupId groupId(String clusterName) {
        return RaftGroupId.valueOf(
                UUID.nameUUIDFromBytes(("predastore-meta:" + clusterName).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Starts this node's peer with no free-space reserve (for tests and tools; a node uses
     * {@link #start(MetadataOptions, NodeDisk)}).
     */
    public static RaftMetadataStore start(MetadataOptions options) throws IOException {
        OwnerOnly.createDirectories(options.dir());
        NodeDisk disk = NodeDisk.unguarded(options.dir());
        try {
            return start(options, disk, disk);
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
    }

    /**
     * Starts this node's peer and returns once its RPC endpoint listens; a leader is elected once a majority of
     * peers runs. Calls made before that wait (up to the request timeout). Its database is opened on {@code disk}
     * (see {@link NodeDisk}), which the caller closes after this store.
     */
    public static RaftMetadataStore start(MetadataOptions options, NodeDisk disk) throws IOException {
        return start(options, disk, null);
    }

    private static RaftMetadataStore start(MetadataOptions options, NodeDisk disk, NodeDisk ownDisk)
            throws IOException {
        RaftGroupId groupId = groupId(options.clusterName());
        boolean startsEmpty = !EmptyRejoin.hasLog(options.dir().resolve("raft"));
        // A node added to a running group waits, neither following nor campaigning, until the leader adds it and
        // sends it the log or a snapshot. Later starts use the configuration in its own log, whatever the group
        // given here. Its client sends to the other peers.
        boolean waitToBeAdded = options.joining() && startsEmpty;
        // A group formed from the cluster file gives votes to at most five peers (MetaVoters); the others start as
        // listeners. Every peer computes the same roles from the same file.
        java.util.Set<String> voters = MetaVoters.initial(options.peers());
        List<RaftPeer> peers = new ArrayList<>();
        RaftPeer self = null;
        for (MetaPeerConfig p : options.peers()) {
            if (waitToBeAdded && p.id().equals(options.selfId())) {
                self = RaftPeer.newBuilder().setId(p.id()).setAddress(p.address())
                        .setStartupRole(RaftPeerRole.LISTENER).build();
            } else {
                peers.add(RaftPeer.newBuilder().setId(p.id()).setAddress(p.address())
                        .setStartupRole(voters.contains(p.id()) ? RaftPeerRole.FOLLOWER : RaftPeerRole.LISTENER)
                        .build());
            }
        }
        RaftGroup group = RaftGroup.valueOf(groupId, peers);
        RaftGroup serverGroup = group;
        if (waitToBeAdded) {
            if (self == null) {
                throw new IllegalArgumentException("the peers of joining node " + options.selfId()
                        + " do not include it");
            }
            // It starts as a listener, as the leader adds it. Ratis fixes a peer's role when it starts and never
            // turns a running follower into a listener: a peer started outside the configuration would keep the
            // follower role, campaign once the leader is gone, and be shut down by the next leader (measured on
            // Ratis 3.3.0, where a node added to a cluster of seven stopped following the log this way).
            List<RaftPeer> withSelf = new ArrayList<>(peers);
            withSelf.add(self);
            serverGroup = RaftGroup.valueOf(groupId, withSelf);
        }
        PeerSet admitted = new PeerSet(options.peers().stream().map(MetaPeerConfig::id).collect(Collectors.toSet()));
        RaftProperties props = properties(options);
        Parameters params = new Parameters();
        if (options.tls() != null) {
            // TLS 1.3 only, as on the shard port: both as server and when dialing a peer.
            GrpcTlsConfig tls = GrpcTlsConfig.newBuilder()
                    .setKeyManager(options.tls().keyManager())
                    .setTrustManager(options.tls().trustManager())
                    .setMutualTls(true)
                    .setProtocols(TLS_PROTOCOL)
                    .build();
            GrpcConfigKeys.TLS.setConf(params, tls);
            GrpcConfigKeys.Server.setTlsConf(params, tls);
            GrpcConfigKeys.Client.setTlsConf(params, tls);
            GrpcConfigKeys.Admin.setTlsConf(params, tls);
        }
        GrpcConfigKeys.Server.setServicesCustomizer(params,
                new RaftCallGuard(peerIdOfCertificate(options, admitted)));
        RequestSeal seal = new RequestSeal(options.secret(), options.selfId(), admitted, Clock.systemUTC(),
                new SecureRandom());
        RocksStateMachine sm = new RocksStateMachine(options.dir().resolve("db"), disk, seal);
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(options.selfId()))
                .setGroup(serverGroup)
                .setStateMachine(sm)
                .setProperties(props)
                .setParameters(params)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        RaftClient client = null;
        try {
            server.start();
            int attempts = (int) Math.max(1, options.timeouts().request().toMillis() / RETRY_SLEEP.toMillis());
            client = RaftClient.newBuilder()
                    .setProperties(props)
                    .setParameters(params)
                    .setRaftGroup(group)
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
                            TimeDuration.valueOf(RETRY_SLEEP.toMillis(), TimeUnit.MILLISECONDS)))
                    .build();
            RaftMetadataStore store = new RaftMetadataStore(options, groupId, server, client, sm, ownDisk, seal,
                    admitted);
            sm.onHandoverRequest(store::answerHandover);
            if (waitToBeAdded) {
                LOG.info("{}: added to a running cluster; waiting for the metadata leader to add this peer to the "
                        + "group and send it the metadata", options.selfId());
            } else if (startsEmpty) {
                store.rejoin = EmptyRejoin.watch(store.rejoinPeer(), options.selfId());
            }
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                if (client != null) {
                    client.close();
                }
                server.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The peer id of the node a certificate names, if it is a node of this cluster and a peer of the group; the Raft
     * port refuses every call whose certificate maps to none.
     */
    private static Function<NodeIdentity, Optional<String>> peerIdOfCertificate(MetadataOptions options,
            PeerSet peers) {
        if (options.tls() == null) {
            return identity -> Optional.empty();
        }
        return identity -> {
            if (!identity.cluster().equals(options.clusterName())) {
                return Optional.empty();
            }
            String peer = options.tls().peerIdOfNode().apply(identity.nodeId());
            return peers.contains(peer) ? Optional.of(peer) : Optional.empty();
        };
    }

    private static RaftProperties properties(MetadataOptions options) {
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        // Only on the node's own address: the port carries nothing for anyone else. Admin and client services share
        // the server's port (no port of their own is set), so they listen there too.
        GrpcConfigKeys.Server.setHost(props, options.self().host());
        GrpcConfigKeys.Admin.setHost(props, options.self().host());
        GrpcConfigKeys.Client.setHost(props, options.self().host());
        GrpcConfigKeys.Server.setPort(props, options.self().raftPort());
        RaftServerConfigKeys.setStorageDir(props, List.of(options.dir().resolve("raft").toFile()));

        MetadataOptions.Timeouts t = options.timeouts();
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, millis(t.electionMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, millis(t.electionMax()));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(props, millis(t.electionMin()));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(props, millis(t.electionMax()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(props, millis(t.request()));
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, millis(t.request()));

        // Read-index reads: a read on any peer sees every write acknowledged before it started.
        RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(props, millis(t.request()));
        // Within its lease the leader answers a read index without a heartbeat round first.
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(props, true);

        MetadataOptions.LogOptions log = options.log();
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, log.snapshotEveryEntries());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.min(1024, log.snapshotEveryEntries()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf(log.segmentSizeBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(props,
                SizeInBytes.valueOf(Math.min(log.segmentSizeBytes(), 4L << 20)));
        // Snapshot files go to a lagging follower as a stream of chunks. Ratis 3.3.0 blocks the leader's sender
        // for that follower when more chunks are outstanding than this limit and the stream has failed (e.g. the
        // follower was still down), so it never retries until the leader changes. A limit above any realistic
        // chunk count (checkpoint files of at most 16 MiB each) lets a failed transfer end and be retried.
        GrpcConfigKeys.Server.setInstallSnapshotRequestElementLimit(props, 4096);
        // By default the leader appends a metadata entry recording each new commit index, so under load every other
        // log entry carries no data yet is replicated, fsynced and applied on every peer. The state machine keeps its
        // own applied index atomically with its data, and a restarted peer learns the commit index from the
        // leader, so those entries buy nothing here; without them a 4 KiB PUT took about 18 % less CPU in all.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(props, false);
        return props;
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<byte[]> get(MetaTable table, byte[] key) throws IOException {
        byte[] reply = read(MetaBatchCodec.encodeGet(table, key), "get");
        return Optional.ofNullable(MetaBatchCodec.decodeGetReply(reply));
    }

    @Override
    public List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit " + limit);
        }
        byte[] reply = read(MetaBatchCodec.encodeScan(table, prefix == null ? new byte[0] : prefix, from, limit),
                "scan");
        return MetaBatchCodec.decodeScanReply(reply);
    }

    /**
     * The value of a key in this peer's own replica, without asking the leader: as of the last entry this peer
     * applied, so possibly behind the cluster. Cheap (one local database read); for checks that fall back to
     * {@link #get} when the local answer is not enough.
     *
     * @throws IOException if this peer's state machine is closed or stopped after a storage failure
     */
    public Optional<byte[]> getLocal(MetaTable table, byte[] key) throws IOException {
        return Optional.ofNullable(MetaBatchCodec.decodeGetReply(stateMachine.answerLocally(
                MetaBatchCodec.encodeGet(table, key))));
    }

    /** The peer id of the leader this peer knows of, or empty (no leader elected, or not known yet). */
    public Optional<String> leaderId() {
        try {
            RaftPeerId leader = server.getDivision(groupId).getInfo().getLeaderId();
            return leader == null ? Optional.empty() : Optional.of(leader.toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A linearizable read served by the leader. A follower could serve it too, but only once it has applied the
     * leader's commit index, which it learns with the next heartbeat: reading at the leader avoids that wait.
     *
     * <p>Sent unordered: the client's ordered stream delivers replies in the order requests were sent, so a read
     * would otherwise wait behind every write this node had in flight (measured: reads took as long as commits
     * under concurrent PUTs). A read needs no order relative to this node's pending writes, only to acknowledged
     * ones, which linearizability gives.
     */
    private byte[] read(byte[] query, String what) throws IOException {
        if (Weakening.LOCAL_READS.active()) {
            return stateMachine.answerLocally(query);
        }
        byte[] sealed = seal.seal(RequestSeal.Kind.QUERY, query);
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(sealed));
        return awaitReply(client.async().sendReadOnlyUnordered(message), what);
    }

    @Override
    public ApplyOutcome applyBatch(MetaBatch batch) throws IOException {
        return await(groups.submit(batch), "write");
    }

    /** Waits for a metadata call, mapping a timeout or failure to an IOException that names the leader. */
    private <T> T await(CompletableFuture<T> future, String what) throws IOException {
        Duration timeout = options.timeouts().request();
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new IOException("metadata " + what + " timed out after " + timeout.toMillis() + " ms: "
                    + leaderHint(), e);
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for metadata " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("metadata " + what + " failed (" + cause.getMessage() + "): " + leaderHint(),
                    cause);
        }
    }

    /** The reply's content, or an IOException if the group refused the request. */
    private byte[] content(RaftClientReply reply, String what) throws IOException {
        if (!reply.isSuccess()) {
            Exception cause = reply.getException();
            throw new IOException("metadata " + what + " failed ("
                    + (cause == null ? "no reason given" : cause.getMessage()) + "): " + leaderHint(), cause);
        }
        return reply.getMessage().getContent().toByteArray();
    }

    private byte[] awaitReply(CompletableFuture<RaftClientReply> future, String what) throws IOException {
        return content(await(future, what), what);
    }

    /**
     * Group commit: concurrent writes issued on this node share log entries. A write goes out at once when fewer
     * than {@link #MAX_IN_FLIGHT} entries are in flight; otherwise it waits for one to finish and leaves with every
     * write queued meanwhile, in one entry. So a lone write pays no delay, and under load one Raft round trip (and
     * one log fsync per peer) carries many objects. Each batch in an entry keeps its own conditions and outcome.
     */
    private final class CommitGroups {
        /** Entries of this node in flight at once; one more keeps the pipeline busy while a reply travels back. */
        private static final int MAX_IN_FLIGHT = 2;
        private static final int MAX_BATCHES = 256;
        private static final int MAX_BYTES = 1 << 20;

        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private int inFlight;

        private record Pending(byte[] encoded, CompletableFuture<ApplyOutcome> outcome) {
        }

        CompletableFuture<ApplyOutcome> submit(MetaBatch batch) {
            Pending p = new Pending(MetaBatchCodec.encode(batch), new CompletableFuture<>());
            synchronized (this) {
                queue.add(p);
            }
            drain();
            return p.outcome();
        }

        private void drain() {
            while (true) {
                List<Pending> group = new ArrayList<>();
                synchronized (this) {
                    if (inFlight >= MAX_IN_FLIGHT || queue.isEmpty()) {
                        return;
                    }
                    int bytes = 0;
                    while (!queue.isEmpty() && group.size() < MAX_BATCHES
                            && (group.isEmpty() || bytes + queue.peek().encoded().length <= MAX_BYTES)) {
                        Pending next = queue.poll();
                        bytes += next.encoded().length;
                        group.add(next);
                    }
                    inFlight++;
                }
                send(group);
            }
        }

        private void send(List<Pending> group) {
            List<byte[]> encoded = new ArrayList<>(group.size());
            for (Pending p : group) {
                encoded.add(p.encoded());
            }
            Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(
                    seal.seal(RequestSeal.Kind.WRITE, MetaBatchCodec.entryOf(encoded))));
            CompletableFuture<RaftClientReply> sent;
            try {
                // Bounded like a single call: the client's own retries could hold this slot far longer, and with
                // few slots every later write of this node would wait behind it. A timed-out entry may still be
                // applied later, exactly as a timed-out single write.
                sent = client.async().send(message)
                        .orTimeout(options.timeouts().request().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((reply, error) -> {
                synchronized (this) {
                    inFlight--;
                }
                complete(group, reply, error);
                drain();
            });
        }

        private void complete(List<Pending> group, RaftClientReply reply, Throwable error) {
            byte[] codes;
            try {
                if (error != null) {
                    throw error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                }
                codes = content(reply, "write");
                if (codes.length == 1 && codes[0] == MetaBatchCodec.MALFORMED) {
                    throw new IOException("the metadata peers could not decode the batch");
                }
                if (codes.length != group.size()) {
                    throw new IOException("unexpected metadata write reply of " + codes.length + " bytes for "
                            + group.size() + " batches");
                }
            } catch (Throwable t) {
                for (Pending p : group) {
                    p.outcome().completeExceptionally(t);
                }
                return;
            }
            for (int i = 0; i < codes.length; i++) {
                CompletableFuture<ApplyOutcome> outcome = group.get(i).outcome();
                switch (codes[i]) {
                    case MetaBatchCodec.APPLIED -> outcome.complete(ApplyOutcome.APPLIED);
                    case MetaBatchCodec.APPLIED_KEPT_PREVIOUS -> outcome.complete(ApplyOutcome.APPLIED_KEPT_PREVIOUS);
                    case MetaBatchCodec.NOT_APPLIED -> outcome.complete(ApplyOutcome.NOT_APPLIED);
                    default -> outcome.completeExceptionally(
                            new IOException("the metadata peers could not decode the batch"));
                }
            }
        }
    }

    /** This peer as the {@link EmptyRejoin} watch sees it. */
    private EmptyRejoin.Peer rejoinPeer() {
        return new EmptyRejoin.Peer() {
            @Override
            public RaftStatus status() throws IOException {
                return RaftMetadataStore.this.status();
            }

            @Override
            public String askForHandover(String leaderId) throws IOException {
                byte[] sealed = seal.seal(RequestSeal.Kind.QUERY, MetaBatchCodec.encodeHandover(options.selfId()));
                Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(sealed));
                byte[] answer = awaitReply(client.async().sendReadOnlyUnordered(message, RaftPeerId.valueOf(leaderId)),
                        "handover request");
                return new String(answer, StandardCharsets.UTF_8);
            }
        };
    }

    /**
     * The leader's answer to a peer that started empty and asks for a new leader: transfers leadership by calling
     * its own server (no admin call crosses the network), if {@link EmptyRejoin.Handover} grants it.
     */
    private String answerHandover(String asking) {
        RaftStatus s;
        try {
            s = status();
        } catch (IOException e) {
            return "refused: " + e.getMessage();
        }
        EmptyRejoin.Handover.Verdict verdict = handover.decide(asking, s);
        if (!verdict.granted()) {
            return "refused: " + verdict.refusal();
        }
        LOG.warn("{}: {} started with an empty metadata log and this leader cannot send it what it lacks; handing "
                + "leadership to {}, whose leadership starts by sending {} the whole log or a snapshot",
                options.selfId(), asking, verdict.target(), asking);
        try {
            server.transferLeadershipAsync(new TransferLeadershipRequest(adminClientId, selfId, groupId,
                    adminCallId.incrementAndGet(), RaftPeerId.valueOf(verdict.target()),
                    options.timeouts().request().toMillis()))
                    .whenComplete((reply, failure) -> {
                        if (failure != null || reply == null || !reply.isSuccess()) {
                            LOG.warn("{}: handing leadership to {} failed: {}", options.selfId(), verdict.target(),
                                    failure != null ? failure.toString()
                                            : reply == null ? "no reply" : String.valueOf(reply.getException()));
                        }
                    });
        } catch (IOException e) {
            return "refused: " + e.getMessage();
        }
        return "handing leadership to " + verdict.target();
    }

    /** "leader is node-3 at host:port", or "no leader elected yet; retry". */
    String leaderHint() {
        try {
            RaftPeerId leader = server.getDivision(groupId).getInfo().getLeaderId();
            if (leader == null) {
                return "no leader elected yet; retry";
            }
            String id = leader.toString();
            RaftPeer peer = server.getDivision(groupId).getRaftConf().getPeer(leader);
            String address = peer != null && peer.getAddress() != null ? peer.getAddress() : "unknown address";
            return "leader is " + id + " at " + address;
        } catch (IOException | RuntimeException e) {
            return "metadata peer not running (" + e.getMessage() + ")";
        }
    }

    /**
     * Admits calls and requests from exactly the peers {@code peerIds} (this peer always included): called as the
     * cluster's member list changes, so a node added to the cluster can reach this one before the leader adds it.
     */
    public void admitPeers(Set<String> peerIds) {
        Set<String> ids = new java.util.TreeSet<>(peerIds);
        ids.add(options.selfId());
        if (!ids.equals(admitted.ids())) {
            LOG.info("{}: metadata peers admitted: {}", options.selfId(), ids);
            admitted.replace(ids);
        }
    }

    /** The group's members as this peer's current Raft configuration has them. */
    public record GroupConfiguration(List<String> voters, List<String> listeners, boolean stable) {
        public GroupConfiguration {
            voters = voters.stream().sorted().toList();
            listeners = listeners.stream().sorted().toList();
        }
    }

    /** The voters and listeners of this peer's current Raft configuration. */
    public GroupConfiguration groupConfiguration() throws IOException {
        org.apache.ratis.server.RaftConfiguration conf = server.getDivision(groupId).getRaftConf();
        List<String> voters = conf.getCurrentPeers(RaftPeerRole.FOLLOWER).stream().map(p -> p.getId().toString())
                .toList();
        List<String> listeners = conf.getCurrentPeers(RaftPeerRole.LISTENER).stream()
                .map(p -> p.getId().toString()).toList();
        return new GroupConfiguration(voters, listeners, conf.getPreviousPeers().isEmpty());
    }

    /**
     * Sets the group's configuration to {@code voters} and {@code listeners}, through this peer's own server
     * (Raft admin calls stay refused on the network): only the leader can, and Ratis first brings new peers up to
     * date, then commits the new configuration. Completes when it is committed, or exceptionally.
     */
    public CompletableFuture<Void> reconfigure(List<MetaPeerConfig> voters, List<MetaPeerConfig> listeners) {
        org.apache.ratis.protocol.SetConfigurationRequest.Arguments arguments =
                org.apache.ratis.protocol.SetConfigurationRequest.Arguments.newBuilder()
                        .setServersInNewConf(voters.stream().map(RaftMetadataStore::raftPeer).toList())
                        .setListenersInNewConf(listeners.stream()
                                .map(p -> RaftPeer.newBuilder(raftPeer(p)).setStartupRole(RaftPeerRole.LISTENER)
                                        .build()).toList())
                        .setMode(org.apache.ratis.protocol.SetConfigurationRequest.Mode.SET_UNCONDITIONALLY)
                        .build();
        try {
            return server.setConfigurationAsync(new org.apache.ratis.protocol.SetConfigurationRequest(adminClientId,
                    selfId, groupId, adminCallId.incrementAndGet(), arguments)).thenAccept(reply -> {
                        if (!reply.isSuccess()) {
                            throw new java.util.concurrent.CompletionException(reply.getException() != null
                                    ? reply.getException() : new IOException("the configuration was not set"));
                        }
                    });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static RaftPeer raftPeer(MetaPeerConfig p) {
        return RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build();
    }

    /** This peer's Raft status. */
    public RaftStatus status() throws IOException {
        RaftServer.Division division = server.getDivision(groupId);
        DivisionInfo info = division.getInfo();
        RaftStatus.Role role = role(info.getCurrentRole());
        RaftPeerId leader = info.getLeaderId();
        List<RaftStatus.FollowerStatus> followers = new ArrayList<>();
        if (role == RaftStatus.Role.LEADER) {
            RoleInfoProto roleInfo = info.getRoleInfoProto();
            List<ServerRpcProto> rpcs = roleInfo.getLeaderInfo().getFollowerInfoList();
            long[] match = info.getFollowerMatchIndices();
            for (int i = 0; i < rpcs.size(); i++) {
                ServerRpcProto rpc = rpcs.get(i);
                // Both lists come from the leader's log appenders, in the same order.
                long m = match != null && match.length == rpcs.size() ? match[i] : -1;
                followers.add(new RaftStatus.FollowerStatus(rpc.getId().getId().toStringUtf8(), m,
                        Duration.ofMillis(rpc.getLastRpcElapsedTimeMs())));
            }
        }
        return new RaftStatus(role, leader == null ? null : leader.toString(), info.getCurrentTerm(),
                division.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(), followers);
    }

    private static RaftStatus.Role role(RaftPeerRole role) {
        return switch (role) {
            case LEADER -> RaftStatus.Role.LEADER;
            case CANDIDATE -> RaftStatus.Role.CANDIDATE;
            case LISTENER -> RaftStatus.Role.LISTENER;
            default -> RaftStatus.Role.FOLLOWER;
        };
    }

    /** The options this store was started with. */
    public MetadataOptions options() {
        return options;
    }

    /**
     * A RocksDB integer property of this node's replica of the tables, e.g. {@code rocksdb.estimate-live-data-size}
     * (summed over the tables), or empty while the replica is closed or being replaced by a snapshot. For metrics;
     * thread-safe.
     */
    public OptionalLong databaseProperty(String name) {
        return stateMachine.databaseProperty(name);
    }

    RocksStateMachine stateMachine() {
        return stateMachine;
    }

    /** Asks the local peer to snapshot now (admin and tests); returns the snapshot's log index. */
    long takeSnapshot() throws IOException {
        return stateMachine.takeSnapshot();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        EmptyRejoin watch = rejoin;
        if (watch != null) {
            watch.close();
        }
        // An apply waiting for disk space would hold up the peer's shutdown.
        stateMachine.stopWaiting();
        try {
            client.close();
        } catch (IOException e) {
            failure = e;
        }
        try {
            server.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (ownDisk != null) {
            ownDisk.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
