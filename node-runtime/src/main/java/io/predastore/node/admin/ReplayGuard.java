package io.predastore.node.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Remembers the signature of every admin write accepted, until the verifier would refuse that request as too old
 * anyway, so the same signed request cannot be carried out twice. Memory is bounded: when
 * {@link #capacity} signatures are remembered and none has expired, new writes are refused ({@link Outcome#FULL})
 * rather than an old signature forgotten. Thread-safe.
 */
final class ReplayGuard {
    /** What became of a signature. */
    enum Outcome {
        /** First use: remembered, the request may go on. */
        ACCEPTED,
        /** Seen before within its validity: refuse. */
        REPLAYED,
        /** Nothing more can be remembered now: refuse, the client retries later. */
        FULL
    }

    private record Entry(Instant expires, String signature) {
    }

    private final Clock clock;
    private final Duration validity;
    private final int capacity;
    private final Map<String, Instant> remembered = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.expires.compareTo(b.expires));

    /**
     * @param validity how long after its signing time a request is still accepted by the verifier
     * @param capacity signatures remembered at most
     */
    ReplayGuard(Clock clock, Duration validity, int capacity) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.validity = Objects.requireNonNull(validity, "validity");
        if (capacity < 1 || validity.isNegative()) {
            throw new IllegalArgumentException("capacity must be positive and validity not negative, got "
                    + capacity + " and " + validity);
        }
        this.capacity = capacity;
    }

    /** Admits the request signed with {@code signature} for {@code signedAt}, at most once within its validity. */
    synchronized Outcome admit(String signature, Instant signedAt) {
        Instant now = clock.instant();
        for (Entry e = byExpiry.peek(); e != null && !e.expires.isAfter(now); e = byExpiry.peek()) {
            byExpiry.poll();
            remembered.remove(e.signature, e.expires);
        }
        if (remembered.containsKey(signature)) {
            return Outcome.REPLAYED;
        }
        if (remembered.size() >= capacity) {
            return Outcome.FULL;
        }
        // One second more than the verifier's window, which it checks to the second.
        Instant expires = signedAt.plus(validity).plusSeconds(1);
        remembered.put(signature, expires);
        byExpiry.add(new Entry(expires, signature));
        return Outcome.ACCEPTED;
    }

    /** Signatures remembered now. */
    synchronized int size() {
        return remembered.size();
    }
}
