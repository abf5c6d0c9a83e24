package io.predastore.node.admin;

import io.predastore.protocol.admin.RecordRepair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repairs of the metadata done through this node's admin API: each is logged (a line with who, from where and
 * what) and the most recent {@value #KEPT} are kept for {@code GET /admin/v1/records}. Thread-safe.
 */
final class RepairLog {
    private static final Logger LOG = LoggerFactory.getLogger(RepairLog.class);
    static final int KEPT = 100;

    private final ArrayDeque<RecordRepair> recent = new ArrayDeque<>();

    void add(RecordRepair repair) {
        LOG.warn("admin repair: {} of {} record {} by access key {} from {}: {}", repair.action(), repair.table(),
                repair.key().length() > 512 ? repair.key().substring(0, 512) + "..." : repair.key(),
                repair.accessKey(), repair.client(), repair.reason());
        synchronized (this) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(repair);
        }
    }

    synchronized List<RecordRepair> recent() {
        return new ArrayList<>(recent);
    }
}
