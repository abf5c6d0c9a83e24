package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import io.predastore.node.http.ConnectionLimits;
import io.predastore.node.http.HttpEndpoint;
import java.io.IOException;
import java.time.Duration;

/**
 * The S3 HTTP endpoint: Netty for the sockets, a bounded pool of worker threads for the operations, which may block
 * on disk or on a slow client's body. Start once, close once.
 */
public final class S3Server implements AutoCloseable {
    private static final HttpEndpoint.Framing FRAMING = new HttpEndpoint.Framing(16 * 1024, 64 * 1024, 256 * 1024);
    private final HttpEndpoint endpoint;

    private S3Server(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds and starts serving.
     *
     * @param ssl the TLS context for HTTPS, or null for plain HTTP
     * @param maxWorkers the most requests run at once; beyond that, clients get 503
     * @param limits connections open at once (beyond that, new ones are answered 503 SlowDown and closed, or reset
     *     under TLS) and the deadline for a request's line and headers
     * @param idleTimeout how long a connection may stall before it is closed: a client that sends nothing while the
     *     node waits for a request or for the rest of a body, or reads nothing of a response being sent. A client
     *     waiting for a slow answer, or downloading slowly but steadily, is never cut ({@code s3_idle_timeout_ms})
     * @throws InterruptedException if interrupted while binding
     * @throws IOException if the address cannot be bound (e.g. the port is in use)
     */
    public static S3Server start(S3Service service, String bindAddress, int port, SslContext ssl, int ioThreads,
            int maxWorkers, ConnectionLimits limits, Duration idleTimeout) throws InterruptedException, IOException {
        HttpEndpoint.Settings settings = new HttpEndpoint.Settings("s3", ioThreads, Math.min(4, maxWorkers),
                maxWorkers, 1024, limits, FRAMING, idleTimeout, idleTimeout);
        HttpEndpoint endpoint = HttpEndpoint.start(settings, bindAddress, port, ssl, () -> slowDown(service),
                (ch, context) -> ch.pipeline().addLast("s3", new S3ChannelHandler(service, context.workers(),
                        context.exchanges(), context.faults(), idleTimeout)));
        return new S3Server(endpoint);
    }

    /** The answer to a connection over the limit, rendered like every other S3 error. */
    private static FullHttpResponse slowDown(S3Service service) {
        String requestId = service.newRequestId();
        S3Response error = S3Service.error(S3Error.SLOW_DOWN.exception("The node has as many connections open as "
                + "it accepts; retry shortly."), null, requestId);
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, error.status(),
                Unpooled.wrappedBuffer(error.bytes()));
        http.headers().set(error.headers());
        http.headers().set("Retry-After", "1");
        http.headers().set("x-amz-request-id", requestId);
        http.headers().set("x-amz-id-2", requestId);
        http.headers().set(HttpHeaderNames.SERVER, "Predastore");
        return http;
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

    /** Stops accepting, lets running requests finish for a moment, then stops the event loops. */
    @Override
    public void close() {
        endpoint.close();
    }
}
