package io.predastore.node.admin;

import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.predastore.client.sigv4.Credentials;
import io.netty.util.concurrent.EventExecutor;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.http.HttpEndpoint;
import io.predastore.protocol.admin.AdminErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP endpoint: JSON about this node and the cluster for the desktop app, Prometheus metrics, and the
 * metadata REST API (see docs/admin-api.md), over HTTPS when given a TLS context (a cluster node uses its node
 * certificate, so clients that trust the cluster CA can tell which node answers). Every request must be signed with
 * AWS SigV4 by the admin credential, and the signature is checked from the request head before any body byte is
 * read (see {@link AdminAdmission}): a client without the credential can make the node hold nothing but a request
 * head. Bodies are small and collected whole (at most {@value #MAX_BODY} bytes, and at most a budget of bytes per
 * client address and in all at once); each client address may hold a bounded number of connections (see
 * {@link Limits}). Requests run on a small pool of worker threads because the metadata store may block on
 * consensus. Start once, close once.
 */
public final class AdminServer implements AutoCloseable {
    /**
     * The largest request body accepted; larger ones are answered 413. Not tunable: every admin body is a small JSON
     * document, and a larger bound would only let a client make the node hold more memory.
     */
    public static final int MAX_BODY = 1 << 20;
    /**
     * The admin API's clients are the desktop app, Prometheus and operators' scripts: a few connections each, so a
     * node refuses connections beyond this many; request heads have the S3 endpoint's default deadline.
     */
    public static final ConnectionLimits LIMITS = new ConnectionLimits(128, ConnectionLimits.DEFAULT_HEADER_TIMEOUT);
    /** Connections one client address may hold open at once by default; more are closed as soon as accepted. */
    public static final int MAX_CONNECTIONS_PER_CLIENT = 16;
    /**
     * Signatures of accepted writes remembered at most, within their validity (see {@link ReplayGuard}). Not
     * tunable: it bounds the memory of the replay guard, which must not be loosened.
     */
    static final int REMEMBERED_WRITES = 10_000;
    /** HTTP framing limits, protocol bounds on a request head rather than tunables. */
    private static final HttpEndpoint.Framing FRAMING = new HttpEndpoint.Framing(16 * 1024, 32 * 1024, 64 * 1024);
    private static final Duration IDLE = Duration.ofSeconds(120);
    /** One event loop thread: requests are few and small, and the work runs on the worker pool. */
    private static final int IO_THREADS = 1;

    /**
     * What the admin endpoint allows its clients (the {@code admin_*} keys of {@code [tuning]} in the cluster file).
     * Immutable.
     *
     * @param connections connections open at once, and the deadline for a request head
     * @param maxConnectionsPerClient connections one client address may hold open at once
     * @param maxWorkers requests run at once
     * @param bodyBytesPerClient request body bytes held at once for one client address
     * @param bodyBytesTotal request body bytes held at once for all clients
     */
    public record Limits(ConnectionLimits connections, int maxConnectionsPerClient, int maxWorkers,
            long bodyBytesPerClient, long bodyBytesTotal) {
        /** 128 connections, 16 per client address, 16 workers, 4 MiB of bodies per client and 16 MiB in all. */
        public static final Limits DEFAULTS = new Limits(LIMITS, MAX_CONNECTIONS_PER_CLIENT, 16, 4L << 20, 16L << 20);

        /** @throws IllegalArgumentException if a limit is not positive, or the total body budget is below one's */
        public Limits {
            Objects.requireNonNull(connections, "connections");
            if (maxConnectionsPerClient < 1 || maxWorkers < 1 || bodyBytesPerClient < 1
                    || bodyBytesTotal < bodyBytesPerClient) {
                throw new IllegalArgumentException("admin limits must be positive and the total body budget at least "
                        + "one client's: " + maxConnectionsPerClient + " connections per client, " + maxWorkers
                        + " workers, " + bodyBytesPerClient + " / " + bodyBytesTotal + " body bytes");
            }
        }

        /** The same limits with other connection limits. */
        public Limits withConnections(ConnectionLimits limits) {
            return new Limits(limits, maxConnectionsPerClient, maxWorkers, bodyBytesPerClient, bodyBytesTotal);
        }
    }

    private final HttpEndpoint endpoint;

    private AdminServer(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds and starts serving, accepting requests signed by {@code admin} for {@code region}.
     *
     * @param bindAddress the address to listen on, which is also the host admin writes must be signed for (with the
     *     bound port): a node passes the host its cluster file gives it
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
        return start(sources, admin, region, bindAddress, port, ssl, Limits.DEFAULTS);
    }

    /**
     * As above, with the given limits.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, Credentials admin, String region, String bindAddress,
            int port, SslContext ssl, Limits limits) throws IOException, InterruptedException {
        return start(sources, new SigV4Verifier(CredentialStore.of(admin), region, Clock.systemUTC()), bindAddress,
                port, ssl, limits);
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
        return start(sources, verifier, bindAddress, port, ssl, Limits.DEFAULTS.withConnections(limits));
    }

    /**
     * Binds and starts serving with the given limits, authenticating every request with {@code verifier}, over
     * HTTPS with {@code ssl} or plain HTTP when it is null.
     *
     * @throws IOException if the address cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static AdminServer start(AdminSources sources, SigV4Verifier verifier, String bindAddress, int port,
            SslContext ssl, Limits limits) throws IOException, InterruptedException {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The admin port must be 0 to 65535, not " + port);
        }
        AdminRoutes routes = new AdminRoutes(sources, new RecordRepairs(Clock.systemUTC()));
        AtomicInteger boundPort = new AtomicInteger(port);
        AdminAdmission admission = new AdminAdmission(verifier, bindAddress, boundPort::get, ssl != null,
                new ReplayGuard(Clock.systemUTC(), SigV4Verifier.MAX_SKEW, REMEMBERED_WRITES));
        BodyBudget budget = new BodyBudget(limits.bodyBytesPerClient(), limits.bodyBytesTotal());
        ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
        HttpEndpoint.Settings settings = new HttpEndpoint.Settings("admin", IO_THREADS, 1, limits.maxWorkers(), 128,
                limits.connections(), FRAMING, IDLE, Duration.ZERO);
        HttpEndpoint endpoint = HttpEndpoint.start(settings, bindAddress, port, ssl,
                () -> AdminChannelHandler.toHttp(AdminRoutes.error(AdminErrorCode.SLOW_DOWN,
                        "The admin API has as many connections open as it accepts; retry shortly."), false),
                (ch, context) -> {
                    if (!admitConnection(ch, perClient, limits.maxConnectionsPerClient(), context)) {
                        return;
                    }
                    ch.pipeline().addLast("admin", new AdminChannelHandler(admission, routes, budget,
                            context.workers(), context.exchanges(), context.faults()));
                });
        boundPort.set(endpoint.port());
        return new AdminServer(endpoint);
    }

    /** Counts the connection against its client address; closes it, unread, when that address has too many. */
    private static boolean admitConnection(SocketChannel ch, ConcurrentHashMap<InetAddress, AtomicInteger> perClient,
            int maxPerClient, HttpEndpoint.Context context) {
        InetAddress client = ch.remoteAddress() == null ? null : ch.remoteAddress().getAddress();
        if (client == null) {
            return true;
        }
        AtomicInteger n = perClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerClient) {
            release(perClient, client, n);
            ch.config().setAutoRead(false);
            context.faults().warn("admin: refusing a connection, " + maxPerClient
                    + " are open from this address already", ch.remoteAddress(), "closed");
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> release(perClient, client, n));
        return true;
    }

    private static void release(ConcurrentHashMap<InetAddress, AtomicInteger> perClient, InetAddress client,
            AtomicInteger n) {
        if (n.decrementAndGet() == 0) {
            perClient.remove(client, n);
        }
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return endpoint.port();
    }

    /** The event loops serving the connections, for metrics; the server shuts them down when it closes. */
    public Iterable<EventExecutor> eventLoops() {
        return endpoint.eventLoops();
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
