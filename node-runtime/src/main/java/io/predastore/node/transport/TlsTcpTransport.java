package io.predastore.node.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.predastore.node.shard.ShardStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shards over TCP with TLS 1.3 and mutual authentication: both ends present a certificate signed by the cluster CA
 * naming their node; a server accepts nodes of the cluster only, a client only the node it was made for. Uses OpenSSL (BoringSSL from netty-tcnative) when it loads, which is several times
 * faster than the JDK's TLS; falls back to the JDK provider with a warning.
 *
 * <p>Connections carry one request at a time; a client keeps up to {@code connectionsPerPeer} idle connections per
 * peer and opens more when all are busy. Not multiplexing keeps TCP flow control per request: a slow reader of one
 * shard never stalls another shard's bytes queued behind it on the same connection, and a request abandoned half
 * way is cleaned up by simply closing its connection.
 */
public final class TlsTcpTransport implements ShardTransport {
    private static final Logger LOG = LoggerFactory.getLogger(TlsTcpTransport.class);
    /** Refused peer requests are logged under the access policy's name. */
    private static final org.slf4j.Logger REFUSALS = org.slf4j.LoggerFactory.getLogger(ShardAccess.class);
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);
    /**
     * TCP keepalive of accepted connections (epoll): the first probe after this many idle seconds, then
     * {@link #KEEPALIVE_INTERVAL_SECONDS} apart, {@link #KEEPALIVE_PROBES} unanswered ones drop the connection.
     */
    static final int KEEPALIVE_IDLE_SECONDS = 30;
    static final int KEEPALIVE_INTERVAL_SECONDS = 10;
    static final int KEEPALIVE_PROBES = 3;

    private final TransportSupport support;
    private final SslProvider provider;

    TlsTcpTransport(TransportOptions options) {
        this.support = new TransportSupport("tls", Objects.requireNonNull(options, "options"));
        if (OpenSsl.isAvailable()) {
            this.provider = SslProvider.OPENSSL;
        } else {
            this.provider = SslProvider.JDK;
            LOG.warn("OpenSSL (netty-tcnative) is not available ({}); shard TLS falls back to the much slower JDK "
                    + "provider", OpenSsl.unavailabilityCause() == null ? "unknown"
                            : OpenSsl.unavailabilityCause().toString());
        }
    }

    @Override
    public String name() {
        return "tls-tcp";
    }

    /** OPENSSL or JDK. */
    public SslProvider sslProvider() {
        return provider;
    }

    private static ApplicationProtocolConfig alpn() {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN);
    }

    SslContext serverContext(TlsMaterial tls) throws IOException {
        if (!tls.hasIdentity()) {
            throw new IllegalArgumentException("a shard server needs a certificate and key");
        }
        tls.checkReadable();
        return SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile())
                .trustManager(tls.trust())
                .clientAuth(ClientAuth.REQUIRE)
                .protocols("TLSv1.3")
                .sslProvider(provider)
                .applicationProtocolConfig(alpn())
                .build();
    }

    SslContext clientContext(TlsMaterial tls, int nodeId) throws IOException {
        tls.checkReadable();
        // Peers are identified by the node their certificate names, not by host name, so the endpoint
        // identification Netty 4.2 enables by default for clients is turned off.
        SslContextBuilder b = SslContextBuilder.forClient()
                .trustManager(tls.trust().expectingNode(nodeId))
                .endpointIdentificationAlgorithm(null)
                .protocols("TLSv1.3")
                .sslProvider(provider)
                .applicationProtocolConfig(alpn());
        if (tls.hasIdentity()) {
            b.keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
        }
        return b.build();
    }

    @Override
    public ShardServer server(ShardStore store, ShardAccess access, InetAddress bind, int port, TlsMaterial tls)
            throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(access, "access");
        RefusalLog refusals = new RefusalLog(REFUSALS, System::nanoTime);
        SslContext ssl = serverContext(tls);
        ChannelGroup children = new DefaultChannelGroup("shard-tls-server", GlobalEventExecutor.INSTANCE);
        long timeout = support.requestTimeoutNanos();
        ServerBootstrap b = new ServerBootstrap()
                .group(support.group)
                .channel(support.epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                // A client whose host dies or is cut off mid-upload sends no FIN or RST, and the server sends
                // nothing during an upload: without probes the connection, and the shard writer it holds open
                // (keeping its segment checked out, hence never compacted), would last until the node restarts.
                // Keepalive drops it after about a minute, like QUIC's idle timeout, without limiting how slowly
                // a live client may send.
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        FrameCodecs.addTo(ch.pipeline());
                        ch.pipeline().addLast("server", new ServerHandler(store, access, refusals, support.workers, timeout));
                    }
                });
        if (support.epoll) {
            b.childOption(EpollChannelOption.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS)
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, KEEPALIVE_INTERVAL_SECONDS)
                    .childOption(EpollChannelOption.TCP_KEEPCNT, KEEPALIVE_PROBES);
        }
        io.netty.channel.ChannelFuture bound = b.bind(bind, port);
        support.await(bound, "binding shard server to " + bind + ":" + port);
        return new ChannelShardServer(bound.channel(), children);
    }

    @Override
    public ShardClient client(InetSocketAddress peer, int nodeId, TlsMaterial tls) throws IOException {
        return new Client(Objects.requireNonNull(peer, "peer"), clientContext(tls, nodeId));
    }

    @Override
    public void close() {
        support.close();
    }

    private final class Client extends RemoteShardStore {
        private final SslContext ssl;
        private final ArrayDeque<Exchange> idle = new ArrayDeque<>();
        private final java.util.Set<Exchange> all = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private boolean closed;

        Client(InetSocketAddress peer, SslContext ssl) {
            super(peer);
            this.ssl = ssl;
        }

        @Override
        Exchange acquire() throws IOException {
            synchronized (this) {
                if (closed) {
                    throw new IOException("client of " + Errors.describe(peer()) + " is closed");
                }
                Exchange ex;
                while ((ex = idle.poll()) != null) {
                    if (ex.isUsable()) {
                        return ex;
                    }
                    all.remove(ex);
                    ex.discard();
                }
            }
            return connect();
        }

        private Exchange connect() throws IOException {
            InetSocketAddress peer = peer();
            long timeout = support.requestTimeoutNanos();
            // Kept outside the pipeline: a refused handshake closes the channel and empties its pipeline, and the
            // handler's own handshake outcome (e.g. our check of the peer's certificate) must still be read then.
            AtomicReference<SslHandler> tlsHandler =
                    new AtomicReference<>();
            Bootstrap b = new Bootstrap()
                    .group(support.group)
                    .channel(support.epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) support.options.connectTimeout().toMillis())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler handler = ssl.newHandler(ch.alloc(), peer.getHostString(), peer.getPort());
                            tlsHandler.set(handler);
                            ch.pipeline().addLast("tls", handler);
                            FrameCodecs.addTo(ch.pipeline());
                            ch.pipeline().addLast("exchange", new Exchange(ch, peer, timeout));
                        }
                    });
            io.netty.channel.ChannelFuture connected = b.connect(peer);
            support.await(connected, "connecting to " + Errors.describe(peer));
            Channel ch = connected.channel();
            SslHandler tls = tlsHandler.get();
            if (tls == null) { // cannot happen: the initializer runs before the connect completes
                ch.close();
                throw new IOException(Errors.describe(peer) + " closed the connection during the TLS handshake"
                        + " (is this node's certificate signed by the cluster CA and naming this node?)");
            }
            try {
                support.await(tls.handshakeFuture(), "TLS handshake with " + Errors.describe(peer));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            Exchange ex = ch.pipeline().get(Exchange.class);
            if (ex == null) { // closed (and its pipeline emptied) right after the handshake, e.g. refused by the peer
                ch.close();
                throw new IOException(Errors.describe(peer) + " closed the connection after the TLS handshake");
            }
            all.add(ex);
            ch.closeFuture().addListener(f -> all.remove(ex));
            synchronized (this) {
                if (closed) {
                    ex.discard();
                    throw new IOException("client of " + Errors.describe(peer) + " is closed");
                }
            }
            return ex;
        }

        @Override
        void release(Exchange ex, boolean reusable) {
            synchronized (this) {
                if (reusable && !closed && ex.isUsable() && idle.size() < support.options.connectionsPerPeer()) {
                    idle.push(ex);
                    return;
                }
            }
            all.remove(ex);
            ex.discard();
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                idle.clear();
            }
            for (Exchange ex : all) {
                ex.discard();
            }
            all.clear();
        }
    }
}
