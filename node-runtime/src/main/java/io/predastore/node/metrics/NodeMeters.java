package io.predastore.node.metrics;

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
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

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

    private static double read(Function<String, OptionalLong> properties, String property) {
        OptionalLong value = properties.apply(property);
        return value.isPresent() ? value.getAsLong() : Double.NaN;
    }
}
