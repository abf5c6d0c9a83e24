package io.predastore.node.admin;

import io.predastore.client.AdminClient;
import io.predastore.client.AdminException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.client.MetadataEntry;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.cluster.RecordCheck;
import io.predastore.node.metrics.PrometheusScrape;
import io.predastore.protocol.admin.AdminError;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ClusterHealth;
import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.LeaderChange;
import io.predastore.protocol.admin.LeaderInfo;
import io.predastore.protocol.admin.NodeHealth;
import io.predastore.protocol.admin.NodeStatus;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.admin.RaftRole;
import io.predastore.protocol.admin.RecordRepair;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
    private static final String REGION = "predastore";
    private static final Credentials ADMIN = new Credentials("admin-key", "admin-secret-0123456789");

    @TempDir
    Path dir;

    private LocalMetadataStore metadata;
    private TestSources sources;
    private AdminServer server;
    private AdminClient client;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        metadata = LocalMetadataStore.open(dir.resolve("meta"));
        sources = new TestSources(metadata);
        server = AdminServer.start(sources, ADMIN, REGION, "127.0.0.1", 0);
        base = URI.create("http://127.0.0.1:" + server.port());
        client = new AdminClient(base, ADMIN, REGION);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        metadata.close();
    }

    // ---------------------------------------------------------------- admin routes

    @Test
    void status_signedRequest_returnsNodeStatus() throws IOException {
        assertThat(client.status()).isEqualTo(sources.status);
    }

    @Test
    void legacyStatus_signedRequest_returnsNodeStatus() throws IOException {
        HttpResponse<byte[]> r = client.send("GET", "/status", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(AdminJson.read(r.body(), NodeStatus.class)).isEqualTo(sources.status);
    }

    @Test
    void members_nodeWithoutCluster_listsItself() throws IOException {
        assertThat(client.members().members()).containsExactly(new io.predastore.protocol.admin.ClusterMember(
                sources.status.id(), sources.status.host(), sources.status.ports().s3(),
                sources.status.ports().admin()));
    }

    @Test
    void raft_signedRequest_returnsGroupStatus() throws IOException {
        assertThat(client.raft()).isEqualTo(sources.raft);
    }

    @Test
    void ring_signedRequest_returnsRingView() throws IOException {
        RingView ring = client.ring();
        assertThat(ring).isEqualTo(sources.ring);
        assertThat(ring.partitionOwners()).hasSize(31);
    }

    @Test
    void health_signedRequest_returnsClusterHealth() throws IOException {
        assertThat(client.health()).isEqualTo(sources.health);
    }

    @Test
    void protection_beforeTheFirstPass_isAReportComputedNever_thenTheSourcesReport() throws IOException {
        io.predastore.protocol.admin.ProtectionReport none = client.protection();
        assertThat(none.computedAtMillis()).isEqualTo(-1);
        assertThat(none.summaryLine()).isEqualTo("protection: 0 full, 0 degraded, 0 at risk, 0 unreadable");
        sources.protection = new io.predastore.protocol.admin.ProtectionReport(1_700_000_000_000L, 5, 3, 2,
                new io.predastore.protocol.admin.ProtectionCounts(2, 20, List.of(1L, 1L, 0L, 0L, 0L, 0L),
                        List.of(10L, 10L, 0L, 0L, 0L, 0L)), List.of(), List.of(),
                io.predastore.protocol.admin.RepairQueue.IDLE, List.of(), List.of());
        assertThat(client.protection()).isEqualTo(sources.protection);
        assertThat(client.protection().summaryLine())
                .isEqualTo("protection: 1 full, 1 degraded, 0 at risk, 0 unreadable");
    }

    @Test
    void counters_signedRequest_returnsCounters() throws IOException {
        sources.counters.recordRequest("GetObject", 200, 0, 100);
        sources.counters.recordRequest("PutObject", 500, 50, 0);
        Counters c = client.counters();
        assertThat(c.requests()).isEqualTo(2);
        assertThat(c.errors()).isEqualTo(1);
        assertThat(c.bytesIn()).isEqualTo(50);
        assertThat(c.bytesOut()).isEqualTo(100);
        assertThat(c.operations()).containsExactly(Map.entry("GetObject", 1L), Map.entry("PutObject", 1L));
    }

    @Test
    void metrics_signedRequest_prometheusText() throws IOException {
        sources.counters.recordRequest("GetObject", 200, 0, 100);
        HttpResponse<byte[]> r = client.send("GET", "/metrics", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = client.metrics();
        assertThat(text).contains("# TYPE predastore_s3_requests_total counter\n");
        assertThat(PrometheusScrape.parse(text).samples()).containsEntry("predastore_s3_requests_total", 1.0)
                .containsEntry("predastore_s3_sent_bytes_total", 100.0)
                .containsEntry("predastore_s3_operation_requests_total{operation=\"GetObject\"}", 1.0);
    }

    @Test
    void placement_existingObject_returnsPlacementWithVerdict() throws IOException {
        Optional<ObjectPlacement> p = client.placement("photos", "2024/cat & dog.jpg");
        assertThat(p).hasValue(sources.placement);
        assertThat(p.get().health()).isEqualTo("readable, 1 shard missing, 1 more loss tolerated");
        assertThat(sources.lastPlacementQuery).isEqualTo("photos/2024/cat & dog.jpg");
    }

    @Test
    void placement_noSuchObject_empty() throws IOException {
        assertThat(client.placement("photos", "absent")).isEmpty();
        HttpResponse<byte[]> r = client.send("GET", "/admin/v1/placement?bucket=photos&key=absent", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).code()).isEqualTo("NoSuchKey");
    }

    @Test
    void placement_missingKeyParameter_400() throws IOException {
        HttpResponse<byte[]> r = client.send("GET", "/admin/v1/placement?bucket=photos", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).code()).isEqualTo("BadRequest");
    }

    @Test
    void placement_sourceFails_503WithItsMessage() throws IOException {
        HttpResponse<byte[]> r = client.send("GET", "/admin/v1/placement?bucket=photos&key=fail", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(error(r)).isEqualTo(new AdminError("ServiceUnavailable", "metadata leader unreachable"));
    }

    @Test
    void leader_knownLeader_idAndAddress() throws IOException {
        assertThat(client.leader()).isEqualTo(new LeaderInfo("node-2", "10.0.0.6:9001"));
    }

    @Test
    void leader_noLeader_503NoLeader() {
        sources.raft = new RaftGroupStatus(null, 8, 10, 10, RaftRole.CANDIDATE, List.of(), List.of());
        assertThatThrownBy(() -> client.leader()).isInstanceOfSatisfying(AdminException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("NoLeader");
            assertThat(e.getMessage()).contains("GET /v1/leader", base.toString(), "503");
        });
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void request_unknownAccessKey_403InvalidAccessKeyId() {
        AdminClient wrong = new AdminClient(base, new Credentials("someone-else", ADMIN.secretKey()), REGION);
        assertThatThrownBy(wrong::status).isInstanceOfSatisfying(AdminException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("InvalidAccessKeyId");
            assertThat(e.getMessage()).contains("GET /admin/v1/status", base.toString(), "403");
        });
    }

    @Test
    void request_wrongSecret_403SignatureDoesNotMatch() {
        AdminClient wrong = new AdminClient(base, new Credentials(ADMIN.accessKey(), "not-the-secret"), REGION);
        assertThatThrownBy(wrong::ring).isInstanceOfSatisfying(AdminException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        });
    }

    @Test
    void request_unsigned_403AccessDenied() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r).code()).isEqualTo("AccessDenied");
    }

    @Test
    void request_unknownPathUnsigned_403NotRouteInformation() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/nope")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void request_signedForOtherRegion_400AuthorizationHeaderMalformed() throws IOException {
        AdminClient wrong = new AdminClient(base, ADMIN, "us-east-1");
        HttpResponse<byte[]> r = wrong.send("GET", "/admin/v1/status", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).code()).isEqualTo("AuthorizationHeaderMalformed");
    }

    @Test
    void put_bodyNotMatchingSignedHash_400ContentSha256Mismatch() throws Exception {
        URI uri = base.resolve("/v1/put/objects/0a0b");
        SigV4Signer signer = new SigV4Signer(ADMIN, REGION, Clock.systemUTC());
        Map<String, String> auth = signer.signHeaders("POST", uri, Map.of(),
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"); // SHA-256 of nothing
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("tampered"));
        auth.forEach(b::header);
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).code()).isEqualTo("XAmzContentSHA256Mismatch");
        assertThat(metadata.get(MetaTable.OBJECTS, new byte[] {10, 11})).isEmpty();
    }

    @Test
    void request_verifierWithFixedClock_skewedRequestRefused() throws Exception {
        try (AdminServer other = AdminServer.start(sources, new SigV4Verifier(CredentialStore.of(ADMIN), REGION,
                Clock.fixed(java.time.Instant.parse("2020-01-01T00:00:00Z"), java.time.ZoneOffset.UTC)),
                "127.0.0.1", 0)) {
            AdminClient c = new AdminClient(URI.create("http://127.0.0.1:" + other.port()), ADMIN, REGION);
            assertThatThrownBy(c::status).isInstanceOfSatisfying(AdminException.class,
                    e -> assertThat(e.code()).isEqualTo("RequestTimeTooSkewed"));
        }
    }

    // ---------------------------------------------------------------- routing errors

    @Test
    void request_unknownPath_404NotFound() throws IOException {
        HttpResponse<byte[]> r = client.send("GET", "/admin/v2/status", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).code()).isEqualTo("NotFound");
    }

    @Test
    void request_wrongMethod_405WithAllow() throws IOException {
        HttpResponse<byte[]> r = client.send("POST", "/admin/v1/status", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
        assertThat(error(r).code()).isEqualTo("MethodNotAllowed");

        assertThat(client.send("GET", "/v1/repair/remove-undecodable/objects/00", new byte[0]).statusCode())
                .isEqualTo(405);
    }

    @Test
    void metadata_unknownTable_400() throws IOException {
        HttpResponse<byte[]> r = client.send("GET", "/v1/get/nosuchtable/00", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).message()).contains("nosuchtable", "objects");
    }

    @Test
    void metadata_badHex_400() throws IOException {
        assertThat(client.send("GET", "/v1/get/objects/zz", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(client.send("GET", "/v1/get/objects/abc", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(client.send("GET", "/v1/get/objects/", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(client.send("GET", "/v1/scan/objects?prefix=x1", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(client.send("GET", "/v1/scan/objects?limit=0", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(client.send("GET", "/v1/scan/objects?limit=ten", new byte[0]).statusCode()).isEqualTo(400);
    }

    @Test
    void put_bodyOverOneMebibyte_413() throws IOException {
        HttpResponse<byte[]> r = client.send("POST", "/v1/put/objects/00", new byte[AdminServer.MAX_BODY + 1]);
        assertThat(r.statusCode()).isEqualTo(413);
    }

    // ---------------------------------------------------------------- metadata REST

    @Test
    void metadata_putGetScanDelete_roundTrip() throws IOException {
        byte[] k1 = {0x01, 0x02, 0x03};
        byte[] k2 = {0x01, 0x02, (byte) 0xff};
        byte[] other = {0x09};
        put(MetaTable.OBJECTS, k1, "one".getBytes(StandardCharsets.UTF_8));
        put(MetaTable.OBJECTS, k2, new byte[] {0, (byte) 0x80, 0x7f});
        put(MetaTable.OBJECTS, other, new byte[0]);
        put(MetaTable.BUCKETS, k1, "bucket".getBytes(StandardCharsets.UTF_8));

        assertThat(client.metaGet(MetaTable.OBJECTS.name(), k1)).hasValueSatisfying(v ->
                assertThat(v).isEqualTo("one".getBytes(StandardCharsets.UTF_8)));
        assertThat(metadata.get(MetaTable.OBJECTS, k2)).hasValueSatisfying(v ->
                assertThat(v).containsExactly(0, 0x80, 0x7f));
        assertThat(client.metaGet(MetaTable.OBJECTS.name(), other)).hasValueSatisfying(v -> assertThat(v).isEmpty());

        List<MetadataEntry> scanned = client.metaScan(MetaTable.OBJECTS.name(), new byte[] {0x01, 0x02}, 10);
        assertThat(scanned).extracting(MetadataEntry::key).containsExactly(k1, k2);
        assertThat(scanned.get(1).value()).containsExactly(0, 0x80, 0x7f);
        assertThat(client.metaScan(MetaTable.OBJECTS.name(), new byte[0], 2)).hasSize(2);
        assertThat(client.metaScan(MetaTable.OBJECTS.name(), new byte[0], 100)).hasSize(3);

        HttpResponse<byte[]> raw = client.send("GET", "/v1/scan/OBJECTS?prefix=010203", new byte[0]);
        assertThat(new String(raw.body(), StandardCharsets.UTF_8))
                .isEqualTo("[{\"key\":\"010203\",\"value\":\"b25l\"}]");

        HttpResponse<byte[]> missing = client.send("GET", "/v1/get/objects/0102", new byte[0]);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing).code()).isEqualTo("NoSuchKey");
    }

    @Test
    void metadata_tableNameAnyCase_sameTable() throws IOException {
        put(MetaTable.BUCKETS, new byte[] {(byte) 0xaa}, new byte[] {1});
        assertThat(client.send("GET", "/v1/get/Buckets/aa", new byte[0]).statusCode()).isEqualTo(200);
        assertThat(client.send("GET", "/v1/get/BUCKETS/AA", new byte[0]).statusCode()).isEqualTo(200);
    }

    private void put(MetaTable table, byte[] key, byte[] value) throws IOException {
        metadata.apply(MetaBatch.of(new MetaBatch.Put(table, key, value)));
    }

    @Test
    void putAndDelete_anyTable_410ReadOnly_nothingWritten() throws IOException {
        byte[] key = {0x0a};
        put(MetaTable.OBJECTS, key, "kept".getBytes(StandardCharsets.UTF_8));
        for (String[] call : List.of(new String[] {"POST", "/v1/put/objects/0b"},
                new String[] {"POST", "/v1/put/buckets/0a"}, new String[] {"DELETE", "/v1/delete/objects/0a"})) {
            HttpResponse<byte[]> r = client.send(call[0], call[1], "x".getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(call[1]).isEqualTo(410);
            assertThat(error(r).code()).isEqualTo("ReadOnly");
            assertThat(error(r).message()).contains("/v1/repair/remove-undecodable");
        }
        assertThat(metadata.get(MetaTable.OBJECTS, new byte[] {0x0b})).isEmpty();
        assertThat(metadata.get(MetaTable.BUCKETS, key)).isEmpty();
        assertThat(metadata.get(MetaTable.OBJECTS, key)).isPresent();
    }

    @Test
    void removeUndecodable_undecodableRecord_removedAndRecordedWithWhoAndWhen() throws IOException {
        byte[] key = "bucket\0key".getBytes(StandardCharsets.UTF_8);
        put(MetaTable.OBJECTS, key, new byte[] {99, 1, 2});
        long before = System.currentTimeMillis();

        RecordRepair repair = client.removeUndecodable(MetaTable.OBJECTS.name(), key);

        assertThat(metadata.get(MetaTable.OBJECTS, key)).isEmpty();
        assertThat(repair.accessKey()).isEqualTo(ADMIN.accessKey());
        assertThat(repair.client()).isEqualTo("127.0.0.1");
        assertThat(repair.table()).isEqualTo("objects");
        assertThat(repair.key()).isEqualTo(java.util.HexFormat.of().formatHex(key));
        assertThat(repair.reason()).contains("version 99");
        assertThat(repair.atMillis()).isGreaterThanOrEqualTo(before);
        assertThat(client.records().repairs()).containsExactly(repair);
    }

    @Test
    void removeUndecodable_recordThatDecodes_409Kept() throws IOException {
        byte[] key = "photos".getBytes(StandardCharsets.UTF_8);
        // A bucket record as the S3 path writes it: version 1, creation time, region.
        byte[] record = java.nio.ByteBuffer.allocate(1 + 8 + 4 + 3).put((byte) 1).putLong(1_700_000_000_000L)
                .putInt(3).put("eu1".getBytes(StandardCharsets.UTF_8)).array();
        put(MetaTable.BUCKETS, key, record);

        HttpResponse<byte[]> r = client.send("POST", "/v1/repair/remove-undecodable/buckets/"
                + java.util.HexFormat.of().formatHex(key), new byte[0]);

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(error(r).code()).isEqualTo("RecordDecodes");
        assertThat(metadata.get(MetaTable.BUCKETS, key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(record));
        assertThat(client.records().repairs()).isEmpty();
        assertThat(client.send("POST", "/v1/repair/remove-undecodable/buckets/00", new byte[0]).statusCode())
                .isEqualTo(404);
        assertThat(client.send("POST", "/v1/repair/rewrite/buckets/00", new byte[0]).statusCode()).isEqualTo(404);
    }

    @Test
    void request_manySequentialOnOneClient_keepAliveWorks() throws IOException {
        for (int i = 0; i < 50; i++) {
            assertThat(client.status().id()).isEqualTo("node-1");
        }
    }

    @Test
    void request_pipelinedOnOneConnection_answeredInOrder() throws Exception {
        SigV4Signer signer = new SigV4Signer(ADMIN, REGION, Clock.systemUTC());
        StringBuilder out = new StringBuilder();
        for (String path : List.of("/admin/v1/ring", "/admin/v1/status", "/v1/get/objects/00", "/admin/v1/health")) {
            URI uri = base.resolve(path);
            out.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(base.getAuthority()).append("\r\n");
            signer.signHeaders("GET", uri, Map.of(), null)
                    .forEach((k, v) -> out.append(k).append(": ").append(v).append("\r\n"));
            out.append("\r\n");
        }
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(out.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            while (!got.toString().contains("\"nodes\":")) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            String text = got.toString();
            int ring = text.indexOf("\"partitionCount\"");
            int status = text.indexOf("\"uptimeMillis\"");
            int notFound = text.indexOf("HTTP/1.1 404");
            int health = text.indexOf("\"nodes\":");
            assertThat(ring).isPositive().isLessThan(status);
            assertThat(status).isLessThan(notFound);
            assertThat(notFound).isLessThan(health);
        }
    }

    @Test
    void request_malformedTargetUnsigned_400BadRequestBeforeAuthentication() throws Exception {
        for (String target : List.of("/admin/v1/status%zz", "/v1/scan/objects?prefix=%FF", "*",
                "HTTP://127.0.0.1:1/admin/v1/status")) {
            String answer = raw("GET " + target + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n");

            assertThat(answer).as(target).startsWith("HTTP/1.1 400").contains("\"code\":\"BadRequest\"");
        }
    }

    @Test
    void request_signedAbsoluteForm_answeredOnlyWhenItNamesTheHost() throws Exception {
        SigV4Signer signer = new SigV4Signer(ADMIN, REGION, Clock.systemUTC());
        StringBuilder head = new StringBuilder("Host: ").append(base.getAuthority()).append("\r\n");
        signer.signHeaders("GET", base.resolve("/admin/v1/status"), Map.of(), null)
                .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));

        assertThat(raw("GET HTTP://" + base.getAuthority() + "/admin/v1/status HTTP/1.1\r\n" + head))
                .startsWith("HTTP/1.1 200").contains("\"uptimeMillis\"");
        assertThat(raw("GET hTtP://other.example:9001/admin/v1/status HTTP/1.1\r\n" + head))
                .startsWith("HTTP/1.1 400").contains("send the same host in both");
    }

    /** Sends one request head (plus Connection: close) on its own connection and reads the whole answer. */
    private String raw(String head) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static AdminError error(HttpResponse<byte[]> r) throws IOException {
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return AdminJson.read(r.body(), AdminError.class);
    }

    /** Fixed answers, and a real metadata store. */
    static final class TestSources implements AdminSources {
        final NodeStatus status = new NodeStatus("node-1", "0.1.0-test", 1234, "127.0.0.1",
                new NodeStatus.Ports(9000, 9001, 9002, 9100), 4096, 3, RaftRole.FOLLOWER, "cluster");
        volatile RaftGroupStatus raft = new RaftGroupStatus("node-2", 4, 17, 17, RaftRole.FOLLOWER,
                List.of(new RaftPeerStatus("node-1", "10.0.0.5:9001", RaftRole.FOLLOWER, -1, 0, null),
                        new RaftPeerStatus("node-2", "10.0.0.6:9001", RaftRole.LEADER, -1, 0, null)),
                List.of(new LeaderChange(4, "node-2", 1_700_000_000_000L)));
        final RingView ring = RingView.of(Ring.of(List.of(new Member("node-1"), new Member("node-2")),
                new RingConfig(31, 8, 1.25)), id -> true);
        final ClusterHealth health = new ClusterHealth(List.of(new NodeHealth("node-1", true, 1L, null),
                new NodeHealth("node-2", false, null, "connection refused")));
        final ObjectPlacement placement = new ObjectPlacement("photos", "2024/cat & dog.jpg", 10, 3, 2,
                List.of(new SegmentPlacement("seg-1", 10, List.of(
                        new ShardPlacement(0, false, "node-1", ShardState.PRESENT),
                        new ShardPlacement(1, false, "node-2", ShardState.PRESENT),
                        new ShardPlacement(2, false, "node-1", ShardState.PRESENT),
                        new ShardPlacement(3, true, "node-2", ShardState.CORRUPT),
                        new ShardPlacement(4, true, "node-1", ShardState.PRESENT)))));
        final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final RequestCounters counters = new RequestCounters(meters, Clock.systemUTC());
        final MetadataStore metadata;
        volatile String lastPlacementQuery;
        volatile io.predastore.protocol.admin.ProtectionReport protection;

        TestSources(MetadataStore metadata) {
            this.metadata = metadata;
        }

        @Override
        public NodeStatus nodeStatus() {
            return status;
        }

        @Override
        public RaftGroupStatus raft() {
            return raft;
        }

        @Override
        public RingView ring() {
            return ring;
        }

        @Override
        public Optional<ObjectPlacement> placement(String bucket, String key) throws IOException {
            lastPlacementQuery = bucket + "/" + key;
            if (key.equals("fail")) {
                throw new IOException("metadata leader unreachable");
            }
            return bucket.equals(placement.bucket()) && key.equals(placement.key()) ? Optional.of(placement)
                    : Optional.empty();
        }

        @Override
        public ClusterHealth health() {
            return health;
        }

        @Override
        public io.predastore.protocol.admin.ProtectionReport protection() throws IOException {
            return protection == null ? AdminSources.super.protection() : protection;
        }

        @Override
        public Counters counters() {
            return counters.snapshot();
        }

        @Override
        public String prometheusText() {
            return meters.scrape();
        }

        @Override
        public MetadataStore metadata() {
            return metadata;
        }

        @Override
        public Optional<String> recordProblem(MetaTable table, byte[] key, byte[] value) {
            return RecordCheck.problem(table, key, value);
        }
    }
}
