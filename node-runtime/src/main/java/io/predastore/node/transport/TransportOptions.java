package io.predastore.node.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning shared by both transports.
 *
 * @param connectTimeout how long to wait for a connection and its TLS handshake
 * @param requestTimeout how long any single wait may take: for a reply, for the next chunk of a read, or for the
 *     peer to accept more bytes of a write; past it the operation fails with an IOException
 * @param connectionsPerPeer TLS/TCP: idle connections kept per peer; QUIC: connections opened per peer (requests
 *     spread over them, one stream each)
 * @param maxDatagramSize QUIC only: largest UDP payload sent and accepted; 0 picks 65527 for loopback peers and
 *     1350 otherwise (safe for any path); set it to the path MTU minus 48 (e.g. 8952 on a 9000-byte jumbo-frame
 *     network) for throughput
 * @param eventLoopThreads I/O threads of the transport (shared by its servers and clients); 0 means 2 x cores
 */
public record TransportOptions(Duration connectTimeout, Duration requestTimeout, int connectionsPerPeer,
        int maxDatagramSize, int eventLoopThreads) {

    public TransportOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (connectionsPerPeer < 1) {
            throw new IllegalArgumentException("connectionsPerPeer must be >= 1: " + connectionsPerPeer);
        }
        if (maxDatagramSize != 0 && (maxDatagramSize < 1200 || maxDatagramSize > 65527)) {
            throw new IllegalArgumentException("maxDatagramSize must be 0 or 1200..65527: " + maxDatagramSize);
        }
        if (eventLoopThreads < 0) {
            throw new IllegalArgumentException("eventLoopThreads must be >= 0: " + eventLoopThreads);
        }
    }

    /** 10 s to connect, 30 s per wait, 4 connections per peer, automatic datagram size. */
    public static TransportOptions defaults() {
        return new TransportOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), 4, 0, 0);
    }

    public TransportOptions withRequestTimeout(Duration timeout) {
        return new TransportOptions(connectTimeout, timeout, connectionsPerPeer, maxDatagramSize, eventLoopThreads);
    }

    public TransportOptions withConnectTimeout(Duration timeout) {
        return new TransportOptions(timeout, requestTimeout, connectionsPerPeer, maxDatagramSize, eventLoopThreads);
    }

    public TransportOptions withConnectionsPerPeer(int n) {
        return new TransportOptions(connectTimeout, requestTimeout, n, maxDatagramSize, eventLoopThreads);
    }

    public TransportOptions withMaxDatagramSize(int size) {
        return new TransportOptions(connectTimeout, requestTimeout, connectionsPerPeer, size, eventLoopThreads);
    }

    public TransportOptions withEventLoopThreads(int n) {
        return new TransportOptions(connectTimeout, requestTimeout, connectionsPerPeer, maxDatagramSize, n);
    }
}
