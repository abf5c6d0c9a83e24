package io.predastore.node.transport;

import io.predastore.node.shard.ShardStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A way for nodes to move shards to each other. One instance per node: it owns the I/O threads that all servers
 * and clients created from it share; closing it stops them.
 *
 * <pre>{@code
 * ShardTransport transport = ShardTransport.tlsTcp(TransportOptions.defaults());
 * ShardServer server = transport.server(localStore, bindAddress, 7480, tls);
 * ShardClient nodeN = transport.client(new InetSocketAddress(hostOfN, portOfN), n, tls);  // a ShardStore for node N
 * }</pre>
 */
public interface ShardTransport extends AutoCloseable {

    /** ALPN protocol id announced by both transports. */
    String ALPN = "predastore-shard/1";

    /** "tls-tcp" or "quic". */
    String name();

    /**
     * Serves {@code store} on {@code bind:port} (port 0 picks a free one) to members of the cluster, each request as
     * {@code access} allows for the node the peer's certificate names. The store is not closed by the server.
     */
    ShardServer server(ShardStore store, ShardAccess access, InetAddress bind, int port, TlsMaterial tls)
            throws IOException;

    /**
     * Serves {@code store} to every member without checking what they ask ({@link ShardAccess#UNCHECKED}): for
     * stores that hold no cluster's data (tests, benchmarks).
     */
    default ShardServer server(ShardStore store, InetAddress bind, int port, TlsMaterial tls) throws IOException {
        return server(store, ShardAccess.UNCHECKED, bind, port, tls);
    }

    /**
     * A client for node {@code nodeId}, listening at {@code peer}: it refuses a server whose certificate does not
     * name that node. Connects lazily; close it when the peer leaves.
     */
    ShardClient client(InetSocketAddress peer, int nodeId, TlsMaterial tls) throws IOException;

    /** Stops the I/O threads; servers and clients created from this transport stop working. */
    @Override
    void close();

    /** TLS 1.3 over TCP (OpenSSL when available). The default for new clusters: see docs/transport.md. */
    static ShardTransport tlsTcp(TransportOptions options) {
        return new TlsTcpTransport(options);
    }

    /** QUIC (TLS 1.3 built in), one stream per request. */
    static ShardTransport quic(TransportOptions options) {
        return new QuicTransport(options);
    }

    /** By name, as written in the cluster config: "tls-tcp" or "quic". */
    static ShardTransport named(String name, TransportOptions options) {
        return switch (name) {
            case "tls-tcp" -> tlsTcp(options);
            case "quic" -> quic(options);
            default -> throw new IllegalArgumentException("unknown shard transport '" + name
                    + "' (expected tls-tcp or quic)");
        };
    }
}
