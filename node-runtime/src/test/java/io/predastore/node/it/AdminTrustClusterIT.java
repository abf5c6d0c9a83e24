package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.client.AdminClient;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.StoppedNodeMetadata;
import io.predastore.protocol.admin.JobStatus;
import io.predastore.protocol.admin.MetadataRecords;
import io.predastore.protocol.admin.UndecodableRecord;
import io.predastore.protocol.config.ClusterConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A three-node RS(2,1) cluster whose nodes run with a 96 MiB heap, and what its admin API lets in: a flood of
 * unauthenticated connections with large bodies does not hurt the node (its bodies are never read), a signed admin
 * write is carried out once and only by the node it was signed for, and records that cannot be decoded (written
 * into the stopped nodes' metadata databases) fail only their own keys until removed through the audited repair.
 */
class AdminTrustClusterIT {
    private static final int FLOOD_CONNECTIONS = 300;
    private static final int FLOOD_ADDRESSES = 30;
    private static final int BODY = 1 << 20;
    private static final byte[] POISON = "00poison".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 3, 2, 1, text -> text, "96m");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void unauthenticatedConnectionsWithLargeBodies_nodeStaysHealthy_s3AndClusterKeepServing() throws Exception {
        try (S3Client s3 = cluster.s3(1); S3Client other = cluster.s3(2)) {
            s3.createBucket(b -> b.bucket("flood"));
            URI admin = URI.create(cluster.config().node(1).adminEndpoint());
            ExecutorService pool = Executors.newFixedThreadPool(FLOOD_CONNECTIONS);
            List<Future<?>> flood = new ArrayList<>();
            CountDownLatch sent = new CountDownLatch(FLOOD_CONNECTIONS);
            CountDownLatch finish = new CountDownLatch(1);
            try {
                for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
                    // From many loopback addresses, so the per-address connection cap is not what stops them.
                    String from = "127.0.0." + (2 + i % FLOOD_ADDRESSES);
                    flood.add(pool.submit(() -> {
                        unauthenticatedUpload(admin, from, sent, finish);
                        return null;
                    }));
                }
                // Every connection has sent all of its body but the last byte (or been refused): the most a node
                // that reads bodies before authenticating would hold at once. The S3 port and the cluster serve.
                assertThat(sent.await(3, TimeUnit.MINUTES)).isTrue();
                for (int i = 0; i < 5; i++) {
                    String key = "held-" + i;
                    byte[] value = ("value " + i).repeat(5000).getBytes(StandardCharsets.UTF_8);
                    s3.putObject(b -> b.bucket("flood").key(key), RequestBody.fromBytes(value));
                    assertThat(other.getObjectAsBytes(b -> b.bucket("flood").key(key)).asByteArray())
                            .isEqualTo(value);
                }
                finish.countDown();
                int served = 0;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while ((flood.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) || served < 5) {
                    String key = "during-" + served;
                    byte[] value = ("value " + served).repeat(5000).getBytes(StandardCharsets.UTF_8);
                    s3.putObject(b -> b.bucket("flood").key(key), RequestBody.fromBytes(value));
                    assertThat(other.getObjectAsBytes(b -> b.bucket("flood").key(key)).asByteArray())
                            .isEqualTo(value);
                    served++;
                }
                for (Future<?> f : flood) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(cluster.log(1)).as("refusals logged").contains("admin: refused POST /v1/repair");

            assertThat(cluster.alive(1)).isTrue();
            assertThat(cluster.admin(1).status().id()).isNotBlank();
            s3.putObject(b -> b.bucket("flood").key("after"), RequestBody.fromString("after"));
            assertThat(other.getObjectAsBytes(b -> b.bucket("flood").key("after")).asUtf8String()).isEqualTo("after");
            assertThat(cluster.log(1)).doesNotContain("OutOfMemoryError");
        }
    }

    /**
     * Connects and sends a request head announcing a 1 MiB body without a signature, then all of the body but its
     * last byte; once {@code finish} opens, the last byte, then reads the answer.
     */
    private static void unauthenticatedUpload(URI admin, String from, CountDownLatch sent, CountDownLatch finish)
            throws InterruptedException {
        boolean counted = false;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(admin.getHost(), admin.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/repair/remove-undecodable/objects/00 HTTP/1.1\r\nHost: " + admin.getAuthority()
                    + "\r\nContent-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int left = BODY - 1; left > 0; left -= Math.min(left, chunk.length)) {
                out.write(chunk, 0, Math.min(left, chunk.length));
            }
            out.flush();
            sent.countDown();
            counted = true;
            finish.await(5, TimeUnit.MINUTES);
            out.write(0);
            out.flush();
            // Refused from the head (403), or over the connection cap (503), or reset as it closed unread.
            assertThat(readAll(socket.getInputStream())).matches("(HTTP/1\\.1 (403|503) (?s).*)?");
        } catch (IOException refusedOrReset) {
            // The node closes a refused connection without reading its body: writing the rest then fails.
        } finally {
            if (!counted) {
                sent.countDown();
            }
        }
    }

    @Test
    void undecodableRecords_failOnlyTheirOwnKey_untilRemovedByTheAuditedRepair_whichCannotBeReplayed()
            throws Exception {
        try (S3Client s3 = cluster.s3(1)) {
            s3.createBucket(b -> b.bucket("photos"));
            s3.createBucket(b -> b.bucket("zeta"));
            for (String key : List.of("a", "b", "c")) {
                s3.putObject(b -> b.bucket("photos").key(key), RequestBody.fromString("value of " + key));
            }
        }
        byte[] badObject = "photos\0bad".getBytes(StandardCharsets.UTF_8);
        byte[] badBucket = "broken".getBytes(StandardCharsets.UTF_8);
        for (int id : cluster.nodeIds()) {
            cluster.stop(id);
        }
        for (int id : cluster.nodeIds()) {
            Path dataDir = cluster.dir().resolve(cluster.config().node(id).dataDir());
            // A record version this release does not know, as a newer release or a flipped bit would leave it.
            StoppedNodeMetadata.put(dataDir, MetaTable.OBJECTS, badObject, new byte[] {99, 1, 2, 3});
            StoppedNodeMetadata.put(dataDir, MetaTable.BUCKETS, badBucket, new byte[] {1, 2});
            // Entries of the background jobs whose lengths claim far more than is there.
            StoppedNodeMetadata.put(dataDir, MetaTable.REPAIRS, POISON, new byte[] {2, 0x7f, 0x7f, 0x7f, 0x7f});
            StoppedNodeMetadata.put(dataDir, MetaTable.TOMBSTONES, POISON, new byte[] {2, 0x7f, 0x7f, 0x7f, 0x7f});
        }
        cluster.restartStopped();

        // The jobs set the poison entries aside once, say so in their status, and go on.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(cluster.admin(1).metaScan(MetaTable.QUARANTINE.name(), new byte[0], 100))
                        .extracting(e -> new String(e.key(), StandardCharsets.UTF_8))
                        .contains("repairs" + (char) 0 + "00poison", "tombstones" + (char) 0 + "00poison"));
        assertThat(cluster.admin(1).metaScan(MetaTable.REPAIRS.name(), new byte[0], 100))
                .extracting(e -> new String(e.key(), StandardCharsets.UTF_8)).doesNotContain("00poison");
        List<JobStatus> jobs = new ArrayList<>();
        for (int node : cluster.nodeIds()) {
            jobs.addAll(cluster.admin(node).status().jobs());
        }
        assertThat(jobs).filteredOn(j -> j.name().equals("shard-repair"))
                .anySatisfy(j -> assertThat(j.quarantined()).isGreaterThanOrEqualTo(1));
        assertThat(jobs).filteredOn(j -> j.name().equals("tombstone-sweep"))
                .anySatisfy(j -> assertThat(j.quarantined()).isGreaterThanOrEqualTo(1));

        for (int id : cluster.nodeIds()) {
            try (S3Client s3 = cluster.s3(id)) {
                assertThat(s3.listObjectsV2(b -> b.bucket("photos")).contents()).extracting(S3Object::key)
                        .as("node %d lists the bucket without the bad record", id).containsExactly("a", "b", "c");
                assertThat(s3.listBuckets().buckets()).extracting(bucket -> bucket.name())
                        .as("node %d lists the buckets without the bad one", id).contains("photos", "zeta")
                        .doesNotContain("broken");
                assertThat(s3.getObjectAsBytes(b -> b.bucket("photos").key("b")).asUtf8String())
                        .isEqualTo("value of b");
                assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("photos").key("bad")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(500);
                            assertThat(e.awsErrorDetails().errorMessage()).contains("object photos/bad",
                                    "cannot be read");
                        });
                assertThatThrownBy(() -> s3.headObject(b -> b.bucket("photos").key("bad")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            }
        }
        MetadataRecords records = cluster.admin(1).records();
        assertThat(records.undecodable()).extracting(UndecodableRecord::table, UndecodableRecord::key)
                .contains(org.assertj.core.groups.Tuple.tuple("objects", HexFormat.of().formatHex(badObject)),
                        org.assertj.core.groups.Tuple.tuple("buckets", HexFormat.of().formatHex(badBucket)));
        assertThat(records.undecodableSeen()).isGreaterThanOrEqualTo(3);
        assertThat(cluster.log(1)).contains("The metadata record of object photos/bad (table objects");

        // The repair, signed for node 1: node 2 refuses it, node 1 carries it out once.
        String path = "/v1/repair/remove-undecodable/objects/" + HexFormat.of().formatHex(badObject);
        byte[] forNode1 = signedPost(1, path);
        assertThat(send(2, forNode1)).startsWith("HTTP/1.1 403").contains("signed for host");
        assertThat(send(1, forNode1)).startsWith("HTTP/1.1 200").contains("\"remove-undecodable\"");
        assertThat(send(1, forNode1)).startsWith("HTTP/1.1 403").contains("received before");
        try (S3Client s3 = cluster.s3(2)) {
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("photos").key("bad")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        }
        AdminClient admin = cluster.admin(1);
        assertThat(admin.records().repairs()).singleElement().satisfies(r -> {
            assertThat(r.accessKey()).isEqualTo(cluster.config().credentials().adminAccessKey());
            assertThat(r.key()).isEqualTo(HexFormat.of().formatHex(badObject));
        });
        assertThat(cluster.log(1)).contains("admin repair: remove-undecodable of objects record");
        // A record that decodes is not removable this way; the raw tables are not writable.
        assertThat(admin.send("POST", "/v1/repair/remove-undecodable/buckets/"
                + HexFormat.of().formatHex("photos".getBytes(StandardCharsets.UTF_8)), new byte[0]).statusCode())
                .isEqualTo(409);
        assertThat(admin.send("POST", "/v1/put/buckets/00", new byte[] {1}).statusCode()).isEqualTo(410);
    }

    /** The bytes of a signed admin POST with an empty body for node {@code nodeId}, closing after the answer. */
    private static byte[] signedPost(int nodeId, String path) throws Exception {
        ClusterConfig config = cluster.config();
        URI uri = URI.create(config.node(nodeId).adminEndpoint() + path);
        SigV4Signer signer = new SigV4Signer(new Credentials(config.credentials().adminAccessKey(),
                config.credentials().adminSecretKey()), config.region(), Clock.systemUTC());
        String emptySha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n");
        for (Map.Entry<String, String> h : signer.signHeaders("POST", uri, Map.of(), emptySha256).entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends raw bytes to a node's admin port and returns everything it answers until it closes. */
    private static String send(int nodeId, byte[] request) throws IOException {
        URI admin = URI.create(cluster.config().node(nodeId).adminEndpoint());
        try (Socket socket = new Socket(admin.getHost(), admin.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed with a reset after the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
