package io.predastore.node.s3;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.protocol.http.ClientFaultLog;
import io.predastore.protocol.http.RequestTarget;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps (method, path, query, headers) to one {@link S3Operation} and an {@link S3Request}, for path-style
 * ({@code http://host/bucket/key}) and virtual-host-style ({@code http://bucket.domain/key}) addressing.
 * Stateless and thread-safe.
 */
final class S3Router {
    /** Maximum key length in UTF-8 bytes, as in S3. */
    static final int MAX_KEY_BYTES = 1024;

    /** Bucket sub-resources we do not implement; a request naming one gets NotImplemented, not a listing. */
    private static final Set<String> UNSUPPORTED_SUBRESOURCES = Set.of(
            "accelerate", "analytics", "attributes", "cors", "encryption", "intelligent-tiering",
            "inventory", "legal-hold", "lifecycle", "logging", "metadataTable", "metrics", "notification",
            "object-lock", "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication",
            "requestPayment", "restore", "retention", "select", "tagging", "torrent", "versionId", "versions",
            "website", "renameObject", "session");

    private final List<String> domains;

    /**
     * @param domains the host names this server answers as (e.g. {@code localhost}); a request for
     *     {@code bucket.<domain>} is virtual-host-style
     */
    S3Router(List<String> domains) {
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    /** Routing outcome: the operation and the request in S3 terms. */
    record Route(S3Operation operation, S3Request request) {
    }

    /**
     * Routes a request from its one parsed target: the decoded path, the decoded query and the host, exactly what
     * the verifier canonicalises.
     *
     * @throws S3Exception KeyTooLongError for a key over {@value #MAX_KEY_BYTES} bytes, InvalidArgument for a
     *     query parameter given more than once
     */
    Route route(HttpMethod method, RequestTarget target, HttpHeaders headers, String requestId) {
        for (Map.Entry<String, List<String>> p : target.parameters().entrySet()) {
            // A signature covers the parameters sorted, so their order must not matter: one value per name.
            if (p.getValue().size() > 1) {
                throw S3Error.INVALID_ARGUMENT.exception("The query parameter '" + ClientFaultLog.sanitize(p.getKey())
                        + "' is given " + p.getValue().size() + " times; give each parameter once.");
            }
        }
        String path = target.path();
        String bucket;
        String key;
        String hostBucket = bucketFromHost(target.host());
        if (hostBucket != null) {
            bucket = hostBucket;
            key = path.length() > 1 ? path.substring(1) : null;
        } else {
            String rest = path.substring(1);
            int slash = rest.indexOf('/');
            if (rest.isEmpty()) {
                bucket = null;
                key = null;
            } else if (slash < 0) {
                bucket = rest;
                key = null;
            } else {
                bucket = rest.substring(0, slash);
                key = rest.substring(slash + 1);
                if (key.isEmpty()) {
                    key = null;
                }
            }
        }
        S3Request request = new S3Request(method, bucket, key, target.parameters(), headers, requestId);
        if (key != null && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3Error.KEY_TOO_LONG,
                    "Your key is " + key.getBytes(StandardCharsets.UTF_8).length
                            + " bytes long; S3 keys are at most 1024 bytes of UTF-8.",
                    request.resource(), null);
        }
        return new Route(operation(request), request);
    }

    private String bucketFromHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return null;
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        for (String domain : domains) {
            if (h.length() > domain.length() + 1 && h.endsWith("." + domain)) {
                return host.substring(0, h.length() - domain.length() - 1);
            }
        }
        return null;
    }

    /** The methods S3 takes on some resource; any other is MethodNotAllowed (405) wherever it is sent. */
    private static final java.util.Set<HttpMethod> S3_METHODS = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.PUT, HttpMethod.POST, HttpMethod.DELETE);

    private static S3Operation operation(S3Request r) {
        HttpMethod m = r.method();
        for (String sub : UNSUPPORTED_SUBRESOURCES) {
            if (r.hasParam(sub)) {
                return S3Operation.NOT_IMPLEMENTED;
            }
        }
        if (r.hasParam("acl")) {
            // Only reading and setting an ACL exist; any other request naming one must not act on the resource.
            if (r.bucket() != null && HttpMethod.GET.equals(m)) {
                return r.key() == null ? S3Operation.GET_BUCKET_ACL : S3Operation.GET_OBJECT_ACL;
            }
            if (r.bucket() != null && HttpMethod.PUT.equals(m)) {
                return r.key() == null ? S3Operation.PUT_BUCKET_ACL : S3Operation.PUT_OBJECT_ACL;
            }
            return S3Operation.NOT_IMPLEMENTED;
        }
        if (HttpMethod.OPTIONS.equals(m)) {
            // A CORS preflight: S3 answers it from a bucket's CORS configuration, which this server does not keep.
            return S3Operation.NOT_IMPLEMENTED;
        }
        if (!S3_METHODS.contains(m)) {
            return S3Operation.METHOD_NOT_ALLOWED;
        }
        if (r.bucket() == null) {
            return HttpMethod.GET.equals(m) ? S3Operation.LIST_BUCKETS : S3Operation.METHOD_NOT_ALLOWED;
        }
        if (r.key() == null) {
            return bucketOperation(r, m);
        }
        return objectOperation(r, m);
    }

    private static S3Operation bucketOperation(S3Request r, HttpMethod m) {
        if (HttpMethod.GET.equals(m)) {
            if (r.hasParam("location")) {
                return S3Operation.GET_BUCKET_LOCATION;
            }
            if (r.hasParam("versioning")) {
                return S3Operation.GET_BUCKET_VERSIONING;
            }
            if (r.hasParam("uploads")) {
                return S3Operation.LIST_MULTIPART_UPLOADS;
            }
            if ("2".equals(r.param("list-type"))) {
                return S3Operation.LIST_OBJECTS_V2;
            }
            return S3Operation.LIST_OBJECTS;
        }
        if (HttpMethod.PUT.equals(m)) {
            return r.query().isEmpty() ? S3Operation.CREATE_BUCKET : S3Operation.NOT_IMPLEMENTED;
        }
        if (HttpMethod.HEAD.equals(m)) {
            return S3Operation.HEAD_BUCKET;
        }
        if (HttpMethod.DELETE.equals(m)) {
            return r.query().isEmpty() ? S3Operation.DELETE_BUCKET : S3Operation.NOT_IMPLEMENTED;
        }
        if (HttpMethod.POST.equals(m) && r.hasParam("delete")) {
            return S3Operation.DELETE_OBJECTS;
        }
        return S3Operation.NOT_IMPLEMENTED;
    }

    private static S3Operation objectOperation(S3Request r, HttpMethod m) {
        boolean copy = r.header("x-amz-copy-source") != null;
        if (HttpMethod.PUT.equals(m)) {
            if (r.hasParam("uploadId") || r.hasParam("partNumber")) {
                return copy ? S3Operation.UPLOAD_PART_COPY : S3Operation.UPLOAD_PART;
            }
            return copy ? S3Operation.COPY_OBJECT : S3Operation.PUT_OBJECT;
        }
        if (HttpMethod.GET.equals(m)) {
            return r.hasParam("uploadId") ? S3Operation.LIST_PARTS : S3Operation.GET_OBJECT;
        }
        if (HttpMethod.HEAD.equals(m)) {
            return S3Operation.HEAD_OBJECT;
        }
        if (HttpMethod.DELETE.equals(m)) {
            return r.hasParam("uploadId") ? S3Operation.ABORT_MULTIPART_UPLOAD : S3Operation.DELETE_OBJECT;
        }
        if (HttpMethod.POST.equals(m)) {
            if (r.hasParam("uploads")) {
                return S3Operation.CREATE_MULTIPART_UPLOAD;
            }
            if (r.hasParam("uploadId")) {
                return S3Operation.COMPLETE_MULTIPART_UPLOAD;
            }
            // POST on an object is only ever a multipart step or a sub-resource (restore, select) refused above.
            return S3Operation.METHOD_NOT_ALLOWED;
        }
        return S3Operation.NOT_IMPLEMENTED;
    }
}
