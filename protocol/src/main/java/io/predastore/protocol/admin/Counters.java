package io.predastore.protocol.admin;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The node's S3 request counters since it started ({@code GET /admin/v1/counters}). Every value only grows while
 * the node runs, so a client derives rates from two samples: {@code (b.requests - a.requests) / (b.atMillis -
 * a.atMillis)}; a value lower than before means the node restarted.
 *
 * @param atMillis when the sample was taken, epoch milliseconds on the node
 * @param requests requests answered
 * @param errors requests answered with status 400 or above
 * @param bytesIn request body bytes received
 * @param bytesOut response body bytes sent
 * @param operations requests by S3 operation name (e.g. {@code GetObject}), sorted by name
 */
public record Counters(long atMillis, long requests, long errors, long bytesIn, long bytesOut,
        Map<String, Long> operations) {
    public Counters {
        Checks.nonNegative(atMillis, "atMillis");
        Checks.nonNegative(requests, "requests");
        Checks.nonNegative(errors, "errors");
        Checks.nonNegative(bytesIn, "bytesIn");
        Checks.nonNegative(bytesOut, "bytesOut");
        Objects.requireNonNull(operations, "operations");
        TreeMap<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> e : operations.entrySet()) {
            Checks.nonBlank(e.getKey(), "operation name");
            Objects.requireNonNull(e.getValue(), "operation count");
            Checks.nonNegative(e.getValue(), "count of " + e.getKey());
            sorted.put(e.getKey(), e.getValue());
        }
        operations = Collections.unmodifiableMap(sorted);
    }
}
