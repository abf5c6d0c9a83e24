package io.predastore.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RepairQueue;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeMetersTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void close() {
        registry.close();
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.parse(registry.scrape());
    }

    @Test
    void bindProcess_jvmAndAllocatorMeters_exposed() throws Exception {
        AutoCloseable process = NodeMeters.bindProcess(registry);
        try {
            PrometheusScrape s = scrape();
            assertThat(s.types()).containsEntry("jvm_memory_used_bytes", "gauge")
                    .containsEntry("jvm_threads_live_threads", "gauge")
                    .containsEntry("jvm_classes_loaded_classes", "gauge")
                    .containsEntry("system_cpu_count", "gauge")
                    .containsEntry("netty_allocator_memory_used", "gauge")
                    .containsKey("jvm_gc_memory_allocated_bytes_total");
            assertThat(s.samples().get("jvm_threads_live_threads")).isPositive();
            assertThat(s.hasMetric("jvm_memory_used_bytes")).isTrue();
            assertThat(s.hasMetric("netty_allocator_memory_used")).isTrue();
        } finally {
            process.close();
        }
    }

    @Test
    void bindEventLoops_twoLoops_pendingTasksPerLoopTaggedWithServer() {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            NodeMeters.bindEventLoops(registry, "s3", loops);
            long series = scrape().samples().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("netty_eventexecutor_tasks_pending{")
                            && e.getKey().contains("server=\"s3\""))
                    .peek(e -> assertThat(e.getValue()).isNotNegative()).count();
            assertThat(series).isEqualTo(2);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void bindRocksDb_propertiesReadOnScrape_unavailableAsNaN() {
        Map<String, Long> values = Map.of("rocksdb.estimate-live-data-size", 1000L,
                "rocksdb.cur-size-all-mem-tables", 2000L, "rocksdb.estimate-pending-compaction-bytes", 3000L);
        NodeMeters.bindRocksDb(registry, "metadata",
                p -> values.containsKey(p) ? OptionalLong.of(values.get(p)) : OptionalLong.empty());
        PrometheusScrape s = scrape();
        Map<String, String> db = Map.of("db", "metadata");
        assertThat(s.samples()).containsEntry(PrometheusScrape.series("predastore_rocksdb_live_data_size_bytes", db),
                1000.0)
                .containsEntry(PrometheusScrape.series("predastore_rocksdb_memtable_size_bytes", db), 2000.0)
                .containsEntry(PrometheusScrape.series("predastore_rocksdb_pending_compaction_bytes", db), 3000.0);
        assertThat(s.samples().get(PrometheusScrape.series("predastore_rocksdb_block_cache_usage_bytes", db)))
                .isNaN();
        assertThat(NodeMeters.ROCKSDB_GAUGES).hasSize(4);
    }

    @Test
    void bindProtection_gaugesByClassAndRepairQueue_fromTheReport_NaNBeforeTheFirstPass() {
        java.util.concurrent.atomic.AtomicReference<ProtectionReport> report = new java.util.concurrent.atomic
                .AtomicReference<>(ProtectionReport.none(3, 2));
        NodeMeters.bindProtection(registry, report::get, 0);
        assertThat(scrape().samples().get(PrometheusScrape.series("predastore_protection_objects",
                Map.of("class", "full")))).isNaN();
        ProtectionCounts counts = new ProtectionCounts(7, 700, List.of(4L, 1L, 1L, 1L, 0L, 0L),
                List.of(400L, 100L, 100L, 100L, 0L, 0L));
        report.set(new ProtectionReport(System.currentTimeMillis(), 5, 3, 2, counts, List.of(), List.of(),
                new RepairQueue(3, 300, Map.of("missing", 3L), 2, 4096, 10.5, 29), List.of(), List.of()));
        PrometheusScrape s = scrape();
        assertThat(s.samples())
                .containsEntry(PrometheusScrape.series("predastore_protection_objects", Map.of("class", "full")), 4.0)
                .containsEntry(PrometheusScrape.series("predastore_protection_objects", Map.of("class", "degraded")),
                        1.0)
                .containsEntry(PrometheusScrape.series("predastore_protection_objects", Map.of("class", "at_risk")),
                        1.0)
                .containsEntry(PrometheusScrape.series("predastore_protection_objects",
                        Map.of("class", "unreadable")), 1.0)
                .containsEntry(PrometheusScrape.series("predastore_protection_bytes", Map.of("class", "full")),
                        400.0)
                .containsEntry(PrometheusScrape.series("predastore_repair_queue_sets", Map.of()), 3.0)
                .containsEntry(PrometheusScrape.series("predastore_repair_queue_bytes", Map.of()), 300.0)
                .containsEntry(PrometheusScrape.series("predastore_repair_repaired_bytes_total", Map.of()), 4096.0)
                .containsEntry(PrometheusScrape.series("predastore_repair_pace_bytes_per_second", Map.of()), 10.5);
    }
}
