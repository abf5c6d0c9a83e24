package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records shards that a read found corrupt (a chunk that does not match the checksum the writing gateway recorded)
 * in the {@code repairs} table, where {@link ShardRepairer} rebuilds them in place. Reports are written in the
 * background, so the read that found the damage is not held up. A shard reported by this node is not reported
 * (or logged) again for its quiet period ({@code corrupt_shard_report_quiet_ms}) unless its report failed, so a hot
 * object read many times while its repair is pending costs one metadata write and one warn line. Thread-safe.
 */
final class CorruptShards {
    private static final Logger LOG = LoggerFactory.getLogger(CorruptShards.class);
    private static final int MAX_ATTEMPTS = 4;
    private static final int MAX_REMEMBERED = 10_000;

    private final MetadataStore meta;
    private final Executor executor;
    private final Clock clock;
    /** How long a shard reported corrupt is not reported again by this node, in milliseconds. */
    private final long quietMillis;
    private final Map<String, Long> reported = new ConcurrentHashMap<>();

    /**
     * @param quietPeriod how long a shard reported corrupt is not reported (nor logged) again by this node
     */
    CorruptShards(MetadataStore meta, Executor executor, Clock clock, Duration quietPeriod) {
        this.meta = meta;
        this.executor = executor;
        this.clock = clock;
        this.quietMillis = quietPeriod.toMillis();
    }

    /** Reports shard {@code index} of {@code set}, which {@code bucket}/{@code key} uses, as corrupt. */
    void report(String bucket, String key, ShardSet set, int index) {
        String id = set.objectId() + "/" + index + "@" + set.node(index);
        long now = clock.millis();
        Long last = reported.get(id);
        if (last != null && now - last < quietMillis) {
            return;
        }
        if (reported.size() >= MAX_REMEMBERED) {
            reported.clear();
        }
        if (last == null ? reported.putIfAbsent(id, now) != null : !reported.replace(id, last, now)) {
            return; // another read reports it right now
        }
        LOG.warn("{}/{}: shard {} of {} on node {} returned bytes that do not match their recorded checksum;"
                + " read from parity instead, and recorded for repair", bucket, key, index, set.objectId(),
                set.node(index));
        try {
            executor.execute(() -> {
                if (!record(bucket, key, set, index)) {
                    reported.remove(id);
                }
            });
        } catch (RuntimeException e) {
            reported.remove(id);
            LOG.warn("shard {} of {} found corrupt could not be recorded for repair: {}", index, set.objectId(),
                    e.toString());
        }
    }

    /**
     * Adds the shard to the set's repair entry (creating it), conditioned on the entry as read, so a report never
     * loses another one written meanwhile. The entry then names the set as the object uses it now.
     */
    boolean record(String bucket, String key, ShardSet set, int index) {
        byte[] entryKey = MetaKeys.utf8(set.objectId());
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Optional<byte[]> current = meta.get(MetaTable.REPAIRS, entryKey);
                List<Integer> corrupt = new ArrayList<>();
                Instant recorded = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
                if (current.isPresent()) {
                    RepairNeeded existing = ClusterRecords.decodeRepair(current.get());
                    if (existing.set().equals(set) && existing.corrupt().contains(index)) {
                        return true;
                    }
                    corrupt.addAll(existing.corrupt());
                    recorded = existing.recorded();
                }
                corrupt.add(index);
                byte[] entry = ClusterRecords.encodeRepair(new RepairNeeded(bucket, key, recorded, set, corrupt));
                if (meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.REPAIRS, entryKey,
                        current.orElse(null))), List.of(new MetaBatch.Put(MetaTable.REPAIRS, entryKey, entry))))) {
                    return true;
                }
            }
            LOG.warn("shard {} of {} found corrupt was not recorded for repair: its repair entry kept changing; a"
                    + " later read reports it again", index, set.objectId());
            return false;
        } catch (IOException | RuntimeException e) {
            LOG.warn("shard {} of {} found corrupt was not recorded for repair ({}); a later read reports it again",
                    index, set.objectId(), e.toString());
            return false;
        }
    }
}
