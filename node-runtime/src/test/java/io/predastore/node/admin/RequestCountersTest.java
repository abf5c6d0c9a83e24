package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.predastore.protocol.admin.Counters;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RequestCountersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @Test
    void snapshot_noRequests_allZero() {
        Counters c = new RequestCounters(new SimpleMeterRegistry(), CLOCK).snapshot();
        assertThat(c).isEqualTo(new Counters(1_700_000_000_000L, 0, 0, 0, 0, java.util.Map.of()));
    }

    @Test
    void recordRequest_mixedStatuses_countsErrorsFrom400() {
        RequestCounters counters = new RequestCounters(new SimpleMeterRegistry(), CLOCK);
        counters.recordRequest("GetObject", 200, 0, 1000);
        counters.recordRequest("GetObject", 404, 0, 200);
        counters.recordRequest("PutObject", 503, 4096, 0);
        counters.recordRequest(null, 301, -5, -1);
        Counters c = counters.snapshot();
        assertThat(c.requests()).isEqualTo(4);
        assertThat(c.errors()).isEqualTo(2);
        assertThat(c.bytesIn()).isEqualTo(4096);
        assertThat(c.bytesOut()).isEqualTo(1200);
        assertThat(c.operations()).containsExactly(java.util.Map.entry("GetObject", 2L),
                java.util.Map.entry("Other", 1L), java.util.Map.entry("PutObject", 1L));
    }

    @Test
    void recordRequest_tooManyOperationNames_restCountedAsOther() {
        RequestCounters counters = new RequestCounters(new SimpleMeterRegistry(), CLOCK);
        for (int i = 0; i < RequestCounters.MAX_OPERATIONS + 10; i++) {
            counters.recordRequest("Op" + i, 200, 0, 0);
        }
        Counters c = counters.snapshot();
        assertThat(c.operations().size()).isLessThanOrEqualTo(RequestCounters.MAX_OPERATIONS + 1);
        assertThat(c.operations().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(RequestCounters.MAX_OPERATIONS + 10);
    }

    @Test
    void recordRequest_concurrentThreads_noCountLost() throws Exception {
        RequestCounters counters = new RequestCounters(new SimpleMeterRegistry(), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        counters.recordRequest(thread % 2 == 0 ? "GetObject" : "PutObject", i % 10 == 0 ? 500 : 200,
                                1, 2);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Counters c = counters.snapshot();
        assertThat(c.requests()).isEqualTo(80_000);
        assertThat(c.errors()).isEqualTo(8_000);
        assertThat(c.bytesIn()).isEqualTo(80_000);
        assertThat(c.bytesOut()).isEqualTo(160_000);
        assertThat(c.operations()).containsEntry("GetObject", 40_000L).containsEntry("PutObject", 40_000L);
    }
}
