package io.predastore.node.admin;

import io.predastore.protocol.admin.Counters;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Monotonic S3 request counters, cheap to update from many threads at once. The S3 layer calls
 * {@link #recordRequest} once per answered request; the admin API reads {@link #snapshot()}.
 */
public final class RequestCounters {
    /** Distinct operation names kept; further names are counted under {@value #OTHER}. */
    static final int MAX_OPERATIONS = 256;
    static final String OTHER = "Other";

    private final Clock clock;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> operations = new ConcurrentHashMap<>();

    public RequestCounters() {
        this(Clock.systemUTC());
    }

    public RequestCounters(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
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
            this.bytesIn.add(bytesIn);
        }
        if (bytesOut > 0) {
            this.bytesOut.add(bytesOut);
        }
        String name = operation == null || operation.isBlank() ? OTHER : operation;
        LongAdder counter = operations.get(name);
        if (counter == null) {
            counter = operations.size() >= MAX_OPERATIONS ? operations.computeIfAbsent(OTHER, k -> new LongAdder())
                    : operations.computeIfAbsent(name, k -> new LongAdder());
        }
        counter.increment();
    }

    /**
     * The current values. Taken without a lock, so under load the totals may be a few requests apart from each
     * other; each value on its own never decreases.
     */
    public Counters snapshot() {
        Map<String, Long> ops = new HashMap<>();
        operations.forEach((name, n) -> ops.put(name, n.sum()));
        return new Counters(clock.millis(), requests.sum(), errors.sum(), bytesIn.sum(), bytesOut.sum(), ops);
    }
}
