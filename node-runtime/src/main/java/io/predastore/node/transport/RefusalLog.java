package io.predastore.node.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs refused shard requests as one short line per peer and cause per period, with how many more were refused
 * in between, so that a misbehaving or hostile member cannot fill the log. Never logs a stack trace. Thread-safe.
 */
final class RefusalLog {
    /** One line per peer and cause at most this often. */
    static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final LongSupplier nanoTime;
    /** (peer, cause) to the time of its last line and the refusals since. Peers are members, so this stays small. */
    private final Map<String, long[]> last = new HashMap<>();

    RefusalLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** Counts a refusal and logs it if this peer and cause had no line within the period; true if logged. */
    boolean refused(int peer, ShardAccess.Refusal cause, String detail) {
        long now = nanoTime.getAsLong();
        long suppressed;
        synchronized (this) {
            long[] entry = last.get(peer + "/" + cause);
            if (entry != null && now - entry[0] < PERIOD_NANOS) {
                entry[1]++;
                return false;
            }
            suppressed = entry == null ? 0 : entry[1];
            last.put(peer + "/" + cause, new long[] {now, 0});
        }
        log.warn("refused a shard request from node {}: {} ({}){}", peer, cause.text(),
                io.predastore.node.faultlog.ClientFaultLog.sanitize(detail),
                suppressed > 0 ? "; " + suppressed + " more refused for this cause since the last line" : "");
        return true;
    }
}
