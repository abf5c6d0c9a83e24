package io.predastore.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.protocol.admin.AdminError;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ClusterHealth;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.LeaderInfo;
import io.predastore.protocol.admin.MetaScanEntry;
import io.predastore.protocol.admin.MetadataRecords;
import io.predastore.protocol.admin.NodeStatus;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RecordRepair;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of one node's admin API, for the desktop app, the command line and tests. Signs every request with AWS SigV4 and the
 * admin credential (service {@code s3}, see docs/admin-api.md). Thread-safe.
 *
 * <p>Every method throws {@link AdminException} (an {@link IOException} naming the node, the request and the
 * status) when the node answers with an error, and a plain {@link IOException} when it cannot be reached.
 */
public final class AdminClient {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final TypeReference<List<MetaScanEntry>> SCAN = new TypeReference<>() {
    };

    private final URI base;
    private final SigV4Signer signer;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * A client of the admin API at {@code baseUri} (e.g. {@code http://10.0.0.5:9100}), signing with
     * {@code admin} for {@code region}. An {@code https} URI is checked against the JDK's default trust store; for
     * a node with a cluster certificate use {@link #forNode}.
     */
    public AdminClient(URI baseUri, Credentials admin, String region) {
        this(baseUri, new SigV4Signer(admin, region, Clock.systemUTC()),
                HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build(),
                DEFAULT_TIMEOUT);
    }

    /**
     * A client of node {@code nodeId} of a cluster file, with the file's admin credential and region. When the node
     * serves its admin API over TLS, the client trusts the cluster CA only and accepts only node {@code nodeId}'s
     * certificate, so another node's stolen key cannot answer for it.
     *
     * @throws IOException if the cluster CA certificate cannot be read
     */
    public static AdminClient forNode(ClusterConfig config, int nodeId, Duration timeout) throws IOException {
        NodeConfig node = config.node(nodeId);
        ClusterTrust trust = node.adminTls() ? ClusterTrust.load(config.tls().caCert(), Membership.of(config)) : null;
        return forNode(config, nodeId, trust, timeout);
    }

    /**
     * As {@link #forNode(ClusterConfig, int, Duration)} with the cluster's trust already loaded (null when no node
     * serves TLS), so a client of every node reads the CA once.
     */
    public static AdminClient forNode(ClusterConfig config, int nodeId, ClusterTrust trust, Duration timeout) {
        NodeConfig node = config.node(nodeId);
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        if (node.adminTls()) {
            if (trust == null) {
                throw new IllegalArgumentException("node " + nodeId + " serves its admin API over TLS: a trust in "
                        + "the cluster CA is needed");
            }
            http.sslContext(trust.expectingNode(nodeId).clientContext());
        }
        Credentials admin = new Credentials(config.credentials().adminAccessKey(),
                config.credentials().adminSecretKey());
        return new AdminClient(URI.create(node.adminEndpoint()), new SigV4Signer(admin, config.region(),
                Clock.systemUTC()), http.build(), timeout);
    }

    /** A client with its own signer (clock), HTTP client and per-request timeout. */
    public AdminClient(URI baseUri, SigV4Signer signer, HttpClient http, Duration timeout) {
        Objects.requireNonNull(baseUri, "baseUri");
        if (baseUri.getHost() == null || !("http".equalsIgnoreCase(baseUri.getScheme())
                || "https".equalsIgnoreCase(baseUri.getScheme()))) {
            throw new IllegalArgumentException("The admin URI must be http(s)://host:port, not " + baseUri);
        }
        String text = baseUri.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.signer = Objects.requireNonNull(signer, "signer");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The node's base URI. */
    public URI baseUri() {
        return base;
    }

    /** {@code GET /admin/v1/status}. */
    public NodeStatus status() throws IOException {
        return getJson("/admin/v1/status", NodeStatus.class);
    }

    /**
     * {@code GET /admin/v1/members}: every member of the cluster with its ports and state, at the current ring
     * epoch.
     */
    public ClusterMembers members() throws IOException {
        return getJson("/admin/v1/members", ClusterMembers.class);
    }

    /**
     * {@code POST /admin/v1/members}: adds {@code member} (its id, host and all four ports) to the cluster as
     * {@code joining}, and returns the new member list. The node itself is started afterwards; it becomes active
     * once it has caught up with the metadata. Refused with 409 when the id or one of its addresses is taken.
     */
    public ClusterMembers addMember(io.predastore.protocol.admin.ClusterMember member) throws IOException {
        String path = "/admin/v1/members";
        return parse(send("POST", path, AdminJson.writeBytes(member)), "POST", path, ClusterMembers.class);
    }

    /**
     * {@code POST /admin/v1/members/{id}/drain}: starts removing member {@code id} (e.g. {@code node-3}): it takes
     * no new shards, the rebalancer moves its shards to the other members, then it leaves the cluster. Returns the
     * new member list. Refused with 409 when fewer members than one object's shards would remain.
     */
    public ClusterMembers drainMember(String id) throws IOException {
        String path = "/admin/v1/members/" + encode(id) + "/drain";
        return parse(send("POST", path, new byte[0]), "POST", path, ClusterMembers.class);
    }

    /** {@code GET /admin/v1/raft}. */
    public RaftGroupStatus raft() throws IOException {
        return getJson("/admin/v1/raft", RaftGroupStatus.class);
    }

    /** {@code GET /admin/v1/ring}. */
    public RingView ring() throws IOException {
        return getJson("/admin/v1/ring", RingView.class);
    }

    /** {@code GET /admin/v1/placement}; empty if there is no such object. */
    public Optional<ObjectPlacement> placement(String bucket, String key) throws IOException {
        String path = "/admin/v1/placement?bucket=" + encode(bucket) + "&key=" + encode(key);
        HttpResponse<byte[]> r = send("GET", path, new byte[0]);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(parse(r, "GET", path, ObjectPlacement.class));
    }

    /** {@code GET /admin/v1/health}. */
    public ClusterHealth health() throws IOException {
        return getJson("/admin/v1/health", ClusterHealth.class);
    }

    /**
     * {@code GET /admin/v1/protection}: how well the cluster's objects are protected, from the last protection pass
     * ({@code computedAtMillis} -1 before the first).
     */
    public ProtectionReport protection() throws IOException {
        return getJson("/admin/v1/protection", ProtectionReport.class);
    }

    /** {@code GET /admin/v1/counters}. */
    public Counters counters() throws IOException {
        return getJson("/admin/v1/counters", Counters.class);
    }

    /** {@code GET /metrics}: the counters in Prometheus text format. */
    public String metrics() throws IOException {
        HttpResponse<byte[]> r = check(send("GET", "/metrics", new byte[0]), "GET", "/metrics");
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** {@code GET /v1/leader}: the metadata Raft leader. */
    public LeaderInfo leader() throws IOException {
        return getJson("/v1/leader", LeaderInfo.class);
    }

    /** {@code GET /admin/v1/records}: the metadata records the node cannot decode, and the repairs done there. */
    public MetadataRecords records() throws IOException {
        return getJson("/admin/v1/records", MetadataRecords.class);
    }

    /**
     * {@code POST /v1/repair/remove-undecodable/{table}/{key}}: removes a metadata record that cannot be decoded
     * (the node refuses with 409 RecordDecodes one that can). {@code table} is a metadata table's name in any case,
     * e.g. {@code objects}.
     */
    public RecordRepair removeUndecodable(String table, byte[] key) throws IOException {
        String path = "/v1/repair/remove-undecodable/" + table(table) + "/" + hex(key);
        return parse(send("POST", path, new byte[0]), "POST", path, RecordRepair.class);
    }

    /** {@code GET /v1/get/{table}/{key}}: a metadata value, or empty if absent; {@code table} in any case. */
    public Optional<byte[]> metaGet(String table, byte[] key) throws IOException {
        String path = "/v1/get/" + table(table) + "/" + hex(key);
        HttpResponse<byte[]> r = send("GET", path, new byte[0]);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(check(r, "GET", path).body());
    }

    /**
     * {@code GET /v1/scan/{table}}: up to {@code limit} entries whose key starts with {@code prefix}, in key order;
     * {@code table} in any case.
     */
    public List<MetadataEntry> metaScan(String table, byte[] prefix, int limit) throws IOException {
        String path = "/v1/scan/" + table(table) + "?prefix=" + hex(prefix) + "&limit=" + limit;
        HttpResponse<byte[]> r = check(send("GET", path, new byte[0]), "GET", path);
        List<MetaScanEntry> entries;
        try {
            entries = AdminJson.MAPPER.readValue(r.body(), SCAN);
        } catch (IllegalArgumentException e) {
            throw new IOException(describe("GET", path) + " returned an invalid scan: " + e.getMessage(), e);
        }
        List<MetadataEntry> out = new ArrayList<>(entries.size());
        for (MetaScanEntry e : entries) {
            out.add(new MetadataEntry(HexFormat.of().parseHex(e.key()), Base64.getDecoder().decode(e.value())));
        }
        return out;
    }

    /** Sends a signed request for {@code pathAndQuery} and returns the raw response, whatever its status. */
    public HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body) throws IOException {
        URI uri = URI.create(base + pathAndQuery);
        Map<String, String> auth = signer.signHeaders(method, uri, Map.of(), sha256Hex(body));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body.length == 0 && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        auth.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(describe(method, pathAndQuery) + " was interrupted", e);
        } catch (IOException e) {
            throw new IOException(describe(method, pathAndQuery) + " failed: " + e, e);
        }
    }

    private <T> T getJson(String path, Class<T> type) throws IOException {
        return parse(send("GET", path, new byte[0]), "GET", path, type);
    }

    private <T> T parse(HttpResponse<byte[]> r, String method, String path, Class<T> type) throws IOException {
        check(r, method, path);
        try {
            return AdminJson.read(r.body(), type);
        } catch (IOException e) {
            throw new IOException(describe(method, path) + " returned an invalid " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private HttpResponse<byte[]> check(HttpResponse<byte[]> r, String method, String path) throws AdminException {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return r;
        }
        String code = null;
        String message = new String(r.body(), StandardCharsets.UTF_8);
        try {
            AdminError error = AdminJson.read(r.body(), AdminError.class);
            code = error.code();
            message = error.message();
        } catch (IOException | RuntimeException e) {
            // not a JSON error body; keep the raw text
        }
        throw new AdminException(describe(method, path) + " failed with " + status
                + (code == null ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message), status, code);
    }

    private String describe(String method, String path) {
        int q = path.indexOf('?');
        return "Admin request " + method + " " + (q < 0 ? path : path.substring(0, q)) + " to node " + base;
    }

    private static String table(String table) {
        return encode(table.toLowerCase(Locale.ROOT));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** RFC 3986 percent-encoding of a query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
