package io.predastore.chaos.cluster;

import io.predastore.client.AdminClient;
import io.predastore.client.AdminException;
import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.supervisor.DevClusterInit;
import io.predastore.node.supervisor.DevFaults;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.HttpTls;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.NodeSupervisor;
import io.predastore.node.supervisor.PortAllocator;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.LeaderInfo;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ClusterConfigWriter;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.StorageConfig;
import io.predastore.protocol.config.TuningConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real cluster for fault injection: {@code cluster init} of a dev cluster whose nodes each live on a network host
 * of their own ({@link Hosts}), S3 and the admin API over plain HTTP (node-to-node traffic keeps mutual TLS), and
 * every node started here as {@code ip netns exec <ns> java ... -jar predastore-node.jar serve --backend
 * distributed ...}, with the JVM options the supervisor uses, logging to {@code <dir>/logs/node-N.log}.
 *
 * <p>Faults: {@link #kill} (SIGKILL), {@link #pause}/{@link #resume} (SIGSTOP/SIGCONT), {@link #partition} and
 * {@link #heal}, {@link #fillDisk}/{@link #freeDisk} (every node's data directory is a small file system of its
 * own, {@link NodeDisks}), {@link #rot}, {@link #wipe}. {@link #close()} stops every node process, removes the hosts and unmounts
 * the node file systems, also after failures; if the JVM
 * exits without it, the hosts' own clean-up kills what runs in their namespaces. Thread-safe.
 *
 * <p>Members change as in production, through the admin API ({@code docs/membership.md}): {@link #addNode} makes a
 * new node on a spare host (the hosts beyond the first members, {@link #SPARE_HOSTS} by default) with the files
 * {@code cluster add-node} makes, adds it as joining and starts it; {@link #removeNode} starts draining a member;
 * {@link #replaceNode} gives a member an empty disk as {@code cluster replace-node} does. A node's host is not its
 * id: node 6 may live on the host node 2 left. {@link #nodeIds()} is always the current members that take faults
 * and clients (not one still joining or already leaving), and a removed node's host and file system are released
 * once it has exited ({@link #reapRemoved()}).
 */
public final class ChaosCluster implements NodeControl, AutoCloseable {
    /** The nodes of the default cluster. */
    public static final int NODES = 5;
    /** Hosts made beyond the first members, where {@link #addNode} puts new nodes. */
    public static final int SPARE_HOSTS = 2;
    /** The default erasure layout: RS(3,2), every shard written. */
    public static final ErasureConfig RS = new ErasureConfig(3, 2);
    /** The heap of every node. */
    public static final String HEAP = "-Xmx160m";
    /** The size of every node's own file system (a tmpfs; only what is written takes memory). */
    public static final long DISK_BYTES = 1L << 30;
    /** The free-space reserve of every node, below which it refuses new data. */
    public static final long RESERVE_BYTES = 32L << 20;

    /**
     * How long a node may be down before the cluster declares it lost and rebuilds its shards elsewhere: short, so
     * that a lose fault fits in a run (the product's default is 10 minutes).
     */
    public static final Duration DEAD_NODE_GRACE = Duration.ofSeconds(20);
    /**
     * The cluster-file tuning of every chaos cluster: the dead-node grace above, and protection passes and scrubs
     * often enough that damage is found and repaired within a run.
     */
    static final Map<String, Long> TUNING = Map.of("dead_node_grace_ms", DEAD_NODE_GRACE.toMillis(),
            "protection_check_interval_ms", 5_000L, "scrub_bytes_per_second", 8L << 20,
            "scrub_pass_interval_ms", 10_000L);

    /** Bytes one rot fault flips. */
    static final int ROT_BYTES = 16;
    /** How far back from the end of a node's segments a rot fault reaches. */
    static final long ROT_WINDOW_BYTES = 8L << 20;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);
    /** How long {@link #start(Path, Path)} waits for every node to serve. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(240);
    private static final long SIGNAL_TIMEOUT_SECONDS = 20;
    private static final Pattern NODE_ID = Pattern.compile("(\\d+)$");

    private final Path dir;
    private final Path jar;
    private final Hosts hosts;
    /** The cluster file as it is now: a node added is appended to it, a node removed dropped from it. */
    private volatile ClusterConfig config;
    private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AdminClient> admins = new ConcurrentHashMap<>();
    /** The host each node of the cluster file lives on. */
    private final Map<Integer, Integer> hostOf = new ConcurrentHashMap<>();
    /** Nodes added and not yet active, and members draining: in the cluster file but not in {@link #nodeIds()}. */
    private final Set<Integer> joining = ConcurrentHashMap.newKeySet();
    private final Set<Integer> leaving = ConcurrentHashMap.newKeySet();
    /** Serializes the member changes (each reads the member list, then changes it and the cluster file). */
    private final Object membership = new Object();
    private final NodeDisks disks = new NodeDisks(DISK_BYTES);
    private volatile List<String> nodeJvmOptions = List.of();
    private volatile Runnable membersListener = () -> { };
    /** What removed nodes failed to do when they left (delete their data), for {@link #awaitMembersSettled}. */
    private final List<String> removedLeftovers = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChaosCluster(Path dir, Path jar, Hosts hosts, ClusterConfig config) {
        this.dir = dir;
        this.jar = jar;
        this.hosts = hosts;
        this.config = config;
        for (NodeConfig node : config.nodes()) {
            admins.put(node.id(), AdminClient.forNode(config, node.id(), null, ADMIN_TIMEOUT));
            hostOf.put(node.id(), node.id());
        }
    }

    /** {@link #start(Path, Path, ErasureConfig, Duration)} of five nodes, RS(3,2), waiting up to 4 minutes. */
    public static ChaosCluster start(Path dir, Path nodeJar) throws IOException, InterruptedException {
        return start(dir, nodeJar, RS, DEFAULT_READY_TIMEOUT);
    }

    /** {@link #start(Path, Path, ErasureConfig, Duration)} of {@code nodes} nodes, RS(3,2), waiting up to 4 minutes. */
    public static ChaosCluster start(Path dir, Path nodeJar, int nodes) throws IOException, InterruptedException {
        return start(dir, nodeJar, RS, nodes, DEFAULT_READY_TIMEOUT, List.of());
    }

    /**
     * Makes {@code rs.width()} hosts and {@link #SPARE_HOSTS} spare ones, writes a cluster into {@code dir} (which
     * must not hold one) with a reserve of {@link #RESERVE_BYTES}, mounts a file system of {@link #DISK_BYTES} on
     * every node's data directory, starts every node and waits until each answers its admin API and a Raft leader
     * exists.
     *
     * @param dir     the cluster directory (cluster file, certificates, data, {@code logs/})
     * @param nodeJar {@code predastore-node.jar}
     * @throws HostsUnavailableException when network namespaces cannot be made here (run as root)
     * @throws IOException               when the cluster cannot be written or does not come up within
     *                                   {@code timeout} (the message holds the end of the failing node's log);
     *                                   everything started is stopped and removed again
     */
    public static ChaosCluster start(Path dir, Path nodeJar, ErasureConfig rs, Duration timeout)
            throws IOException, InterruptedException {
        return start(dir, nodeJar, rs, rs.width(), timeout, List.of());
    }

    /**
     * The same with {@code nodes} nodes (at least {@code rs.width()}) and {@link #SPARE_HOSTS} spare hosts, starting
     * every node with {@code jvmOptions} (see {@link #setNodeJvmOptions}).
     */
    public static ChaosCluster start(Path dir, Path nodeJar, ErasureConfig rs, int nodes, Duration timeout,
            List<String> jvmOptions) throws IOException, InterruptedException {
        return start(dir, nodeJar, rs, nodes, SPARE_HOSTS, timeout, jvmOptions);
    }

    /**
     * The same with {@code spares} spare hosts for nodes {@link #addNode added} later (0: none can be added).
     */
    public static ChaosCluster start(Path dir, Path nodeJar, ErasureConfig rs, int nodes, int spares,
            Duration timeout, List<String> jvmOptions) throws IOException, InterruptedException {
        if (spares < 0) {
            throw new IllegalArgumentException("spare hosts cannot be negative: " + spares);
        }
        if (nodes < rs.width()) {
            throw new IllegalArgumentException(nodes + " nodes cannot hold the " + rs.width() + " shards of a set");
        }
        if (!Files.isRegularFile(nodeJar)) {
            throw new IOException("no node jar at " + nodeJar + "; build it with `mvn -o -pl node-runtime -am package "
                    + "-DskipTests`");
        }
        Hosts hosts = Hosts.create(nodes + spares);
        ChaosCluster cluster = null;
        try {
            ClusterConfig created = DevClusterInit.create(dir, hosts.addresses().subList(0, nodes), rs,
                    PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.OFF);
            ClusterConfig config = withChaosSettings(created, RESERVE_BYTES);
            cluster = new ChaosCluster(dir.toAbsolutePath().normalize(), nodeJar.toAbsolutePath(), hosts, config);
            cluster.setNodeJvmOptions(jvmOptions);
            for (NodeConfig node : config.nodes()) {
                cluster.disks.mount(node.id(), node.dataDir());
            }
            for (int id : cluster.nodeIds()) {
                cluster.start(id);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int id : cluster.nodeIds()) {
                cluster.awaitServing(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            cluster.awaitLeader(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                if (cluster != null) {
                    cluster.close();
                } else {
                    hosts.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Rewrites the cluster file of {@code config} with {@code [storage] reserve_bytes} (the default reserve is a
     * share of the file system, and the disk-full fault fills to a known distance below it) and {@link #TUNING}.
     */
    private static ClusterConfig withChaosSettings(ClusterConfig config, long reserve) throws IOException {
        Map<String, Long> tuning = new java.util.LinkedHashMap<>(config.tuning().toToml());
        tuning.putAll(TUNING);
        ClusterConfig changed = new ClusterConfig(config.cluster(), config.region(), config.transport(), config.rs(),
                config.credentials(), config.tls(), config.raft(), new StorageConfig(reserve),
                TuningConfig.fromToml(tuning), config.nodes(), config.file());
        // The file exists and is owner-only; writing over it keeps that.
        Files.writeString(config.file(), ClusterConfigWriter.toToml(changed, config.directory()),
                StandardCharsets.UTF_8);
        return ClusterConfigLoader.load(config.file());
    }

    /**
     * JVM options (e.g. {@code -Dpredastore.unsafe.weaken=local-reads}) given to every node started from now on;
     * nodes already running keep theirs until restarted.
     */
    public void setNodeJvmOptions(List<String> options) {
        nodeJvmOptions = List.copyOf(options);
    }

    /**
     * Removes what crashed runs left: their network hosts ({@link Hosts#removeLeftovers()}), then their node file
     * systems. A live run's are never touched.
     *
     * @return what was removed
     * @throws IOException naming what could not be removed (not fatal: a new run takes fresh names)
     */
    public static List<String> removeLeftovers() throws IOException {
        List<String> removed = new ArrayList<>(Hosts.removeLeftovers());
        removed.addAll(NodeDisks.removeLeftovers());
        return removed;
    }

    /** The cluster directory. */
    public Path directory() {
        return dir;
    }

    /** The cluster as its file describes it now (nodes added are in it, nodes removed no longer). */
    public ClusterConfig config() {
        return config;
    }

    /**
     * The network hosts the nodes live on. Host {@code N} is node {@code N} for the first members; see
     * {@link #hostOf(int)} once members change.
     */
    public Hosts hosts() {
        return hosts;
    }

    /** The host (of {@link #hosts()}) node {@code node} lives on. */
    public int hostOf(int node) {
        Integer host = hostOf.get(node);
        if (host == null) {
            throw new IllegalArgumentException("no node " + node + " in the cluster; nodes are " + nodeIds());
        }
        return host;
    }

    /**
     * The current members that take faults and clients, ascending: active ones (a node added is in from the moment
     * it is active), not one still joining nor one draining or removed.
     */
    @Override
    public List<Integer> nodeIds() {
        return config.nodes().stream().map(NodeConfig::id).filter(n -> !joining.contains(n) && !leaving.contains(n))
                .sorted().toList();
    }

    /** Every node of the cluster file now, ascending: {@link #nodeIds()} and the nodes joining or draining. */
    public List<Integer> allNodeIds() {
        return config.nodes().stream().map(NodeConfig::id).sorted().toList();
    }

    /** Members draining (removed and not yet exited), ascending. */
    public List<Integer> leaving() {
        return new TreeSet<>(leaving).stream().toList();
    }

    /**
     * Called (on the thread that changed them) whenever {@link #nodeIds()} changes: a node added became active, a
     * member started draining. One listener; null for none.
     */
    public void setMembersListener(Runnable listener) {
        membersListener = listener == null ? () -> { } : listener;
    }

    @Override
    public int parity() {
        return config.rs().parity();
    }

    /** Node {@code node}'s S3 endpoint, e.g. {@code http://10.231.7.13:40123}. */
    public URI s3Endpoint(int node) {
        return URI.create(config.node(node).s3Endpoint());
    }

    /** The S3 access key id of the cluster. */
    public String accessKey() {
        return config.credentials().accessKey();
    }

    /** The S3 secret key of the cluster. */
    public String secretKey() {
        return config.credentials().secretKey();
    }

    /** The region the cluster signs for (from the cluster file). */
    public String region() {
        return config.region();
    }

    /** The admin API client of node {@code node} (one per node for the cluster's life). */
    public AdminClient admin(int node) {
        AdminClient admin = admins.get(node);
        if (admin == null) {
            throw new IllegalArgumentException("no node " + node + " in the cluster; nodes are " + nodeIds());
        }
        return admin;
    }

    /** Node {@code node}'s log file. */
    public Path logFile(int node) {
        return NodeLaunchSpec.logFile(dir, node);
    }

    /** The process of node {@code node} while it runs (also while paused). */
    public synchronized Optional<ProcessHandle> process(int node) {
        Process p = processes.get(node);
        return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
    }

    /**
     * The leader most of the running, unpaused nodes name (a node cut off from the others may still name an old
     * one); empty when none answers with one.
     */
    @Override
    public OptionalInt leader() {
        Map<Integer, Integer> votes = new TreeMap<>();
        for (int id : allNodeIds()) {
            if (!isRunning(id) || paused.contains(id)) {
                continue;
            }
            try {
                LeaderInfo info = admin(id).leader();
                Matcher m = NODE_ID.matcher(info.leaderId());
                if (m.find()) {
                    votes.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                }
            } catch (IOException e) {
                // No leader known there, or not reachable: it does not vote.
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> OptionalInt.of(e.getKey())).orElse(OptionalInt.empty());
    }

    /**
     * Waits until a leader exists and returns it.
     *
     * @throws IOException if none is elected within {@code timeout}
     */
    public int awaitLeader(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            OptionalInt leader = leader();
            if (leader.isPresent()) {
                return leader.getAsInt();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no metadata Raft leader within " + timeout + "; see the node logs in "
                        + dir.resolve("logs"));
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    @Override
    public void awaitServing(int node, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() <= deadline) {
            Process p = processes.get(node);
            if (p == null || !p.isAlive()) {
                throw new IOException("node " + node + " is not running" + (p == null ? "" : " (exit "
                        + p.exitValue() + ")") + "; its log ends:\n" + tail(node));
            }
            try {
                admin(node).status();
                return;
            } catch (IOException e) {
                last = e;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IOException("node " + node + " did not answer its admin API within " + timeout + " (last: "
                + (last == null ? "none" : last.getMessage()) + "); its log ends:\n" + tail(node), last);
    }

    @Override
    public synchronized void start(int node) throws IOException {
        NodeConfig nodeConfig = config.node(node);
        if (isRunning(node)) {
            throw new IllegalStateException("node " + node + " is already running; kill it first");
        }
        NodeLaunchSpec spec = NodeLaunchSpec.forClusterNode(config, nodeConfig.id(), jar);
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), HEAP, "--add-modules", "jdk.incubator.vector", NodeSupervisor.COLLECTOR,
                NodeSupervisor.KEEP_COMPILED_CODE));
        java.addAll(nodeJvmOptions);
        java.addAll(List.of("-jar", jar.toString()));
        java.addAll(spec.programArgs());
        // umask 077 as the supervisor sets it, so RocksDB and Ratis files are owner-only; exec keeps the pid.
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", "predastore-node"));
        shell.addAll(java);
        Files.createDirectories(spec.logFile().getParent());
        ProcessBuilder builder = new ProcessBuilder(hosts.inNamespace(hostOf(node), shell)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.consoleFile().toFile()));
        paused.remove(node);
        processes.put(node, builder.start());
    }

    @Override
    public void kill(int node) throws IOException {
        Process p;
        synchronized (this) {
            p = processes.get(node);
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException("node " + node + " (pid " + p.pid() + ") did not exit within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for node " + node + " to exit", e);
        } finally {
            paused.remove(node);
        }
    }

    /** Stops node {@code node} with SIGSTOP and waits until the kernel shows it stopped. */
    @Override
    public void pause(int node) throws IOException {
        signal(node, "-STOP", true);
        paused.add(node);
    }

    /** Lets node {@code node} run again with SIGCONT and waits until the kernel no longer shows it stopped. */
    @Override
    public void resume(int node) throws IOException {
        signal(node, "-CONT", false);
        paused.remove(node);
    }

    /** Whether node {@code node} is paused by {@link #pause}. */
    public boolean isPaused(int node) {
        return paused.contains(node);
    }

    @Override
    public void partition(int a, int b) throws IOException {
        hosts.partition(hostOf(a), hostOf(b));
    }

    /** Cuts the nodes of {@code side} off from every other host, spare ones included. */
    @Override
    public void isolate(Collection<Integer> side) throws IOException {
        hosts.isolate(side.stream().map(this::hostOf).toList());
    }

    @Override
    public void heal() throws IOException {
        hosts.healAll();
    }

    /** Fills node {@code node}'s file system until half its reserve is free, so that it refuses new data. */
    @Override
    public void fillDisk(int node) throws IOException {
        disks.fill(node, RESERVE_BYTES / 2);
    }

    @Override
    public void freeDisk(int node) throws IOException {
        disks.free(node);
    }

    /** Bytes free on node {@code node}'s file system. */
    public long freeBytes(int node) throws IOException {
        return disks.usable(node);
    }

    /**
     * Flips {@value #ROT_BYTES} bytes in the payload of shard records node {@code node} wrote lately (its newest
     * {@value #ROT_WINDOW_BYTES} bytes of segments), chosen by {@code seed}.
     */
    @Override
    public int rot(int node, long seed) throws IOException {
        return SegmentRot.flip(config.node(node).dataDir(), new Random(seed), ROT_BYTES, ROT_WINDOW_BYTES).size();
    }

    /**
     * Deletes node {@code node}'s shard store and metadata replica ({@code shards/} and {@code meta/} of its data
     * directory), as a replaced disk loses them; what identifies the node (its cluster secret, credentials) stays,
     * as an operator restores it with the node's configuration. The node must not run.
     */
    @Override
    public void wipe(int node) throws IOException {
        if (isRunning(node)) {
            throw new IllegalStateException("node " + node + " is running; kill it before wiping its data");
        }
        Path data = config.node(node).dataDir();
        for (String part : List.of("shards", "meta")) {
            Path dirToGo = data.resolve(part);
            if (!Files.exists(dirToGo)) {
                continue;
            }
            try (java.util.stream.Stream<Path> walk = Files.walk(dirToGo)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public Duration deadNodeGrace() {
        return config.tuning().deadNodeGrace();
    }

    /**
     * Adds a node as {@code cluster add-node} does, on a spare host: the next id never used, free ports, a
     * certificate from the cluster CA, and a data directory (a file system of its own) with the cluster secret and
     * the join marker ({@link DevNodeFiles#create}). The cluster adds it as joining (if it refuses, nothing made is
     * left); it is appended to the cluster file, started, and this returns once it serves and the member list says
     * it is active. From then on it is in {@link #nodeIds()}.
     *
     * @return the new node's id; empty when no spare host is free (each holds a member, or one still leaving)
     * @throws IOException if no member answers or the cluster refuses the node (nothing changed then), or it does
     *                     not serve and become active within {@code timeout} (it stays a joining member, started)
     */
    @Override
    public OptionalInt addNode(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int id;
        synchronized (membership) {
            OptionalInt host = freeHost();
            if (host.isEmpty()) {
                return OptionalInt.empty();
            }
            ClusterConfig now = config;
            Listed listed = members(-1);
            NodeConfig node = plan(now, listed.members(), host.getAsInt());
            id = node.id();
            DevNodeFiles.Created created = DevNodeFiles.create(now, node, Instant.now());
            boolean added = false;
            try {
                disks.mount(id, node.dataDir());
                join(listed, node);
                added = true;
            } finally {
                if (!added) {
                    try {
                        disks.release(id);
                    } finally {
                        DevNodeFiles.undo(created);
                    }
                }
            }
            joining.add(id);
            hostOf.put(id, host.getAsInt());
            config = DevNodeFiles.appendToClusterFile(now, node);
            admins.put(id, AdminClient.forNode(config, id, null, ADMIN_TIMEOUT));
            start(id);
            awaitServing(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            awaitActive(id, deadline);
            joining.remove(id);
        }
        membersListener.run();
        return OptionalInt.of(id);
    }

    /**
     * Starts removing member {@code node} as {@code cluster remove-node} does, unless it would be refused: first the
     * member list's own rule ({@link ClusterMembers#removalRefusal}: only an active member, and never fewer than
     * data + parity active members left), then the cluster's answer to the drain. Once draining it is no longer in
     * {@link #nodeIds()}: it moves its shards away, leaves the metadata group, deletes its data and exits by itself,
     * and {@link #reapRemoved()} then releases its host.
     *
     * @return why it is not being removed; empty when it is draining now
     * @throws IOException if no other member answers, or the drain got no answer and did not happen
     */
    @Override
    public Optional<String> removeNode(int node) throws IOException {
        String id = memberId(node);
        synchronized (membership) {
            Listed listed = members(node);
            Optional<String> refusal = listed.members().removalRefusal(id, config.rs().width());
            if (refusal.isPresent()) {
                return refusal;
            }
            try {
                admin(listed.node()).drainMember(id);
            } catch (AdminException e) {
                return Optional.of("the cluster refused: " + e.getMessage());
            } catch (IOException e) {
                // No answer: the drain may still have been applied.
                MemberState state = members(node).members().member(id).map(ClusterMember::state).orElse(null);
                if (state != MemberState.DRAINING && state != MemberState.REMOVED) {
                    throw e;
                }
            }
            leaving.add(node);
        }
        membersListener.run();
        return Optional.empty();
    }

    /**
     * Replaces member {@code node}'s disk as {@code cluster replace-node} does, unless the product's rule refuses it
     * ({@link ProtectionReport#replacementRefusal}, asked of another member: not before a protection pass, nor while
     * an object is at risk or unreadable): the node is killed, its shards and metadata deleted
     * ({@link DevFaults#wipe}), and it is started again and waited for. It rejoins the metadata group by itself and
     * the cluster rebuilds its shards in place.
     *
     * @return why it was not replaced; empty when it serves again
     * @throws IOException if no other member answers, or the node does not serve again within {@code timeout}
     */
    @Override
    public Optional<String> replaceNode(int node, Duration timeout) throws IOException, InterruptedException {
        Optional<String> refusal = protection(node).replacementRefusal();
        if (refusal.isPresent()) {
            return refusal;
        }
        kill(node);
        DevFaults.wipe(config.node(node).dataDir());
        start(node);
        awaitServing(node, timeout);
        return Optional.empty();
    }

    /**
     * Releases every leaving member that the member list says is removed and whose process has exited: drops it
     * from the cluster file, unmounts its file system and frees its host for a later {@link #addNode}. What a removed
     * node left in its data directory besides its removed marker (it must delete its data) is kept for
     * {@link #awaitMembersSettled}.
     *
     * @return the nodes released (none when no member answers)
     */
    @Override
    public List<Integer> reapRemoved() throws IOException {
        synchronized (membership) {
            if (leaving.isEmpty()) {
                return List.of();
            }
            Listed listed;
            try {
                listed = members(-1);
            } catch (IOException e) {
                return List.of();
            }
            List<Integer> released = new ArrayList<>();
            for (int node : new TreeSet<>(leaving)) {
                boolean removed = listed.members().member(memberId(node))
                        .map(m -> m.state() == MemberState.REMOVED).orElse(false);
                if (removed && !isRunning(node)) {
                    release(node);
                    released.add(node);
                }
            }
            return released;
        }
    }

    /**
     * Waits until every member is active or removed and every removed node has exited and been released
     * ({@link #reapRemoved()}): no addition or drain still pending.
     *
     * @return what was still pending after {@code timeout}, or what a removed node failed to do (delete its data);
     *     empty when the members are settled
     */
    public Optional<String> awaitMembersSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String pending;
            try {
                reapRemoved();
                pending = pendingMembers();
            } catch (IOException e) {
                pending = e.getMessage();
            }
            if (pending == null) {
                return removedLeftovers.isEmpty() ? Optional.empty()
                        : Optional.of(String.join("; ", removedLeftovers));
            }
            if (System.nanoTime() > deadline) {
                return Optional.of(pending + " after waiting " + timeout.toSeconds() + " s" + drainProgress());
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    /** The replicated member list, as the first current member that answers with it gives it. */
    public ClusterMembers members() throws IOException {
        return members(-1).members();
    }

    /** What is still joining or draining, or null when nothing is (a joining node found active is taken in). */
    private String pendingMembers() throws IOException {
        ClusterMembers list = members(-1).members();
        for (int node : new TreeSet<>(joining)) {
            if (list.member(memberId(node)).map(m -> m.state() == MemberState.ACTIVE).orElse(false)) {
                joining.remove(node);
                membersListener.run();
            }
        }
        List<String> pending = new ArrayList<>();
        for (ClusterMember m : list.members()) {
            if (m.state() != MemberState.ACTIVE && m.state() != MemberState.REMOVED) {
                pending.add(m.id() + " " + m.state().wireName());
            }
        }
        for (int node : new TreeSet<>(leaving)) {
            if (list.member(memberId(node)).map(m -> m.state() == MemberState.REMOVED).orElse(false)) {
                pending.add(memberId(node) + " removed but its process still runs");
            }
        }
        return pending.isEmpty() ? null : "members not settled (ring epoch " + list.epoch() + "): "
                + String.join(", ", pending);
    }

    /** What the draining nodes still hold, from the protection report, for a message. */
    private String drainProgress() {
        try {
            ProtectionReport report = protection(-1);
            return report.rebalance() == null || report.rebalance().draining().isEmpty() ? ""
                    : "; shards left per draining node: " + report.rebalance().draining();
        } catch (IOException e) {
            return "";
        }
    }

    /** A member list and the node that gave it. */
    private record Listed(int node, ClusterMembers members) {
    }

    /**
     * The replicated member list from the first node that gives one (the current members first, then those leaving),
     * other than {@code skip}; a node answering from its cluster file (epoch 0) has not read the list yet.
     */
    private Listed members(int skip) throws IOException {
        List<Integer> order = new ArrayList<>(nodeIds());
        order.addAll(leaving());
        List<String> failures = new ArrayList<>();
        for (int node : order) {
            if (node == skip || !isRunning(node) || paused.contains(node)) {
                continue;
            }
            try {
                ClusterMembers list = admin(node).members();
                if (list.epoch() > 0) {
                    return new Listed(node, list);
                }
                failures.add("node " + node + ": no replicated member list yet");
            } catch (IOException e) {
                failures.add("node " + node + ": " + e.getMessage());
            }
        }
        throw new IOException("no member gave the member list: " + failures);
    }

    /** The protection report from the first current member other than {@code skip} that answers. */
    private ProtectionReport protection(int skip) throws IOException {
        List<String> failures = new ArrayList<>();
        for (int node : nodeIds()) {
            if (node == skip || !isRunning(node) || paused.contains(node)) {
                continue;
            }
            try {
                return admin(node).protection();
            } catch (IOException e) {
                failures.add("node " + node + ": " + e.getMessage());
            }
        }
        throw new IOException("no member gave the protection report: " + failures);
    }

    /** A host no node of the cluster file lives on, lowest first. */
    private OptionalInt freeHost() {
        Set<Integer> used = new HashSet<>(hostOf.values());
        for (int host = 1; host <= hosts.count(); host++) {
            if (!used.contains(host)) {
                return OptionalInt.of(host);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The next node, on host {@code host}: the id after every id of the file and the member list (removed members
     * included), four ports that no node of either uses, and its files beside its siblings', as
     * {@code cluster add-node} lays them out.
     */
    private NodeConfig plan(ClusterConfig now, ClusterMembers list, int host) throws IOException {
        int id = DevNodeFiles.nextId(now, list);
        Set<Integer> taken = new HashSet<>();
        for (NodeConfig node : now.nodes()) {
            node.ports().forEach(p -> taken.add(p.port()));
        }
        for (ClusterMember m : list.members()) {
            taken.addAll(List.of(m.s3Port(), m.adminPort()));
            if (m.raftPort() != null) {
                taken.add(m.raftPort());
            }
            if (m.shardPort() != null) {
                taken.add(m.shardPort());
            }
        }
        PortAllocator ports = PortAllocator.ephemeral(InetAddress.getLoopbackAddress());
        int[] chosen = new int[4];
        for (int i = 0; i < chosen.length; i++) {
            int port = ports.next();
            while (taken.contains(port)) {
                port = ports.next();
            }
            chosen[i] = port;
        }
        NodeConfig sibling = now.nodes().get(0);
        Path tls = sibling.tlsCert().getParent();
        return new NodeConfig(id, hosts.address(host), chosen[0], chosen[1], chosen[2], chosen[3],
                now.directory().resolve("node-" + id), tls.resolve("node-" + id + ".pem"),
                tls.resolve("node-" + id + ".key")).withHttpTls(sibling.adminTls());
    }

    /**
     * Asks the node that gave {@code listed} to add {@code node} as joining. A request without an answer may still
     * have been applied, so the list is read again before it counts as failed.
     */
    private void join(Listed listed, NodeConfig node) throws IOException {
        ClusterMember member = new ClusterMember(memberId(node.id()), node.host(), node.s3Port(), node.adminPort(),
                node.s3Tls(), node.adminTls(), node.raftPort(), node.shardPort(), MemberState.JOINING);
        try {
            admin(listed.node()).addMember(member);
        } catch (AdminException e) {
            throw new IOException("the cluster did not add node " + node.id() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            if (members(-1).members().member(member.id()).isEmpty()) {
                throw new IOException("node " + listed.node() + " did not answer the request to add node "
                        + node.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Waits until the member list says node {@code node} is active. */
    private void awaitActive(int node, long deadline) throws IOException, InterruptedException {
        String state = "not listed";
        while (true) {
            try {
                Optional<ClusterMember> m = members(node).members().member(memberId(node));
                if (m.isPresent() && m.get().state() == MemberState.ACTIVE) {
                    return;
                }
                state = m.map(x -> x.state().wireName()).orElse("not listed");
            } catch (IOException e) {
                state = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("node " + node + " serves but is not active in the member list in time (last: "
                        + state + "); its log ends:\n" + tail(node));
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /**
     * Lets go of a removed node that has exited: notes what it left in its data directory (it must keep only its
     * removed marker), drops it from the cluster file, unmounts its file system and frees its host.
     */
    private void release(int node) throws IOException {
        Path data = config.node(node).dataDir();
        List<String> left;
        try (java.util.stream.Stream<Path> files = Files.list(data)) {
            left = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(
                    MembershipMarkers.removedFile(data).getFileName().toString())).sorted().toList();
        }
        if (!MembershipMarkers.isRemoved(data) || !left.isEmpty()) {
            removedLeftovers.add("removed node " + node + " exited " + (MembershipMarkers.isRemoved(data)
                    ? "" : "without its removed marker ") + (left.isEmpty() ? "" : "leaving " + left + " in its data "
                    + "directory"));
        }
        config = DevNodeFiles.removeFromClusterFile(config, node);
        disks.release(node);
        Files.deleteIfExists(data);
        leaving.remove(node);
        hostOf.remove(node);
        admins.remove(node);
        processes.remove(node);
    }

    private static String memberId(int node) {
        return "node-" + node;
    }

    /**
     * Stops every node process (SIGKILL: the run is over, and a crash is what the store must survive anyway) and
     * removes the hosts and the node file systems. Always does all three; closing twice does nothing more.
     *
     * @throws IOException naming what could not be stopped or removed
     */
    @Override
    public void close() throws IOException {
        List<String> failures = new ArrayList<>();
        for (int id : new HashSet<>(processes.keySet())) {
            try {
                kill(id);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        try {
            hosts.close();
        } catch (IOException e) {
            failures.add(e.getMessage());
        }
        try {
            disks.close();
        } catch (IOException e) {
            failures.add(e.getMessage());
        }
        if (!failures.isEmpty()) {
            throw new IOException("closing the cluster in " + dir + " left: " + String.join("; ", failures));
        }
    }

    private boolean isRunning(int node) {
        Process p = processes.get(node);
        return p != null && p.isAlive();
    }

    /**
     * Sends {@code signal} and waits until the process is (or is no longer) stopped: a signal is delivered
     * asynchronously, and a busy process on a loaded machine takes a moment to stop all its threads.
     */
    private void signal(int node, String signal, boolean stopped) throws IOException {
        Process p = processes.get(node);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("node " + node + " is not running; start it before " + signal);
        }
        // The shell's own kill: no package beyond the shell is needed (a minimal system may lack procps' kill).
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill " + signal + " " + p.pid()).redirectErrorStream(true)
                .start();
        try {
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("`kill " + signal + " " + p.pid() + "` for node " + node + " failed: " + out);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SIGNAL_TIMEOUT_SECONDS);
            while (p.isAlive() && isStopped(p.pid()) != stopped) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("node " + node + " (pid " + p.pid() + ") is " + (stopped ? "still running"
                            : "still stopped") + " " + SIGNAL_TIMEOUT_SECONDS + " s after `kill " + signal + "`");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling node " + node, e);
        }
    }

    /** Whether the process is stopped by a signal: state {@code T} in {@code /proc/<pid>/stat}. */
    static boolean isStopped(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return false;
        }
        // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
        int close = stat.lastIndexOf(')');
        return close >= 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'T';
    }

    private String tail(int node) {
        return String.join("\n", NodeSupervisor.tail(logFile(node), 30));
    }
}
