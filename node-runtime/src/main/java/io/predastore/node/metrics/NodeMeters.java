package io.predastore.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds the meters of a node's process to its registry: the JVM (memory, GC, threads, class loading, processor),
 * Netty's default allocator and a server's event loops, and a RocksDB database's sizes. The registry is the node's
 * own, made by its composition root; nothing here keeps one. The meters are read on each scrape; binding is done
 * once, at start-up, from one thread.
 */
public final class NodeMeters {
    /** The RocksDB integer properties read for every database, and the gauge (in bytes) each becomes. */
    static final List<RocksGauge> ROCKSDB_GAUGES = List.of(
            new RocksGauge("rocksdb.estimate-live-data-size", "predastore.rocksdb.live.data.size",
                    "Estimated bytes of live data in the database's SST files."),
            new RocksGauge("rocksdb.cur-size-all-mem-tables", "predastore.rocksdb.memtable.size",
                    "Bytes held by the database's memtables, active and unflushed."),
            new RocksGauge("rocksdb.estimate-pending-compaction-bytes", "predastore.rocksdb.pending.compaction",
                    "Estimated bytes compaction has to rewrite to bring every level under its target size."),
            new RocksGauge("rocksdb.block-cache-usage", "predastore.rocksdb.block.cache.usage",
                    "Bytes of the database's block caches in use."));

    /** One RocksDB property and the gauge it is shown as. */
    record RocksGauge(String property, String meter, String description) {
    }

    private NodeMeters() {
    }

    /**
     * Binds the JVM's meters and those of Netty's default allocator (the one every channel of the node allocates
     * from, unless Netty is told otherwise).
     *
     * @return what to close when the node stops (it stops listening for GC notifications)
     */
    public static AutoCloseable bindProcess(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
        return gc;
    }

    /**
     * Binds the meters of a server's event loops (pending tasks, per loop thread), tagged {@code server}.
     *
     * @param server which server the loops belong to, e.g. {@code s3} or {@code admin}
     */
    public static void bindEventLoops(MeterRegistry registry, String server, Iterable<EventExecutor> loops) {
        new NettyEventExecutorMetrics(loops, Tags.of("server", server)).bindTo(registry);
    }

    /**
     * Binds gauges of a RocksDB database's sizes (see {@link #ROCKSDB_GAUGES}), tagged {@code db}. A property the
     * database cannot give right now (it is closed, or being replaced) reads as NaN.
     *
     * @param db which database, e.g. {@code metadata}
     * @param properties reads an integer property of the database by its RocksDB name; called on scrape threads
     */
    public static void bindRocksDb(MeterRegistry registry, String db, Function<String, OptionalLong> properties) {
        for (RocksGauge g : ROCKSDB_GAUGES) {
            // Held strongly: the registry is the only one keeping the reader, which would otherwise be collected.
            Gauge.builder(g.meter(), properties, p -> read(p, g.property())).description(g.description())
                    .baseUnit(BaseUnits.BYTES).tag("db", db).strongReference(true).register(registry);
        }
    }

    /** The protection classes of the gauges' {@code class} tag, in {@link ProtectionCounts#bytesByClass} order. */
    static final List<String> PROTECTION_CLASSES = List.of("full", "degraded", "at_risk", "unreadable");

    /**
     * Binds gauges of the cluster's protection and repair queue, from the protection report: in Prometheus,
     * {@code predastore_protection_objects{class}} and {@code predastore_protection_bytes{class}} (class {@code full},
     * {@code degraded}, {@code at_risk}, {@code unreadable}), {@code predastore_protection_report_age_seconds},
     * {@code predastore_repair_queue_sets}, {@code predastore_repair_queue_bytes},
     * {@code predastore_repair_repaired_sets_total}, {@code predastore_repair_repaired_bytes_total} and
     * {@code predastore_repair_pace_bytes_per_second}. Before the first pass (or when the report cannot be read) they
     * read NaN. The report is read at most once per {@code cacheNanos}, however many gauges a scrape reads.
     *
     * @param report reads the node's protection report (as {@code GET /admin/v1/protection} answers); null if it
     *               cannot now
     */
    public static void bindProtection(MeterRegistry registry, Supplier<ProtectionReport> report, long cacheNanos) {
        CachedReport cached = new CachedReport(report, cacheNanos);
        for (int i = 0; i < PROTECTION_CLASSES.size(); i++) {
            int c = i;
            Gauge.builder("predastore.protection.objects", cached, r -> r.read(p -> classCount(p, c, false)))
                    .description("Objects by how well they are protected (shards lacking: none, fewer than the "
                            + "parity shards, exactly as many, more).")
                    .tag("class", PROTECTION_CLASSES.get(c)).strongReference(true).register(registry);
            Gauge.builder("predastore.protection", cached, r -> r.read(p -> classCount(p, c, true)))
                    .description("Bytes of objects by how well they are protected.").baseUnit(BaseUnits.BYTES)
                    .tag("class", PROTECTION_CLASSES.get(c)).strongReference(true).register(registry);
        }
        Gauge.builder("predastore.protection.report.age", cached, r -> r.read(p ->
                        (System.currentTimeMillis() - p.computedAtMillis()) / 1000.0))
                .description("Seconds since the protection report was computed.").baseUnit("seconds")
                .strongReference(true).register(registry);
        Gauge.builder("predastore.repair.queue.sets", cached, r -> r.read(p -> p.repairs().queuedSets()))
                .description("Shard sets waiting for a rebuild.").strongReference(true).register(registry);
        Gauge.builder("predastore.repair.queue", cached, r -> r.read(p -> p.repairs().queuedBytes()))
                .description("Object bytes of the shard sets waiting for a rebuild.").baseUnit(BaseUnits.BYTES)
                .strongReference(true).register(registry);
        FunctionCounter.builder("predastore.repair.repaired.sets", cached, r -> r.read(p -> p.repairs()
                        .repairedSets())).description("Shard sets rebuilt since the repairing node took the role.")
                .register(registry);
        FunctionCounter.builder("predastore.repair.repaired", cached, r -> r.read(p -> p.repairs().repairedBytes()))
                .description("Object bytes re-protected since the repairing node took the role.")
                .baseUnit(BaseUnits.BYTES).register(registry);
        Gauge.builder("predastore.repair.pace", cached, r -> r.read(p -> p.repairs().bytesPerSecond()))
                .description("Recent rebuild pace.").baseUnit("bytes_per_second").strongReference(true)
                .register(registry);
    }

    private static double classCount(ProtectionReport p, int c, boolean bytes) {
        ProtectionCounts counts = p.cluster();
        int m = p.parityShards();
        if (bytes) {
            return counts.bytesByClass(m)[c];
        }
        return switch (c) {
            case 0 -> counts.full();
            case 1 -> counts.degraded(m);
            case 2 -> counts.atRisk(m);
            default -> counts.unreadable(m);
        };
    }

    /** The protection report, read at most once per period for all the gauges of a scrape. Thread-safe. */
    private static final class CachedReport {
        private final Supplier<ProtectionReport> source;
        private final long periodNanos;
        private ProtectionReport report;
        private long readAt;
        private boolean read;

        CachedReport(Supplier<ProtectionReport> source, long periodNanos) {
            this.source = source;
            this.periodNanos = periodNanos;
        }

        synchronized double read(ToDoubleFunction<ProtectionReport> value) {
            long now = System.nanoTime();
            if (!read || now - readAt > periodNanos) {
                report = source.get();
                readAt = now;
                read = true;
            }
            return report == null || !report.computed() ? Double.NaN : value.applyAsDouble(report);
        }
    }

    private static double read(Function<String, OptionalLong> properties, String property) {
        OptionalLong value = properties.apply(property);
        return value.isPresent() ? value.getAsLong() : Double.NaN;
    }
}
