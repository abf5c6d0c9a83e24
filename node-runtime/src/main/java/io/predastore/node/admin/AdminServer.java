package io.predastore.node.admin;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.Credentials;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.http.HttpEndpoint;
import java.io.IOException;
import java.time.Clock;
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
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_SIZE = 32 * 1024;
    private static final int IDLE_SECONDS = 120;
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
                port, ssl);
    }

    /**
     * Binds and starts serving plain HTTP, authenticating every request with {@code verifier}.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, SigV4Verifier verifier, String bindAddress, int port)
            throws IOException, InterruptedException {
        return start(sources, verifier, bindAddress, port, null);
    }

    /**
     * Binds and starts serving, authenticating every request with {@code verifier}, over HTTPS with {@code ssl}
     * or plain HTTP when it is null.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, SigV4Verifier verifier, String bindAddress, int port,
            SslContext ssl) throws IOException, InterruptedException {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The admin port must be 0 to 65535, not " + port);
        }
        AdminRoutes routes = new AdminRoutes(sources, verifier);
        HttpEndpoint endpoint = HttpEndpoint.start(new HttpEndpoint.Settings("admin", IO_THREADS, 1, MAX_WORKERS, 128),
                bindAddress, port, (ch, workers) -> {
                    ChannelPipeline p = ch.pipeline();
                    if (ssl != null) {
                        p.addLast("tls", ssl.newHandler(ch.alloc()));
                    }
                    p.addLast("idle", new IdleStateHandler(IDLE_SECONDS, 0, 0));
                    p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 64 * 1024));
                    p.addLast("aggregate", new HttpObjectAggregator(MAX_BODY));
                    p.addLast("admin", new AdminChannelHandler(routes, workers));
                });
        return new AdminServer(endpoint);
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return endpoint.port();
    }

    /** Stops accepting, lets running requests finish for a moment, then stops the event loop. */
    @Override
    public void close() {
        endpoint.close();
    }
}
