package io.predastore.app.service;

import io.predastore.protocol.admin.ProtectionReport;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt to read the cluster's protection report ({@code GET /admin/v1/protection}): the report, or why there
 * is none. A node that answers 404 runs a release without the endpoint; that is told apart from no node answering,
 * because the first will not change by waiting and the second may.
 *
 * @param at          when the attempt ended
 * @param report      the report, or null
 * @param unsupported whether the nodes asked answered 404 (an older release)
 * @param error       why there is no report when it is not {@code unsupported} (no node answered, a bad answer), or
 *                    null
 */
public record ProtectionFetch(Instant at, ProtectionReport report, boolean unsupported, String error) {
    public ProtectionFetch {
        Objects.requireNonNull(at, "at");
        if ((report == null) == (!unsupported && error == null)) {
            throw new IllegalArgumentException("a protection fetch has a report, or is unsupported, or has an error");
        }
    }

    /** A report read. */
    public static ProtectionFetch of(Instant at, ProtectionReport report) {
        return new ProtectionFetch(at, Objects.requireNonNull(report, "report"), false, null);
    }

    /** The nodes do not serve the endpoint (404). */
    public static ProtectionFetch unsupported(Instant at) {
        return new ProtectionFetch(at, null, true, null);
    }

    /** No report for another reason, said in {@code error}. */
    public static ProtectionFetch failed(Instant at, String error) {
        return new ProtectionFetch(at, null, false, Objects.requireNonNull(error, "error"));
    }
}
