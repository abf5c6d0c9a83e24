package io.predastore.node.admin;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the request body bytes the admin endpoint holds at once, per client address and in total, so that even
 * authenticated clients cannot fill the heap with bodies. A request reserves its whole declared length before any
 * of its body is read and releases it once answered. Thread-safe.
 */
final class BodyBudget {
    private final long perClient;
    private final long total;
    private final Map<InetAddress, Long> held = new HashMap<>();
    private long heldTotal;

    BodyBudget(long perClient, long total) {
        if (perClient < 1 || total < perClient) {
            throw new IllegalArgumentException("body budget must be positive and the total at least the per-client "
                    + "budget, got " + perClient + " and " + total);
        }
        this.perClient = perClient;
        this.total = total;
    }

    /** Reserves {@code bytes} for {@code client}; false (and nothing reserved) when either bound would be passed. */
    synchronized boolean reserve(InetAddress client, long bytes) {
        long mine = held.getOrDefault(client, 0L);
        if (bytes > perClient - mine || bytes > total - heldTotal) {
            return false;
        }
        held.put(client, mine + bytes);
        heldTotal += bytes;
        return true;
    }

    /** Gives back what {@link #reserve} took. */
    synchronized void release(InetAddress client, long bytes) {
        long left = held.getOrDefault(client, 0L) - bytes;
        if (left <= 0) {
            held.remove(client);
        } else {
            held.put(client, left);
        }
        heldTotal -= bytes;
    }

    /** Bytes reserved now, by all clients. */
    synchronized long held() {
        return heldTotal;
    }
}
