package io.predastore.app.health;

import io.predastore.app.service.ProtectionFetch;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ProtectionReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Protection reports written by hand as a node sends them ({@code GET /admin/v1/protection}), for the health
 * screen's tests: a 3+2 cluster of three nodes, node-3 declared lost.
 */
final class ReportJson {
    /** The time the tests run at. */
    static final long NOW = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();

    private ReportJson() {
    }

    /**
     * A report with objects by shards lacking {@code byMissing} (six entries for 3+2; bytes are ten times the
     * counts) and the given repair queue.
     */
    static String report(long computedAt, long[] byMissing, long queuedSets, long repairedSets, long etaSeconds) {
        StringBuilder objects = new StringBuilder();
        StringBuilder bytes = new StringBuilder();
        long total = 0;
        for (int i = 0; i < byMissing.length; i++) {
            objects.append(i == 0 ? "" : ",").append(byMissing[i]);
            bytes.append(i == 0 ? "" : ",").append(byMissing[i] * 10);
            total += byMissing[i];
        }
        return """
            {"computedAtMillis":%d,"passMillis":1500,"dataShards":3,"parityShards":2,
             "cluster":{"objects":%d,"bytes":%d,"objectsByMissing":[%s],"bytesByMissing":[%s]},
             "buckets":[{"bucket":"photos","counts":{"objects":%d,"bytes":%d,"objectsByMissing":[%s],
               "bytesByMissing":[%s]}}],
             "atRisk":[{"bucket":"photos","key":"2025/lost.jpg","size":4096,"healthyShards":2,"totalShards":5},
                       {"bucket":"photos","key":"2025/edge.jpg","size":2048,"healthyShards":3,"totalShards":5}],
             "repairs":{"queuedSets":%d,"queuedBytes":%d,"queuedByCause":{"node-lost":%d,"corrupt":0},
               "repairedSets":%d,"repairedBytes":0,"bytesPerSecond":1572864.0,"etaSeconds":%d},
             "scrub":[{"nodeId":"node-1","passBytesVerified":1073741824,"passBytesTotal":4294967296,
                       "passesCompleted":3,"lastFullPassMillis":%d,"corruptionsFound":1,"bytesPerSecond":8388608,
                       "updatedMillis":%d},
                      {"nodeId":"node-2","passBytesVerified":0,"passBytesTotal":0,"passesCompleted":0,
                       "lastFullPassMillis":-1,"corruptionsFound":0,"bytesPerSecond":0,"updatedMillis":%d}],
             "nodes":[{"nodeId":"node-1","alive":true,"downSinceMillis":-1,"lost":false,"shards":500},
                      {"nodeId":"node-2","alive":true,"downSinceMillis":-1,"lost":false,"shards":480},
                      {"nodeId":"node-3","alive":false,"downSinceMillis":%d,"lost":true,"shards":470}],
             "futureField":"ignored by older apps"}
            """.formatted(computedAt, total, total * 10, objects, bytes, total, total * 10, objects, bytes,
                queuedSets, queuedSets * 1000, queuedSets, repairedSets, etaSeconds,
                NOW - 2 * 3600_000L - 60_000, NOW, NOW, NOW - 15 * 60_000L);
    }

    /** {@link #report} read as the app reads it. */
    static ProtectionFetch fetch(String json) {
        try {
            return ProtectionFetch.of(Instant.ofEpochMilli(NOW), AdminJson.read(json, ProtectionReport.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
