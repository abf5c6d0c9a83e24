package io.predastore.node.s3;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * A request as the operations see it: addressing resolved (path-style or virtual-host-style), the query
 * decoded. Immutable.
 *
 * @param bucket the bucket, or null for service-level requests
 * @param key the object key (decoded UTF-8), or null for bucket-level requests
 * @param query decoded query parameters; a parameter given without a value maps to ""
 * @param requestId the id answered in {@code x-amz-request-id}
 */
record S3Request(
        HttpMethod method,
        String bucket,
        String key,
        Map<String, List<String>> query,
        HttpHeaders headers,
        String requestId) {

    /** The first value of a query parameter, or null. */
    String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean hasParam(String name) {
        return query.containsKey(name);
    }

    /** The header's value, or null. */
    String header(CharSequence name) {
        return headers.get(name);
    }

    /** The resource named in error bodies: {@code /bucket/key}. */
    String resource() {
        if (bucket == null) {
            return "/";
        }
        return key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }
}
