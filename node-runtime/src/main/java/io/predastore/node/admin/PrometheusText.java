package io.predastore.node.admin;

import io.predastore.protocol.admin.Counters;
import java.util.Map;

/** Renders {@link Counters} in the Prometheus text exposition format (version 0.0.4). */
final class PrometheusText {
    private PrometheusText() {
    }

    static String of(Counters c) {
        StringBuilder out = new StringBuilder(512);
        counter(out, "predastore_s3_requests_total", "S3 requests answered.", c.requests());
        counter(out, "predastore_s3_errors_total", "S3 requests answered with status 400 or above.", c.errors());
        counter(out, "predastore_s3_received_bytes_total", "S3 request body bytes received.", c.bytesIn());
        counter(out, "predastore_s3_sent_bytes_total", "S3 response body bytes sent.", c.bytesOut());
        out.append("# HELP predastore_s3_operation_requests_total S3 requests answered, by operation.\n");
        out.append("# TYPE predastore_s3_operation_requests_total counter\n");
        for (Map.Entry<String, Long> e : c.operations().entrySet()) {
            out.append("predastore_s3_operation_requests_total{operation=\"").append(escape(e.getKey()))
                    .append("\"} ").append(e.getValue()).append('\n');
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    /** Escapes a label value: backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
