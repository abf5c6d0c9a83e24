package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.RecordIo;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets aside metadata entries that a background job cannot process (they do not decode): the entry is moved to
 * the {@link MetaTable#QUARANTINE} table in one replicated write, conditioned on it being unchanged, so the job
 * goes on with the other entries and never retries this one, and an operator can still read it (admin metadata
 * scan of table {@code quarantine}). Each move is logged once, at warn level.
 *
 * <p>Key: the source table's name in lowercase, a 0 byte, the entry's key. Value (version 1): the name of the
 * job, when, why (strings as in {@link RecordIo}), then the entry's value as a length-prefixed byte string.
 * Thread-safe.
 */
final class Quarantine {
    static final int VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);
    /** Counting stops here: beyond it the exact number does not change what an operator does. */
    private static final int MAX_COUNT = 100_000;
    private static final int PAGE = 1000;

    private final MetadataStore meta;
    private final Clock clock;
    private final Map<MetaTable, Long> counts = new ConcurrentHashMap<>();

    Quarantine(MetadataStore meta, Clock clock) {
        this.meta = meta;
        this.clock = clock;
    }

    /**
     * Moves {@code table}/{@code key} holding {@code value} to the quarantine table.
     *
     * @return whether it moved (false: the entry changed or went meanwhile, and is left to the next run)
     * @throws IOException if the metadata store cannot be written now
     */
    boolean move(MetaTable table, byte[] key, byte[] value, String job, String reason) throws IOException {
        byte[] record = RecordIo.encode(VERSION, out -> {
            RecordIo.writeString(out, job);
            RecordIo.writeInstant(out, Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
            RecordIo.writeString(out, reason);
            out.writeInt(value.length);
            out.write(value);
        });
        boolean moved = meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(table, key, value)),
                List.of(new MetaBatch.Delete(table, key), new MetaBatch.Put(MetaTable.QUARANTINE,
                        MetaKeys.concat(prefix(table), key), record))));
        if (moved) {
            counts.merge(table, 1L, Long::sum);
            LOG.warn("{}: the {} entry {} cannot be processed ({}); moved it to the quarantine table and went on",
                    job, table.name().toLowerCase(Locale.ROOT), printable(key), reason);
        }
        return moved;
    }

    /** How many entries from {@code table} are in quarantine (read again from the metadata store). */
    long count(MetaTable table) throws IOException {
        byte[] prefix = prefix(table);
        long n = 0;
        byte[] from = null;
        while (n < MAX_COUNT) {
            List<MetaEntry> page = meta.scan(MetaTable.QUARANTINE, prefix, from, PAGE);
            n += page.size();
            if (page.size() < PAGE) {
                break;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
        counts.put(table, n);
        return n;
    }

    /** The last known count for {@code table}, without reading the store (for status pages). */
    long knownCount(MetaTable table) {
        return counts.getOrDefault(table, 0L);
    }

    private static byte[] prefix(MetaTable table) {
        return MetaKeys.concat(MetaKeys.utf8(table.name().toLowerCase(Locale.ROOT)), new byte[] {0});
    }

    /** The key for a log line: as text when it is printable ASCII, else hex; at most 100 characters. */
    static String printable(byte[] key) {
        boolean text = key.length > 0;
        for (byte b : key) {
            text &= b >= 0x20 && b < 0x7f;
        }
        String s = text ? new String(key, java.nio.charset.StandardCharsets.US_ASCII) : "0x" + RecordIo.hex(key);
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
