package io.predastore.node.store;

import io.predastore.node.meta.MetaTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata records a backend found it cannot decode, so that one bad record fails only its own key: reads of
 * that key answer an {@link UndecodableRecordException}, listings skip it, and operators find it here (the admin
 * API shows {@link #seen()}). Each record is logged once, when first met, with what to do; at most
 * {@value #MAX_REMEMBERED} are remembered, beyond which they are only counted. Thread-safe.
 */
public final class UndecodableRecords {
    private static final Logger LOG = LoggerFactory.getLogger(UndecodableRecords.class);
    /** Records remembered (and logged) at most. */
    public static final int MAX_REMEMBERED = 256;

    /**
     * One undecodable record.
     *
     * @param table the metadata table, lower case
     * @param keyHex the record's key in hex, as the {@code /v1/get} admin route takes it
     * @param name what the record is for, e.g. {@code object photos/cat.jpg}
     * @param reason why it cannot be decoded
     * @param firstSeen when it was first met
     * @param times how often it has been met since
     */
    public record Seen(String table, String keyHex, String name, String reason, Instant firstSeen, long times) {
        public Seen {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(keyHex, "keyHex");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(firstSeen, "firstSeen");
        }
    }

    private final Clock clock;
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private long total;

    public UndecodableRecords(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Notes that the record at {@code key} of {@code table} did not decode, and returns the exception its reader
     * throws.
     *
     * @param name what the record is for, shown to the client and in the log, e.g. {@code object b/k}
     * @param cause the decoder's failure
     */
    public UndecodableRecordException report(MetaTable table, byte[] key, String name, Throwable cause) {
        String tableName = table.name().toLowerCase(Locale.ROOT);
        String keyHex = HexFormat.of().formatHex(key);
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        boolean first = false;
        synchronized (this) {
            total++;
            String id = tableName + "/" + keyHex;
            Seen before = seen.get(id);
            if (before != null) {
                seen.put(id, new Seen(tableName, keyHex, name, reason, before.firstSeen(), before.times() + 1));
            } else if (seen.size() < MAX_REMEMBERED) {
                seen.put(id, new Seen(tableName, keyHex, name, reason, clock.instant(), 1));
                first = true;
            }
        }
        if (first) {
            LOG.warn("The metadata record of {} (table {}, key {}) cannot be decoded: {}. Reads of it answer 500, "
                    + "listings skip it. Inspect it with GET /v1/get/{}/{} on the admin API; remove it with POST "
                    + "/v1/repair/remove-undecodable/{}/{}", name, tableName, abbreviate(keyHex), reason, tableName,
                    abbreviate(keyHex), tableName, abbreviate(keyHex));
        }
        return new UndecodableRecordException("The stored metadata record of " + name + " cannot be read (" + reason
                + "); nothing else is affected. An operator can inspect it with the admin API (GET /v1/get/"
                + tableName + "/<key>) and remove it (POST /v1/repair/remove-undecodable/" + tableName + "/<key>).",
                cause);
    }

    /** Forgets a record once it has been removed or replaced. */
    public synchronized void forget(MetaTable table, byte[] key) {
        seen.remove(table.name().toLowerCase(Locale.ROOT) + "/" + HexFormat.of().formatHex(key));
    }

    /** The records remembered, in the order they were first met. */
    public synchronized List<Seen> seen() {
        return new ArrayList<>(seen.values());
    }

    /** How many times any undecodable record has been met since the node started. */
    public synchronized long total() {
        return total;
    }

    private static String abbreviate(String hex) {
        return hex.length() <= 512 ? hex : hex.substring(0, 512) + "...";
    }
}
