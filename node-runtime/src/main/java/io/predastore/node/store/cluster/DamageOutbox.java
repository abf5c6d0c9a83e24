package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.ShardId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The damage reports a {@link ShardScrubber} has found and not yet written to {@link
 * io.predastore.node.meta.MetaTable#DAMAGE}: at most {@link ScrubState#MAX_PENDING}, one per shard (finding a shard
 * again replaces its report), oldest first. Writing goes through Raft in batches and stops at the first failure, so
 * a cluster without a metadata leader keeps them here (and, through the scrubber's state, on disk) until a later
 * {@link #flush()} gets them through.
 *
 * <p>Thread-safe: the queue is guarded by {@code this}, never held while waiting for Raft; {@link #flush()} is called
 * by one thread at a time (the scrubber's).
 */
final class DamageOutbox {
    /** Damage reports written to the metadata per Raft batch. */
    static final int REPORTS_PER_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(DamageOutbox.class);

    private final MetadataStore meta;
    private final Duration retryEvery;
    private final Map<ShardId, DamageReport> pending = new LinkedHashMap<>();
    /** Whether the last write failed: said once at WARN, and once more when writes go through again. */
    private boolean failing;

    /**
     * @param retryEvery how often the owner calls {@link #flush()} again after a failure (for the log message)
     */
    DamageOutbox(MetadataStore meta, List<DamageReport> saved, Duration retryEvery) {
        this.meta = meta;
        this.retryEvery = retryEvery;
        for (DamageReport r : saved) {
            pending.put(new ShardId(r.setId(), r.index()), r);
        }
    }

    /**
     * Queues {@code report}; false (and nothing queued) when {@link ScrubState#MAX_PENDING} reports of other shards
     * are waiting already.
     */
    synchronized boolean add(DamageReport report) {
        ShardId id = new ShardId(report.setId(), report.index());
        if (pending.size() >= ScrubState.MAX_PENDING && !pending.containsKey(id)) {
            return false;
        }
        pending.put(id, report);
        return true;
    }

    /** The reports waiting, oldest first. */
    synchronized List<DamageReport> pending() {
        return new ArrayList<>(pending.values());
    }

    synchronized int size() {
        return pending.size();
    }

    /**
     * Writes the waiting reports in batches, dropping each once applied (unless it was replaced meanwhile); stops at
     * the first failure and leaves the rest for the next call.
     *
     * @return whether every report was written
     */
    boolean flush() {
        while (true) {
            List<MetaBatch.Op> ops = new ArrayList<>();
            Map<ShardId, DamageReport> batch = new LinkedHashMap<>();
            synchronized (this) {
                for (Map.Entry<ShardId, DamageReport> e : pending.entrySet()) {
                    ops.add(e.getValue().put());
                    batch.put(e.getKey(), e.getValue());
                    if (ops.size() == REPORTS_PER_BATCH) {
                        break;
                    }
                }
            }
            if (ops.isEmpty()) {
                return true;
            }
            try {
                meta.apply(new MetaBatch(List.of(), ops));
            } catch (IOException | RuntimeException e) {
                if (!failing) {
                    LOG.warn("shard scrubber: cannot write {} damage reports to the metadata ({}); they are kept and"
                            + " retried every {} s", size(), e.getMessage(), retryEvery.toSeconds());
                }
                failing = true;
                return false;
            }
            if (failing) {
                LOG.info("shard scrubber: the metadata takes damage reports again");
                failing = false;
            }
            synchronized (this) {
                batch.forEach(pending::remove);
            }
        }
    }
}
