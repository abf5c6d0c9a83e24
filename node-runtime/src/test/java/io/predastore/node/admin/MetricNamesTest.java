package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.predastore.node.metrics.PrometheusScrape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every series, type and help text {@code /metrics} showed before its meters moved to Micrometer is still shown,
 * with the same value for the same requests. {@code metrics-before-micrometer.txt} is that earlier output for the
 * requests {@link #countBaselineRequests} records, captured from the hand-written exposition.
 */
class MetricNamesTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void close() {
        registry.close();
    }

    /** The requests the baseline was captured after. */
    static void countBaselineRequests(RequestCounters counters) {
        counters.recordRequest("GetObject", 200, 0, 1000);
        counters.recordRequest("GetObject", 404, 0, 200);
        counters.recordRequest("PutObject", 200, 4096, 0);
        counters.recordRequest("PutObject", 503, 100, 0);
        counters.recordRequest(null, 301, 0, 0);
    }

    static PrometheusScrape baseline() throws IOException {
        try (InputStream in = MetricNamesTest.class.getResourceAsStream("metrics-before-micrometer.txt")) {
            return PrometheusScrape.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void scrape_sameRequestsAsBaseline_everyEarlierSeriesWithItsValueTypeAndHelp() throws IOException {
        countBaselineRequests(new RequestCounters(registry, Clock.systemUTC()));
        PrometheusScrape before = baseline();
        PrometheusScrape now = PrometheusScrape.parse(registry.scrape());

        assertThat(before.samples()).hasSize(7);
        assertThat(now.samples()).containsAllEntriesOf(before.samples());
        assertThat(now.types()).containsAllEntriesOf(before.types());
        assertThat(now.help()).containsAllEntriesOf(before.help());
    }

    @Test
    void scrape_noRequests_totalsShownAsZero() throws IOException {
        new RequestCounters(registry, Clock.systemUTC());
        PrometheusScrape now = PrometheusScrape.parse(registry.scrape());
        for (String total : baseline().samples().keySet()) {
            if (!total.contains("{")) {
                assertThat(now.samples()).containsEntry(total, 0.0);
            }
        }
    }

    @Test
    void scrape_operationWithQuoteAndBackslash_labelEscaped() {
        new RequestCounters(registry, Clock.systemUTC()).recordRequest("We\"ird\\", 200, 0, 0);
        String text = registry.scrape();
        assertThat(text).contains("predastore_s3_operation_requests_total{operation=\"We\\\"ird\\\\\"} 1");
        assertThat(PrometheusScrape.parse(text).samples()).containsEntry(PrometheusScrape.series(
                "predastore_s3_operation_requests_total", Map.of("operation", "We\"ird\\")), 1.0);
    }
}
