package io.predastore.node.s3;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.predastore.node.http.HttpEndpoint;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The S3 HTTP endpoint: Netty for the sockets, a bounded pool of worker threads for the operations, which may block
 * on disk or on a slow client's body. Start once, close once.
 */
public final class S3Server implements AutoCloseable {
    private static final int MAX_INITIAL_LINE = 16 * 1024;
    private static final int MAX_HEADER_SIZE = 64 * 1024;
    private static final int MAX_CHUNK = 256 * 1024;
    /**
     * How long a connection may stall before it is closed: a client that sends nothing while the node waits for a
     * request or for the rest of a body, or reads nothing of a response being sent. A client waiting for a slow
     * answer, or downloading slowly but steadily, is never cut. JVM property {@code predastore.s3.idleTimeoutSeconds}
     * (default 120; a value below 1 keeps the default, since 0 would never close a stalled connection).
     */
    static final int IDLE_SECONDS = idleSeconds(Integer.getInteger("predastore.s3.idleTimeoutSeconds", 120));

    private static int idleSeconds(int configured) {
        return configured >= 1 ? configured : 120;
    }

    private final HttpEndpoint endpoint;

    private S3Server(HttpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds and starts serving.
     *
     * @param ssl the TLS context for HTTPS, or null for plain HTTP
     * @param maxWorkers the most requests run at once; beyond that, clients get 503 SlowDown
     * @throws InterruptedException if interrupted while binding
     * @throws IOException if the address cannot be bound (e.g. the port is in use)
     */
    public static S3Server start(S3Service service, String bindAddress, int port, SslContext ssl, int ioThreads,
            int maxWorkers) throws InterruptedException, IOException {
        HttpEndpoint endpoint = HttpEndpoint.start(new HttpEndpoint.Settings("s3", ioThreads, 4, maxWorkers, 1024),
                bindAddress, port, (ch, workers) -> {
                    ChannelPipeline p = ch.pipeline();
                    if (ssl != null) {
                        p.addLast("tls", ssl.newHandler(ch.alloc()));
                    }
                    p.addLast("idle", new IdleStateHandler(IDLE_SECONDS, IDLE_SECONDS, 0, TimeUnit.SECONDS));
                    p.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK));
                    p.addLast("continue", new HttpServerExpectContinueHandler());
                    p.addLast("chunked", new ChunkedWriteHandler());
                    p.addLast("s3", new S3ChannelHandler(service, workers));
                });
        return new S3Server(endpoint);
    }

    /** The port actually bound (useful when started on port 0). */
    public int port() {
        return endpoint.port();
    }

    /** Stops accepting, lets running requests finish for a moment, then stops the event loops. */
    @Override
    public void close() {
        endpoint.close();
    }
}
