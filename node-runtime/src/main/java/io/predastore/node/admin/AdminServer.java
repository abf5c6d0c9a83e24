package io.predastore.node.admin;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.Credentials;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.http.HttpEndpoint;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The admin HTTP endpoint: JSON about this node and the cluster for the desktop app, Prometheus metrics, and the
 * metadata REST API (see docs/admin-api.md), over HTTPS when given a TLS context (a cluster node uses its node
 * certificate, so clients that trust the cluster CA can tell which node answers). Every request must be signed with
 * AWS SigV4 by the admin credential.
 * Bodies are small and aggregated (at most {@value #MAX_BODY} bytes); requests run on a small pool of worker
 * threads because the metadata store may block on consensus. Start once, close once.
 */
public final class AdminServer implements AutoCloseable {
    /** The largest request body accepted; larger ones are answered 413. */
    public static final int MAX_BODY = 1 << 20;
    /**
     * The admin API's clients are the desktop app, Prometheus and operators' scripts: a few connections each, so a
     * node refuses connections beyond this many; request heads have the S3 endpoint's default deadline.
     */
    public static final ConnectionLimits LIMITS = new ConnectionLimits(128, ConnectionLimits.DEFAULT_HEADER_TIMEOUT);
    private static final HttpEndpoint.Framing FRAMING = new HttpEndpoint.Framing(16 * 1024, 32 * 1024, 64 * 1024);
    private static final Duration IDLE = Duration.ofSeconds(120);
    private static final int IO_THREADS = 1;
    private static final int MAX_WORKERS = 16;

    private final HttpEndpoint endpoint;

    private AdminServer(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds and starts serving, accepting requests signed by {@code admin} for {@code region}.
     *
     * @param bindAddress the address to listen on, e.g. {@code 0.0.0.0}
     * @param port the port, or 0 for any free port (see {@link #port()})
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, Credentials admin, String region, String bindAddress,
            int port) throws IOException, InterruptedException {
        return start(sources, admin, region, bindAddress, port, null);
    }

    /**
     * As above, over HTTPS with {@code ssl} (a server context), or plain HTTP when it is null.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, Credentials admin, String region, String bindAddress,
            int port, SslContext ssl) throws IOException, InterruptedException {
        return start(sources, new SigV4Verifier(CredentialStore.of(admin), region, Clock.systemUTC()), bindAddress,
                port, ssl, LIMITS);
    }

    /**
     * Binds and starts serving, authenticating every request with {@code verifier}.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, SigV4Verifier verifier, String bindAddress, int port)
            throws IOException, InterruptedException {
        return start(sources, verifier, bindAddress, port, null, LIMITS);
    }

    /**
     * Binds and starts serving with the given connection limits, authenticating every request with
     * {@code verifier}, over HTTPS with {@code ssl} or plain HTTP when it is null.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, SigV4Verifier verifier, String bindAddress, int port,
            SslContext ssl, ConnectionLimits limits) throws IOException, InterruptedException {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The admin port must be 0 to 65535, not " + port);
        }
        AdminRoutes routes = new AdminRoutes(sources, verifier);
        HttpEndpoint.Settings settings = new HttpEndpoint.Settings("admin", IO_THREADS, 1, MAX_WORKERS, 128, limits,
                FRAMING, IDLE, Duration.ZERO);
        HttpEndpoint endpoint = HttpEndpoint.start(settings, bindAddress, port, ssl,
                () -> AdminChannelHandler.toHttp(AdminRoutes.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "SlowDown",
                        "The admin API has as many connections open as it accepts; retry shortly."), false),
                (ch, context) -> {
                    ChannelPipeline p = ch.pipeline();
                    // After the exchange gate, so that its 100 Continue and 413 answers come in order too.
                    p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY));
                    p.addLast("admin", new AdminChannelHandler(routes, context.workers(), context.faults()));
                });
        return new AdminServer(endpoint);
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return endpoint.port();
    }

    /** Connections open now. */
    public int openConnections() {
        return endpoint.openConnections();
    }

    /** Stops accepting, lets running requests finish for a moment, then stops the event loop. */
    @Override
    public void close() {
        endpoint.close();
    }
}
