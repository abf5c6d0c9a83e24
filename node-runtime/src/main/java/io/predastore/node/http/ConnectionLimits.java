package io.predastore.node.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one HTTP endpoint allows its clients: how many connections may be open at once, and how long a client has to
 * send a request's line and headers once it has sent the first byte of them. Immutable.
 *
 * @param maxConnections connections open at once; a connection beyond this is refused as soon as it is accepted
 * @param headerTimeout from the first byte of a request to the end of its headers; also the longest TLS handshake,
 *     up to {@link #MAX_HANDSHAKE}
 */
public record ConnectionLimits(int maxConnections, Duration headerTimeout) {
    // Declared before DEFAULTS, whose checks use them.
    private static final int MOST_CONNECTIONS = 1 << 20;
    private static final Duration LONGEST_HEADER_TIMEOUT = Duration.ofHours(1);
    /** Enough for dozens of SDK clients with their default pools (50 connections each) on a node. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** Long enough for any client on a slow link to send a few KiB of headers, short enough to starve slowloris. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    /** The defaults above. */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_MAX_CONNECTIONS,
            DEFAULT_HEADER_TIMEOUT);
    /** A TLS handshake is a few round trips; Netty's own default bound, kept even with a longer header timeout. */
    static final Duration MAX_HANDSHAKE = Duration.ofSeconds(10);

    /**
     * @throws IllegalArgumentException if a limit is out of range; the message names the command-line option
     */
    public ConnectionLimits {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (maxConnections < 1 || maxConnections > MOST_CONNECTIONS) {
            throw new IllegalArgumentException("--max-connections must be 1 to " + MOST_CONNECTIONS + ", got "
                    + maxConnections);
        }
        if (headerTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || headerTimeout.compareTo(LONGEST_HEADER_TIMEOUT) > 0) {
            throw new IllegalArgumentException("--header-timeout must be 1s to 1h, got " + headerTimeout.toMillis()
                    + " ms");
        }
    }

    /** The deadline for a TLS handshake: the header timeout, at most {@link #MAX_HANDSHAKE}. */
    Duration handshakeTimeout() {
        return headerTimeout.compareTo(MAX_HANDSHAKE) < 0 ? headerTimeout : MAX_HANDSHAKE;
    }
}
