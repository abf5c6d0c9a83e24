package io.predastore.node.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.predastore.node.auth.AuthContext;
import io.predastore.node.auth.DecodedBody;
import io.predastore.node.error.S3Exception;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.protocol.admin.AdminError;
import io.predastore.protocol.admin.AdminErrorCode;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.Counters;
import io.predastore.protocol.admin.LeaderInfo;
import io.predastore.protocol.admin.MetaScanEntry;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.http.RequestTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one admin request whose head {@link AdminAdmission} accepted. Thread-safe. */
final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    static final String JSON = "application/json";
    static final String OCTETS = "application/octet-stream";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    /** Scan limit when none is given, and the most a scan returns. */
    static final int DEFAULT_SCAN_LIMIT = 1000;
    static final int MAX_SCAN_LIMIT = 10_000;

    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})*");

    private final AdminSources sources;
    private final RecordRepairs records;

    AdminRoutes(AdminSources sources, RecordRepairs records) {
        this.sources = sources;
        this.records = records;
    }

    /**
     * The answer to a request whose head {@link AdminAdmission} accepted, with its whole {@code body}; never
     * throws. The body is checked against the signed SHA-256 before anything is done. The caller releases the
     * body.
     */
    AdminResponse handle(AdminAdmission.Admitted request, ByteBuf body) {
        RequestTarget target = request.target();
        try {
            byte[] bytes = readBody(request.auth(), request.headers(), body);
            return route(request, bytes);
        } catch (S3Exception | AdminRefusal e) {
            return refusal(e);
        } catch (IOException e) {
            return unavailable(e);
        } catch (UncheckedIOException e) {
            return unavailable(e.getCause());
        } catch (RuntimeException e) {
            // A fault of the node, not of the request: logged once, with the target cut and sanitised.
            LOG.error("admin request {} {} failed", request.method(), target, e);
            return error(AdminErrorCode.INTERNAL_ERROR, "The node failed to answer ("
                    + e.getClass().getSimpleName() + "); its log has the details.");
        }
    }

    private static AdminResponse unavailable(IOException e) {
        return error(AdminErrorCode.SERVICE_UNAVAILABLE, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /**
     * The answer to a request refused with {@code e}: an {@link AdminRefusal}, or an {@link S3Exception} of
     * authentication, which keeps its SigV4 code.
     */
    static AdminResponse refusal(RuntimeException e) {
        if (e instanceof S3Exception s3) {
            return render(HttpResponseStatus.valueOf(s3.error().httpStatus()), s3.error().code(), s3.getMessage());
        }
        AdminRefusal refused = (AdminRefusal) e;
        AdminResponse r = error(refused.error(), refused.getMessage());
        return refused.allow() == null ? r : new AdminResponse(r.status(), r.contentType(), r.body(),
                Map.of("Allow", refused.allow()));
    }

    /** Reads and verifies the body against the signed payload hash (and any checksum headers). */
    private static byte[] readBody(AuthContext auth, HttpHeaders headers, ByteBuf body) throws IOException {
        try (InputStream raw = new ByteBufInputStream(body.duplicate());
                DecodedBody decoded = auth.decodeBody(raw, headers)) {
            return decoded.readAllBytes();
        }
    }

    private AdminResponse route(AdminAdmission.Admitted request, byte[] body) throws IOException {
        HttpMethod method = request.method();
        String path = request.target().path();
        Map<String, List<String>> params = request.target().parameters();
        switch (path) {
            case "/admin/v1/status":
            case "/status":
                requireGet(method);
                return json(sources.nodeStatus());
            case "/admin/v1/members":
                if (method.equals(HttpMethod.POST)) {
                    return json(sources.addMember(memberOf(body)));
                }
                requireGet(method);
                return json(sources.members());
            case "/admin/v1/raft":
                requireGet(method);
                return json(sources.raft());
            case "/admin/v1/ring":
                requireGet(method);
                return json(sources.ring());
            case "/admin/v1/placement":
                requireGet(method);
                return placement(params);
            case "/admin/v1/health":
                requireGet(method);
                return json(sources.health());
            case "/admin/v1/protection":
                requireGet(method);
                return json(sources.protection());
            case "/admin/v1/counters":
                requireGet(method);
                return json(sources.counters());
            case "/metrics":
                requireGet(method);
                return new AdminResponse(HttpResponseStatus.OK, PROMETHEUS,
                        sources.prometheusText().getBytes(StandardCharsets.UTF_8));
            case "/v1/leader":
                requireGet(method);
                return leader();
            case "/admin/v1/records":
                requireGet(method);
                return json(records.view(sources.undecodableRecords()));
            default:
                break;
        }
        if (path.startsWith(MEMBERS_PREFIX) && path.endsWith(DRAIN_SUFFIX)
                && path.length() > MEMBERS_PREFIX.length() + DRAIN_SUFFIX.length()) {
            requireMethod(method, HttpMethod.POST);
            String id = path.substring(MEMBERS_PREFIX.length(), path.length() - DRAIN_SUFFIX.length());
            return json(sources.drainMember(id));
        }
        String[] parts = path.split("/", -1);
        // "/v1/<op>/<table>[/<key>]" splits into "", "v1", op, table[, key]
        if (parts.length >= 3 && parts[0].isEmpty() && parts[1].equals("v1")) {
            String op = parts[2];
            switch (op) {
                case "put", "delete":
                    throw new AdminRefusal(AdminErrorCode.READ_ONLY, "The metadata tables cannot be "
                            + "written through the admin API, as a record the S3 path did not write can break "
                            + "the store. To remove a record that cannot be decoded, use POST "
                            + "/v1/repair/remove-undecodable/{table}/{hex-key}; see docs/admin-api.md.");
                case "repair":
                    expectParts(parts, 6, path, "/v1/repair/remove-undecodable/{table}/{hex-key}");
                    if (!parts[3].equals(RecordRepairs.REMOVE_UNDECODABLE)) {
                        throw new AdminRefusal(AdminErrorCode.NOT_FOUND, "There is no repair '"
                                + abbreviate(parts[3]) + "'; the one repair is " + RecordRepairs.REMOVE_UNDECODABLE
                                + ".");
                    }
                    requireMethod(method, HttpMethod.POST);
                    return json(records.removeUndecodable(sources, table(parts[4]), key(parts[5]), request));
                case "get":
                    expectParts(parts, 5, path, "/v1/get/{table}/{hex-key}");
                    requireGet(method);
                    return metaGet(table(parts[3]), key(parts[4]));
                case "scan":
                    expectParts(parts, 4, path, "/v1/scan/{table}");
                    requireGet(method);
                    return scan(table(parts[3]), params);
                default:
                    break;
            }
        }
        throw new AdminRefusal(AdminErrorCode.NOT_FOUND, "There is no admin route " + path
                + "; see docs/admin-api.md for the routes.");
    }

    private static final String MEMBERS_PREFIX = "/admin/v1/members/";
    private static final String DRAIN_SUFFIX = "/drain";

    /** The member a {@code POST /admin/v1/members} body describes. */
    private static io.predastore.protocol.admin.ClusterMember memberOf(byte[] body) {
        try {
            return io.predastore.protocol.admin.AdminJson.read(body, io.predastore.protocol.admin.ClusterMember.class);
        } catch (IOException | RuntimeException e) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "The body must be a member as JSON: id (node-<n>), "
                    + "host, s3Port, adminPort, raftPort, shardPort, s3Tls, adminTls (" + abbreviate(String.valueOf(
                            e.getMessage())) + ").");
        }
    }

    private AdminResponse placement(Map<String, List<String>> params) throws IOException {
        String bucket = param(params, "bucket");
        String key = param(params, "key");
        if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST,
                    "Give the object as ?bucket=<bucket>&key=<key>, both non-empty.");
        }
        return sources.placement(bucket, key).map(AdminRoutes::json).orElseThrow(() -> new AdminRefusal(
                AdminErrorCode.NO_SUCH_KEY, "There is no object " + key + " in bucket " + bucket + "."));
    }

    private AdminResponse leader() {
        RaftGroupStatus raft = sources.raft();
        String leaderId = raft.leaderId();
        if (leaderId == null) {
            throw new AdminRefusal(AdminErrorCode.NO_LEADER, "The metadata group has no leader right now (term "
                    + raft.term() + "); retry shortly.");
        }
        String address = null;
        for (RaftPeerStatus p : raft.peers()) {
            if (p.id().equals(leaderId)) {
                address = p.address();
            }
        }
        return json(new LeaderInfo(leaderId, address));
    }

    private AdminResponse metaGet(MetaTable table, byte[] key) throws IOException {
        Optional<byte[]> value = sources.metadata().get(table, key);
        if (value.isEmpty()) {
            throw new AdminRefusal(AdminErrorCode.NO_SUCH_KEY, "There is no key "
                    + HexFormat.of().formatHex(key) + " in table " + table + ".");
        }
        return new AdminResponse(HttpResponseStatus.OK, OCTETS, value.get());
    }

    private AdminResponse scan(MetaTable table, Map<String, List<String>> params) throws IOException {
        String prefixText = param(params, "prefix");
        byte[] prefix = prefixText == null ? new byte[0] : key(prefixText);
        String limitText = param(params, "limit");
        int limit = DEFAULT_SCAN_LIMIT;
        if (limitText != null) {
            if (limitText.isEmpty() || limitText.length() > 6 || !limitText.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > MAX_SCAN_LIMIT) {
                throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "limit must be a whole number "
                        + "from 1 to " + MAX_SCAN_LIMIT + ", not '" + abbreviate(limitText) + "'.");
            }
            limit = Integer.parseInt(limitText);
        }
        List<MetaEntry> entries = sources.metadata().scan(table, prefix, null, limit);
        List<MetaScanEntry> out = new ArrayList<>(entries.size());
        HexFormat hex = HexFormat.of();
        Base64.Encoder b64 = Base64.getEncoder();
        for (MetaEntry e : entries) {
            out.add(new MetaScanEntry(hex.formatHex(e.key()), b64.encodeToString(e.value())));
        }
        return json(out);
    }

    private static String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "The query parameter " + name + " must be given once.");
        }
        return values.get(0);
    }

    static MetaTable table(String name) {
        for (MetaTable t : MetaTable.values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "There is no metadata table '"
                + abbreviate(name) + "'; the tables are " + List.of(MetaTable.values()).toString()
                        .toLowerCase(Locale.ROOT) + " (any case).");
    }

    private static final int MAX_KEY_BYTES = 64 * 1024;

    static byte[] key(String hex) {
        if (hex.length() > 2 * MAX_KEY_BYTES || !HEX.matcher(hex).matches()) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "Keys must be an even number of "
                    + "hex digits (at most " + MAX_KEY_BYTES + " bytes), not '" + abbreviate(hex) + "'.");
        }
        return HexFormat.of().parseHex(hex);
    }

    private static void expectParts(String[] parts, int n, String path, String form) {
        if (parts.length != n || parts[n - 1].isEmpty()) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "The path " + abbreviate(path)
                    + " must have the form " + form + ".");
        }
    }

    private static void requireGet(HttpMethod method) {
        requireMethod(method, HttpMethod.GET);
    }

    private static void requireMethod(HttpMethod method, HttpMethod allowed) {
        if (!method.equals(allowed)) {
            throw new AdminRefusal(AdminErrorCode.METHOD_NOT_ALLOWED, "This route answers " + allowed + " only, not "
                    + method + ".", allowed.name());
        }
    }

    static AdminResponse json(Object value) {
        return new AdminResponse(HttpResponseStatus.OK, JSON, AdminJson.writeBytes(value));
    }

    /** The answer for an entry of the admin error table, with {@code message} in place of its default. */
    static AdminResponse error(AdminErrorCode error, String message) {
        return render(HttpResponseStatus.valueOf(error.httpStatus()), error.code(), message);
    }

    /** The one place an admin error body is written. */
    private static AdminResponse render(HttpResponseStatus status, String code, String message) {
        return new AdminResponse(status, JSON, AdminJson.writeBytes(new AdminError(code, message)));
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
