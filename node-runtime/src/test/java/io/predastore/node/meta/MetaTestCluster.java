package io.predastore.node.meta;

import io.predastore.node.pki.ClusterSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.awaitility.Awaitility;

/** Three (or more) metadata peers in this JVM on loopback ports, for tests. */
final class MetaTestCluster implements AutoCloseable {
    /** The cluster secret every peer of a test group shares. */
    static final ClusterSecret SECRET = ClusterSecret.of(new byte[ClusterSecret.LENGTH]);
    static final MetadataOptions.Timeouts FAST = new MetadataOptions.Timeouts(Duration.ofSeconds(8),
            Duration.ofMillis(300), Duration.ofMillis(600));

    static {
        // Ratis logs every election and segment roll at INFO; keep test output readable.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.ratis"))
                .setLevel(ch.qos.logback.classic.Level.toLevel(System.getProperty("predastore.meta.ratisLog"),
                        ch.qos.logback.classic.Level.WARN));
    }

    final List<MetaPeerConfig> peers;
    final Path root;
    final RaftMetadataStore[] stores;
    private final BiFunction<String, List<MetaPeerConfig>, MetadataOptions.PeerTls> tls;
    private final MetadataOptions.LogOptions log;

    MetaTestCluster(Path root, int size, MetadataOptions.LogOptions log,
            BiFunction<String, List<MetaPeerConfig>, MetadataOptions.PeerTls> tls) throws IOException {
        this.root = root;
        this.log = log;
        this.tls = tls;
        this.peers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            peers.add(new MetaPeerConfig("n" + (i + 1), "127.0.0.1", freePort()));
        }
        this.stores = new RaftMetadataStore[size];
    }

    static MetaTestCluster started(Path root) throws IOException {
        return started(root, MetadataOptions.LogOptions.DEFAULTS);
    }

    static MetaTestCluster started(Path root, MetadataOptions.LogOptions log) throws IOException {
        MetaTestCluster c = new MetaTestCluster(root, 3, log, (id, peers) -> null);
        c.startAll();
        return c;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    void startAll() throws IOException {
        for (int i = 0; i < stores.length; i++) {
            start(i);
        }
    }

    MetadataOptions options(int i) {
        String id = peers.get(i).id();
        return new MetadataOptions("test-cluster", id, peers, root.resolve(id), tls.apply(id, peers), SECRET, FAST,
                log);
    }

    RaftMetadataStore start(int i) throws IOException {
        stores[i] = RaftMetadataStore.start(options(i));
        return stores[i];
    }

    /** Starts peers {@code 0 .. count - 1} as a group of their own, the others left to join it later. */
    void startFirst(int count) throws IOException {
        List<MetaPeerConfig> first = peers.subList(0, count);
        for (int i = 0; i < count; i++) {
            String id = peers.get(i).id();
            stores[i] = RaftMetadataStore.start(new MetadataOptions("test-cluster", id, first, root.resolve(id),
                    tls.apply(id, first), SECRET, FAST, log));
        }
    }

    /** Starts peer {@code i} as a node added to the running group: it waits until the leader adds it. */
    RaftMetadataStore startJoining(int i) throws IOException {
        String id = peers.get(i).id();
        stores[i] = RaftMetadataStore.start(new MetadataOptions("test-cluster", id, peers, root.resolve(id),
                tls.apply(id, peers), SECRET, FAST, log, true));
        return stores[i];
    }

    /** Starts peer {@code i} on {@code disk}, which the caller closes after stopping the peer. */
    RaftMetadataStore start(int i, io.predastore.node.disk.NodeDisk disk) throws IOException {
        stores[i] = RaftMetadataStore.start(options(i), disk);
        return stores[i];
    }

    void stop(int i) throws IOException {
        RaftMetadataStore s = stores[i];
        stores[i] = null;
        if (s != null) {
            s.close();
        }
    }

    RaftStatus status(int i) {
        try {
            return stores[i].status();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the running peers agree on one leader; returns its index. */
    int awaitLeader() {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(this::agreedLeader, Optional::isPresent).orElseThrow();
    }

    /** Waits until the given running peers agree on one leader among them; returns its index. */
    int awaitLeaderAmong(int... members) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> agreedLeader(members), Optional::isPresent).orElseThrow();
    }

    private Optional<Integer> agreedLeader() {
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < stores.length; i++) {
            if (stores[i] != null) {
                running.add(i);
            }
        }
        return agreedLeader(running.stream().mapToInt(Integer::intValue).toArray());
    }

    private Optional<Integer> agreedLeader(int... members) {
        Integer leader = null;
        for (int i : members) {
            if (status(i).role() == RaftStatus.Role.LEADER) {
                leader = i;
            }
        }
        if (leader == null) {
            return Optional.empty();
        }
        String id = peers.get(leader).id();
        for (int i : members) {
            if (!id.equals(status(i).leaderId())) {
                return Optional.empty();
            }
        }
        return Optional.of(leader);
    }

    int aFollower(int leader) {
        for (int i = 0; i < stores.length; i++) {
            if (i != leader && stores[i] != null) {
                return i;
            }
        }
        throw new IllegalStateException("no running follower");
    }

    void stopAll() throws IOException {
        for (int i = 0; i < stores.length; i++) {
            stop(i);
        }
    }

    @Override
    public void close() throws IOException {
        stopAll();
    }
}
