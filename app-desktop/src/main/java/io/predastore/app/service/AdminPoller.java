package io.predastore.app.service;

import io.predastore.client.AdminClient;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.protocol.admin.ClusterHealth;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.NodeStatus;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftRole;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls every node's admin API once a second and publishes a {@link ClusterSnapshot} (on its own thread). Holds no
 * UI types. Never trusts every certificate: HTTPS is checked against the cluster CA or the JDK's trust store.
 */
public final class AdminPoller implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** The protection report's path; read with the raw response so that a 404 (an older node) is told apart. */
    static final String PROTECTION_PATH = "/admin/v1/protection";
    /** The most of an error body quoted in a message. */
    private static final int MAX_QUOTED = 200;

    private final Map<Integer, AdminClient> clients = new LinkedHashMap<>();
    private final Consumer<ClusterSnapshot> sink;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private ScheduledFuture<?> task;
    private ScheduledFuture<?> protectionTask;
    /** The node that last answered the protection report, asked first next time so a down node costs no wait. */
    private volatile Integer protectionNode;

    /**
     * Polls every node of a cluster file, over HTTPS trusting the cluster CA (and each node's certificate for that
     * node only) where a node's admin API serves TLS.
     *
     * @throws IOException if a node serves TLS and the cluster CA certificate cannot be read
     */
    public AdminPoller(ClusterConfig config, Consumer<ClusterSnapshot> sink, Clock clock) throws IOException {
        this.sink = Objects.requireNonNull(sink);
        this.clock = Objects.requireNonNull(clock);
        boolean anyTls = config.nodes().stream().anyMatch(NodeConfig::adminTls);
        ClusterTrust trust = anyTls ? ClusterTrust.load(config.tls().caCert(), Membership.of(config)) : null;
        for (NodeConfig node : config.nodes()) {
            clients.put(node.id(), AdminClient.forNode(config, node.id(), trust, REQUEST_TIMEOUT));
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "admin-poller"));
        this.workers = Executors.newFixedThreadPool(Math.max(1, Math.min(8, clients.size())),
                r -> daemon(r, "admin-poll-worker"));
    }

    /**
     * Polls the admin APIs at {@code adminUris} (by node id), signing with {@code admin} for {@code region}. An
     * {@code https} URI is trusted by {@code trust} expecting that node's certificate, or, when {@code trust} is
     * null, by the JDK's trust store.
     */
    public AdminPoller(Map<Integer, URI> adminUris, Credentials admin, String region, ClusterTrust trust,
            Consumer<ClusterSnapshot> sink, Clock clock) {
        this.sink = Objects.requireNonNull(sink);
        this.clock = Objects.requireNonNull(clock);
        HttpClient plain = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
        for (Map.Entry<Integer, URI> e : adminUris.entrySet()) {
            HttpClient http = plain;
            if (trust != null && e.getValue().getScheme().equals("https")) {
                http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                        .sslContext(trust.expectingNode(e.getKey()).clientContext()).build();
            }
            clients.put(e.getKey(), new AdminClient(e.getValue(), new SigV4Signer(admin, region, Clock.systemUTC()),
                    http, REQUEST_TIMEOUT));
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "admin-poller"));
        this.workers = Executors.newFixedThreadPool(Math.max(1, Math.min(8, clients.size())),
                r -> daemon(r, "admin-poll-worker"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Polls now and then every {@code period}. */
    public synchronized void start(Duration period) {
        if (task == null) {
            task = scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void pollQuietly() {
        try {
            sink.accept(poll());
        } catch (RuntimeException e) {
            // Keep polling; the next snapshot will tell.
        }
    }

    /** One poll of every node. */
    public ClusterSnapshot poll() {
        List<CompletableFuture<Polled>> futures = new ArrayList<>();
        for (Map.Entry<Integer, AdminClient> e : clients.entrySet()) {
            futures.add(CompletableFuture.supplyAsync(() -> pollNode(e.getKey(), e.getValue()), workers));
        }
        List<NodeSample> samples = new ArrayList<>();
        RaftGroupStatus raft = null;
        RingView ring = null;
        long ringEpoch = -1;
        ClusterHealth health = null;
        ClusterMembers members = null;
        for (CompletableFuture<Polled> f : futures) {
            Polled p = f.join();
            samples.add(p.sample);
            if (p.raft != null && (raft == null || p.raft.selfRole() == RaftRole.LEADER)) {
                raft = p.raft;
            }
            // The ring of the node with the newest member list, so the two drawn together agree.
            long epoch = p.members == null ? -1 : p.members.epoch();
            if (p.ring != null && (ring == null || epoch > ringEpoch)) {
                ring = p.ring;
                ringEpoch = epoch;
            }
            if (health == null && p.health != null) {
                health = p.health;
            }
            // Nodes apply a member change one after the other: the newest list is the one the cluster is going to.
            if (p.members != null && (members == null || p.members.epoch() > members.epoch())) {
                members = p.members;
            }
        }
        return new ClusterSnapshot(clock.instant(), samples, raft, ring, health, members);
    }

    private record Polled(NodeSample sample, RaftGroupStatus raft, RingView ring, ClusterHealth health,
            ClusterMembers members) {
    }

    private static Polled pollNode(int id, AdminClient client) {
        NodeStatus status;
        try {
            status = client.status();
        } catch (IOException | RuntimeException e) {
            return new Polled(new NodeSample(id, null, null, e.getMessage()), null, null, null, null);
        }
        Counters counters = quietly(client::counters);
        RaftGroupStatus raft = quietly(client::raft);
        RingView ring = quietly(client::ring);
        ClusterHealth health = quietly(client::health);
        ClusterMembers members = quietly(client::members);
        return new Polled(new NodeSample(id, status, counters, null), raft, ring, health, members);
    }

    private interface Call<T> {
        T call() throws IOException;
    }

    private static <T> T quietly(Call<T> call) {
        try {
            return call.call();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads the protection report now and then every {@code period}, handing each attempt to {@code sink} (on the
     * poller's thread). The report is computed by the cluster every few seconds, so polling it more often than the
     * node status gains nothing.
     */
    public synchronized void startProtection(Duration period, Consumer<ProtectionFetch> sink) {
        Objects.requireNonNull(sink);
        if (protectionTask == null) {
            protectionTask = scheduler.scheduleWithFixedDelay(() -> {
                try {
                    sink.accept(protection());
                } catch (RuntimeException e) {
                    // Keep polling; the next attempt will tell.
                }
            }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The cluster's protection report ({@code GET /admin/v1/protection}), asked of the node that answered last,
     * then of the others in turn until one answers with a report. Never throws: a 404 from a node (a release
     * without the endpoint) and no answer at all come back as such.
     */
    public ProtectionFetch protection() {
        List<Map.Entry<Integer, AdminClient>> order = new ArrayList<>(clients.entrySet());
        Integer first = protectionNode;
        if (first != null) {
            order.sort((a, b) -> Boolean.compare(!a.getKey().equals(first), !b.getKey().equals(first)));
        }
        boolean notFound = false;
        String error = null;
        for (Map.Entry<Integer, AdminClient> e : order) {
            AdminClient client = e.getValue();
            HttpResponse<byte[]> r;
            try {
                r = client.send("GET", PROTECTION_PATH, new byte[0]);
            } catch (IOException | RuntimeException ex) {
                error = ex.getMessage();
                continue;
            }
            int status = r.statusCode();
            if (status == 404) {
                notFound = true;
                continue;
            }
            if (status < 200 || status > 299) {
                error = "GET " + PROTECTION_PATH + " to node " + client.baseUri() + " answered " + status + quote(r);
                continue;
            }
            try {
                ProtectionReport report = AdminJson.read(r.body(), ProtectionReport.class);
                protectionNode = e.getKey();
                return ProtectionFetch.of(clock.instant(), report);
            } catch (IOException ex) {
                error = "node " + client.baseUri() + " sent a protection report this app cannot read: "
                        + ex.getMessage();
            }
        }
        if (notFound) {
            return ProtectionFetch.unsupported(clock.instant());
        }
        return ProtectionFetch.failed(clock.instant(), error != null ? error : "the cluster has no nodes");
    }

    private static String quote(HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8).strip();
        if (body.isEmpty()) {
            return "";
        }
        return ": " + (body.length() > MAX_QUOTED ? body.substring(0, MAX_QUOTED) + "…" : body);
    }

    /** Where the shards of an object are, asked of the first node that answers. */
    public Optional<ObjectPlacement> placement(String bucket, String key) throws IOException {
        IOException last = null;
        for (AdminClient client : clients.values()) {
            try {
                return client.placement(bucket, key);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("the cluster has no nodes");
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        if (protectionTask != null) {
            protectionTask.cancel(false);
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
    }
}
