package io.predastore.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.shard.NoSuchShardException;
import io.predastore.node.shard.ShardAccessDeniedException;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardExistsException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardInfo;
import io.predastore.node.shard.ShardWriter;
import io.predastore.protocol.shard.ShardOp;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every shard transport must do, checked end to end: client, wire, server, in-memory store. */
abstract class ShardTransportContractTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    static Path pkiDir;
    static TestPki pki;
    static TlsMaterial serverTls;
    static TlsMaterial clientTls;

    ShardTransport transport;
    InMemoryShardStore store;
    ShardServer server;
    ShardClient client;

    abstract ShardTransport newTransport(TransportOptions options);

    static TransportOptions testOptions() {
        return TransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(5))
                .withConnectTimeout(Duration.ofSeconds(5)).withEventLoopThreads(2).withConnectionsPerPeer(2);
    }

    @BeforeAll
    static void pki() throws IOException {
        pki = TestPki.create(pkiDir, "cluster", 1, 2, 3);
        serverTls = pki.issue(1);
        clientTls = pki.issue(2);
    }

    @BeforeEach
    void start() throws IOException {
        transport = newTransport(testOptions());
        store = new InMemoryShardStore();
        server = transport.server(store, LOOPBACK, 0, serverTls);
        client = transport.client(server.localAddress(), 1, clientTls);
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        transport.close();
    }

    private static ShardId id(String objectId) {
        return new ShardId(objectId, 3);
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private ShardInfo put(ShardClient c, ShardId id, byte[] bytes) throws IOException {
        try (ShardWriter w = c.create(id)) {
            w.write(ByteBuffer.wrap(bytes));
            return w.commit();
        }
    }

    private static byte[] get(ShardClient c, ShardId id, long offset, long length) throws IOException {
        try (InputStream in = c.open(id, offset, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void create_ofAnExistingShard_isRefusedWithAlreadyExists_andTheShardKept() throws IOException {
        ShardId id = id("obj-once");
        byte[] first = "first".getBytes(StandardCharsets.US_ASCII);
        put(client, id, first);
        assertThatThrownBy(() -> put(client, id, "second!".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ShardExistsException.class)
                .hasMessageContaining("never rewritten");
        assertThat(get(client, id, 0, first.length)).isEqualTo(first);
        // The refusal ended the request cleanly: the connection carries the next one.
        assertThat(client.stat(id)).isPresent();
    }

    /** A policy that records what it is asked and refuses shards whose id starts with "deny-". */
    private static final class RecordingAccess implements ShardAccess {
        final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void check(int peer, ShardOp op, ShardId id, ShardWarrant warrant) throws IOException {
            asked.add(peer + " " + op + " " + id.objectId() + " " + warrant.kind() + " "
                    + new String(warrant.key(), StandardCharsets.US_ASCII));
            if (id.objectId().startsWith("deny-")) {
                throw Refusal.NOT_WRITER.deny("test");
            }
        }
    }

    @Test
    void everyShardRequest_isPutToTheAccessPolicy_asTheNodeTheCertificateNames_withItsWarrant()
            throws IOException {
        RecordingAccess access = new RecordingAccess();
        ShardWarrant object = ShardWarrant.of(ShardWarrant.Kind.OBJECT, "b/k".getBytes(StandardCharsets.US_ASCII));
        ShardWarrant tombstone = ShardWarrant.of(ShardWarrant.Kind.TOMBSTONE,
                "t1".getBytes(StandardCharsets.US_ASCII));
        try (ShardServer checked = transport.server(store, access, LOOPBACK, 0, serverTls);
                ShardClient node2 = transport.client(checked.localAddress(), 1, clientTls);
                ShardClient node3 = transport.client(checked.localAddress(), 1, pki.issue(3))) {
            byte[] bytes = "shard".getBytes(StandardCharsets.US_ASCII);
            try (ShardWriter w = node2.create(id("obj-a"), ShardWarrant.NONE)) {
                w.write(ByteBuffer.wrap(bytes));
                w.commit();
            }
            try (InputStream in = node3.open(id("obj-a"), 0, bytes.length, object)) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
            assertThat(node3.stat(id("obj-a"), object)).isPresent();
            assertThat(node3.statAll(List.of(id("obj-a"), id("obj-b")))).hasSize(2);
            assertThat(node2.delete(id("obj-a"), tombstone)).isTrue();
            assertThat(node2.ping()).isNotNull(); // pings name no shard and are not asked about

            assertThat(access.asked).containsExactly(
                    "2 PUT_SHARD_BEGIN obj-a NONE ",
                    "3 GET_SHARD obj-a OBJECT b/k",
                    "3 STAT_SHARD obj-a OBJECT b/k",
                    "3 STAT_SHARDS obj-a NONE ",
                    "2 DELETE_SHARD obj-a TOMBSTONE t1");
        }
    }

    @Test
    void refusedRequests_answerForbidden_touchNoShard_andLeaveTheConnectionUsable() throws IOException {
        RecordingAccess access = new RecordingAccess();
        ShardId denied = id("deny-me");
        byte[] bytes = "kept".getBytes(StandardCharsets.US_ASCII);
        put(client, denied, bytes); // through the unchecked server, on the same store
        try (ShardServer checked = transport.server(store, access, LOOPBACK, 0, serverTls);
                ShardClient node2 = transport.client(checked.localAddress(), 1, clientTls)) {
            for (org.junit.jupiter.api.function.Executable refused : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> put(node2, denied, "forged".getBytes(StandardCharsets.US_ASCII)),
                    () -> put(node2, id("deny-new"), bytes),
                    () -> get(node2, denied, 0, bytes.length),
                    () -> node2.stat(denied),
                    () -> node2.delete(denied))) {
                assertThatThrownBy(refused::execute).isInstanceOf(ShardAccessDeniedException.class)
                        .hasMessageContaining("refused shard 3 of deny-")
                        .hasMessageContaining("NOT_WRITER");
            }
            assertThat(get(client, denied, 0, bytes.length)).isEqualTo(bytes);
            assertThat(store.stat(id("deny-new"))).isEmpty();
            put(node2, id("obj-allowed"), bytes);
            assertThat(node2.stat(id("obj-allowed"))).isPresent();
        }
    }

    @Test
    void aNodeBelowItsReserve_refusesShardsWithStorageFull_saysSoInPings_andStillServesTheRest()
            throws IOException {
        ShardId kept = id("obj-kept");
        byte[] bytes = "kept".getBytes(StandardCharsets.US_ASCII);
        put(client, kept, bytes);
        client.ping();
        assertThat(client.belowReserve()).isFalse();

        store.full = true;
        assertThatThrownBy(() -> put(client, id("obj-refused"), bytes))
                .isInstanceOf(StorageFullException.class)
                .hasMessageContaining("refused the shard")
                .hasMessageContaining("less free space than its reserve");
        client.ping();
        assertThat(client.belowReserve()).isTrue();
        assertThat(client.stat(id("obj-refused"))).isEmpty();
        assertThat(get(client, kept, 0, bytes.length)).isEqualTo(bytes);
        assertThat(client.delete(kept)).isTrue();

        store.full = false;
        client.ping();
        assertThat(client.belowReserve()).isFalse();
        assertThat(put(client, id("obj-after"), bytes).length()).isEqualTo(bytes.length);
    }

    @Test
    void putGetRangesStatDelete() throws IOException {
        ShardId id = id("obj-1");
        byte[] bytes = "hello, remote shard world".getBytes(StandardCharsets.US_ASCII);
        ShardInfo info;
        try (ShardWriter w = client.create(id)) {
            w.write(ByteBuffer.wrap(bytes, 0, 7));
            w.write(ByteBuffer.wrap(bytes, 7, bytes.length - 7));
            info = w.commit();
        }
        assertThat(info).isEqualTo(new ShardInfo(id, bytes.length, crc(bytes)));
        assertThat(client.stat(id)).contains(info);
        assertThat(get(client, id, 0, bytes.length)).isEqualTo(bytes);
        assertThat(new String(get(client, id, 7, 6), StandardCharsets.US_ASCII)).isEqualTo("remote");
        assertThat(get(client, id, bytes.length, 0)).isEmpty();

        assertThat(client.delete(id)).isTrue();
        assertThat(client.stat(id)).isEmpty();
        assertThat(client.delete(id)).isFalse();
    }

    @Test
    void statAll_answersEveryShardOfABatchInOneRequest_inTheOrderAsked() throws IOException {
        byte[] bytes = "present".getBytes(StandardCharsets.US_ASCII);
        put(client, new ShardId("obj-s", 0), bytes);
        put(client, new ShardId("obj-s", 2), new byte[0]);
        List<ShardId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(new ShardId("obj-s", i));
        }
        for (int i = 0; i < 1021; i++) {
            ids.add(new ShardId("absent-" + i, i % 256));
        }
        var stats = client.statAll(ids);
        assertThat(stats).hasSize(1024);
        assertThat(stats.get(0)).contains(new ShardInfo(ids.get(0), bytes.length, crc(bytes)));
        assertThat(stats.get(1)).isEmpty();
        assertThat(stats.get(2)).contains(new ShardInfo(ids.get(2), 0, crc(new byte[0])));
        assertThat(stats.subList(3, 1024)).allMatch(java.util.Optional::isEmpty);
        ids.add(new ShardId("one-too-many", 0));
        assertThatThrownBy(() -> client.statAll(ids)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1024");
        // The connection still carries the next request.
        assertThat(client.stat(ids.get(0))).isPresent();
    }

    @Test
    void zeroByteShard() throws IOException {
        ShardId id = id("empty");
        ShardInfo info;
        try (ShardWriter w = client.create(id)) {
            info = w.commit();
        }
        assertThat(info.length()).isZero();
        assertThat(client.stat(id)).contains(new ShardInfo(id, 0, crc(new byte[0])));
        assertThat(get(client, id, 0, 0)).isEmpty();
    }

    @Test
    void streams32MiBBothWaysWithoutHoldingIt() throws IOException {
        ShardId id = id("gen-big");
        long size = 32L << 20;
        CRC32C sent = new CRC32C();
        byte[] buf = new byte[100_000]; // not a multiple of the frame size
        ShardInfo info;
        try (ShardWriter w = client.create(id)) {
            for (long at = 0; at < size; at += buf.length) {
                int n = (int) Math.min(buf.length, size - at);
                InMemoryShardStore.Pattern.fill(buf, at, n);
                sent.update(buf, 0, n);
                w.write(ByteBuffer.wrap(buf, 0, n));
            }
            info = w.commit();
        }
        assertThat(info.length()).isEqualTo(size);
        assertThat(info.crc32c()).isEqualTo((int) sent.getValue());

        CRC32C received = new CRC32C();
        long total = 0;
        try (InputStream in = client.open(id, 0, size)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                received.update(buf, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat((int) received.getValue()).isEqualTo((int) sent.getValue());

        // A range across frame boundaries.
        long offset = (5L << 20) - 3;
        byte[] range = get(client, id, offset, 3 << 20);
        byte[] expected = new byte[3 << 20];
        InMemoryShardStore.Pattern.fill(expected, offset, expected.length);
        assertThat(range).isEqualTo(expected);
    }

    @Test
    void concurrentClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<ShardClient> clients = new ArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                // Two threads share the default client, two have their own.
                ShardClient c = t < 2 ? client : transport.client(server.localAddress(), 1, clientTls);
                if (t >= 2) {
                    clients.add(c);
                }
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    for (int i = 0; i < 8; i++) {
                        byte[] bytes = new byte[random.nextInt(600_000)];
                        random.nextBytes(bytes);
                        ShardId id = new ShardId("conc-" + thread, i);
                        assertThat(put(c, id, bytes).crc32c()).isEqualTo(crc(bytes));
                        assertThat(get(c, id, 0, bytes.length)).isEqualTo(bytes);
                        assertThat(c.stat(id)).map(ShardInfo::length).contains((long) bytes.length);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            for (ShardClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void missingShardIsNoSuchShard() throws IOException {
        assertThatThrownBy(() -> client.open(id("absent"), 0, 1)).isInstanceOf(NoSuchShardException.class)
                .hasRootCauseMessage(rootMessage(server.localAddress()));
        assertThat(client.stat(id("absent"))).isEmpty();
        // The client still works afterwards.
        assertThat(client.ping()).isPositive();
    }

    private static String rootMessage(InetSocketAddress peer) {
        return "peer " + peer.getHostString() + ":" + peer.getPort() + ": no shard 3 of absent on this node";
    }

    @Test
    void corruptShardIsShardCorrupt() throws IOException {
        assertThatThrownBy(() -> client.open(id("corrupt-now"), 0, 10)).isInstanceOf(ShardCorruptException.class)
                .hasMessageContaining("peer ").hasMessageContaining("failed its CRC32C");
        try (InputStream in = client.open(id("corrupt-late-x"), 0, 4 << 20)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(ShardCorruptException.class);
        }
        assertThat(client.ping()).isPositive();
    }

    @Test
    void serverRejectionsAreIOExceptions() {
        store.putGenerated(id("gen-small"), 10);
        assertThatThrownBy(() -> get(client, id("gen-small"), 5, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("past the end");
    }

    @Test
    void pingMeasuresRoundTrip() throws IOException {
        Duration rtt = client.ping();
        assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void abortedUploadIsDiscardedOnTheServer() throws Exception {
        ShardId id = id("aborted");
        ShardWriter w = client.create(id);
        w.write(ByteBuffer.wrap(new byte[3 << 20]));
        w.abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.aborted.get() != 0);
        assertThat(store.aborted.get()).isEqualTo(1);
        assertThat(client.stat(id)).isEmpty();
    }

    @Test
    void serverClosedMidUploadFailsTheWriter() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            ShardWriter w = client.create(id("gen-cut"));
            byte[] buf = new byte[1 << 20];
            long at = 0;
            for (int i = 0; i < 2; i++, at += buf.length) {
                InMemoryShardStore.Pattern.fill(buf, at, buf.length);
                w.write(ByteBuffer.wrap(buf));
            }
            server.close();
            long start = at;
            assertThatThrownBy(() -> {
                for (long a = start; a < (256L << 20); a += buf.length) {
                    InMemoryShardStore.Pattern.fill(buf, a, buf.length);
                    w.write(ByteBuffer.wrap(buf));
                }
                w.commit();
            }).isInstanceOf(IOException.class).hasMessageContaining("peer");
        });
    }

    @Test
    void serverClosedMidDownloadFailsTheReader() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            store.putGenerated(id("gen-dl"), 64L << 20);
            InputStream in = client.open(id("gen-dl"), 0, 64L << 20);
            assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
            server.close();
            assertThatThrownBy(() -> in.readNBytes(63 << 20)).isInstanceOf(IOException.class);
            in.close();
        });
    }

    @Test
    void slowServerTimesOut() throws IOException {
        try (ShardTransport t = newTransport(testOptions().withRequestTimeout(Duration.ofMillis(300)))) {
            ShardServer s = t.server(store, LOOPBACK, 0, serverTls);
            try (ShardClient c = t.client(s.localAddress(), 1, clientTls)) {
                store.statDelayMillis = 2000;
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                    assertThatThrownBy(() -> c.stat(id("slow"))).isInstanceOf(IOException.class)
                            .hasMessageContaining("timed out");
                });
            } finally {
                store.statDelayMillis = 0;
                s.close();
            }
        }
    }

    @Test
    void clientWithCertificateFromAnotherCaIsRefused() throws IOException {
        TestPki rogue = TestPki.create(pkiDir.resolve("rogue"), "cluster", 1, 2, 3);
        TlsMaterial rogueIdentity = rogue.issue(2);
        // It names a member and even trusts the real CA, so only the server's check of its signer can stop it.
        TlsMaterial tls = new TlsMaterial(pki.trust(), rogueIdentity.certificateChain(), rogueIdentity.privateKey());
        assertClientRefused(tls);
        assertThat(client.ping()).isPositive();
    }

    @Test
    void clientWithoutCertificateIsRefused() throws IOException {
        assertClientRefused(TlsMaterial.withoutIdentity(pki.trust()));
    }

    @Test
    void clientWithCertificateOfTheCaNamingNoMemberIsRefused() throws IOException {
        assertClientRefused(pki.issue("node-9", List.of(new NodeIdentity("cluster", 9).uri())));
        assertClientRefused(pki.issue("other-cluster-node-2", List.of(new NodeIdentity("other", 2).uri())));
        assertClientRefused(pki.issue("no-identity", List.of()));
        assertThat(client.ping()).isPositive();
    }

    private void assertClientRefused(TlsMaterial tls) throws IOException {
        try (ShardClient c = transport.client(server.localAddress(), 1, tls)) {
            assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
                assertThatThrownBy(c::ping).isInstanceOf(IOException.class);
                assertThatThrownBy(() -> c.stat(id("x"))).isInstanceOf(IOException.class);
            });
        }
    }

    @Test
    void serverWithCertificateFromAnotherCaIsRefused() throws IOException {
        TestPki rogue = TestPki.create(pkiDir.resolve("rogue2"), "cluster", 1, 2, 3);
        TlsMaterial rogueServerTls = rogue.issue(1);
        assertServerRefused(new TlsMaterial(pki.trust(), rogueServerTls.certificateChain(),
                rogueServerTls.privateKey()), 1);
    }

    @Test
    void serverWithTheCertificateOfAnotherNodeIsRefused() throws IOException {
        // Node 3's own key and certificate, listening where the client expects node 1.
        assertServerRefused(pki.issue(3), 1);
        assertThat(client.ping()).isPositive();
    }

    private void assertServerRefused(TlsMaterial serverMaterial, int expectedNode) throws IOException {
        try (ShardServer fake = transport.server(store, LOOPBACK, 0, serverMaterial);
                ShardClient c = transport.client(fake.localAddress(), expectedNode, clientTls)) {
            assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
                assertThatThrownBy(c::ping).isInstanceOf(IOException.class);
            });
        }
    }
}
