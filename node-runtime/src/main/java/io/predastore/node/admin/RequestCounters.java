package io.predastore.node.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.predastore.protocol.admin.Counters;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Monotonic S3 request counters, cheap to update from many threads at once. The S3 layer calls
 * {@link #recordRequest} once per answered request; the admin API reads {@link #snapshot()} for its JSON, and the
 * node's meter registry exposes the same counters to Prometheus as {@code predastore_s3_requests_total},
 * {@code predastore_s3_errors_total}, {@code predastore_s3_received_bytes_total},
 * {@code predastore_s3_sent_bytes_total} and {@code predastore_s3_operation_requests_total{operation}}.
 */
public final class RequestCounters {
    /** Distinct operation names kept; further names are counted under {@value #OTHER}. */
    static final int MAX_OPERATIONS = 256;
    static final String OTHER = "Other";
    static final String OPERATION_REQUESTS = "predastore.s3.operation.requests";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter requests;
    private final Counter errors;
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final ConcurrentHashMap<String, Counter> operations = new ConcurrentHashMap<>();

    /**
     * Registers the counters in {@code registry}, which should hold no others of the same names.
     *
     * @param clock stamps each {@link #snapshot()}
     */
    public RequestCounters(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Prometheus names: the registry turns dots into underscores and adds the unit and then "_total".
        requests = Counter.builder("predastore.s3.requests").description("S3 requests answered.")
                .register(registry);
        errors = Counter.builder("predastore.s3.errors")
                .description("S3 requests answered with status 400 or above.").register(registry);
        bytesIn = Counter.builder("predastore.s3.received").baseUnit(BaseUnits.BYTES)
                .description("S3 request body bytes received.").register(registry);
        bytesOut = Counter.builder("predastore.s3.sent").baseUnit(BaseUnits.BYTES)
                .description("S3 response body bytes sent.").register(registry);
    }

    /**
     * Counts one answered request.
     *
     * @param operation the S3 operation, e.g. {@code GetObject}; null or blank counts as {@value #OTHER}
     * @param status the HTTP status answered; 400 and above count as errors
     * @param bytesIn request body bytes received (negative counts as 0)
     * @param bytesOut response body bytes sent (negative counts as 0)
     */
    public void recordRequest(String operation, int status, long bytesIn, long bytesOut) {
        requests.increment();
        if (status >= 400) {
            errors.increment();
        }
        if (bytesIn > 0) {
            this.bytesIn.increment(bytesIn);
        }
        if (bytesOut > 0) {
            this.bytesOut.increment(bytesOut);
        }
        String name = operation == null || operation.isBlank() ? OTHER : operation;
        Counter counter = operations.get(name);
        if (counter == null) {
            // Bounded, as every name is a time series kept for as long as the node runs.
            counter = operations.computeIfAbsent(operations.size() >= MAX_OPERATIONS ? OTHER : name,
                    this::operationCounter);
        }
        counter.increment();
    }

    private Counter operationCounter(String operation) {
        return Counter.builder(OPERATION_REQUESTS).description("S3 requests answered, by operation.")
                .tag("operation", operation).register(registry);
    }

    /**
     * The current values. Taken without a lock, so under load the totals may be a few requests apart from each
     * other; each value on its own never decreases.
     */
    public Counters snapshot() {
        Map<String, Long> ops = new HashMap<>();
        operations.forEach((name, n) -> ops.put(name, count(n)));
        return new Counters(clock.millis(), count(requests), count(errors), count(bytesIn), count(bytesOut), ops);
    }

    /** A counter's value as a whole number: it only ever adds whole numbers, exactly below 2^53. */
    private static long count(Counter counter) {
        return (long) counter.count();
    }
}
