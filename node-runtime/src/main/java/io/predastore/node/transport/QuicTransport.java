package io.predastore.node.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.predastore.node.shard.ShardStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shards over QUIC (RFC 9000, TLS 1.3 built in) with mutual authentication of nodes (see {@link TlsMaterial}) and
 * ALPN {@value ShardTransport#ALPN}. Each request gets its own bidirectional stream, so QUIC's per-stream flow
 * control does what a connection per request does for TCP, without head-of-line blocking between requests.
 *
 * <p>QUIC's cost is per datagram (~60-70 us of CPU each way with Netty on the machines we measured), so it is
 * tuned for size: the largest datagram the path allows ({@link TransportOptions#maxDatagramSize()}; 65527 on
 * loopback), epoll with GSO (segmented datagrams) and GRO, a fixed 64 KiB receive buffer (large datagrams stall
 * with an adaptive one), and several connections per peer spread over the event loops.
 */
public final class QuicTransport implements ShardTransport {
    /** Datagram size that fits any IPv4/IPv6 path with a 1400+ byte MTU. */
    public static final int SAFE_DATAGRAM_SIZE = 1350;
    /** Largest UDP payload; only usable where the path MTU allows it, i.e. loopback. */
    public static final int LOOPBACK_DATAGRAM_SIZE = 65527;

    /** Refused peer requests are logged under the access policy's name. */
    private static final org.slf4j.Logger REFUSALS = org.slf4j.LoggerFactory.getLogger(ShardAccess.class);
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);
    private static final long MAX_DATA = 64L << 20;
    private static final long MAX_STREAM_DATA = 16L << 20;
    private static final long MAX_STREAMS = 1024;
    private static final int SOCKET_BUFFER = 4 << 20;

    private final TransportSupport support;

    QuicTransport(TransportOptions options) {
        this.support = new TransportSupport("quic", Objects.requireNonNull(options, "options"));
    }

    @Override
    public String name() {
        return "quic";
    }

    /** Whether epoll (and so GSO/GRO) is in use. */
    public boolean nativeTransport() {
        return support.epoll;
    }

    int datagramSize(InetAddress address) {
        if (support.options.maxDatagramSize() != 0) {
            return support.options.maxDatagramSize();
        }
        return address.isLoopbackAddress() ? LOOPBACK_DATAGRAM_SIZE : SAFE_DATAGRAM_SIZE;
    }

    private <B extends QuicCodecBuilder<B>> B tune(B builder, int datagramSize) {
        long idleMillis = Math.max(60_000, 2 * support.options.requestTimeout().toMillis());
        builder.maxIdleTimeout(idleMillis, TimeUnit.MILLISECONDS)
                .maxSendUdpPayloadSize(datagramSize)
                .maxRecvUdpPayloadSize(datagramSize)
                .initialMaxData(MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(MAX_STREAMS)
                .initialMaxStreamsUnidirectional(0);
        return builder;
    }

    private Bootstrap datagramBootstrap(ChannelHandler codec) {
        Bootstrap b = new Bootstrap()
                .group(support.group)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65536))
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(codec);
        if (support.epoll) {
            b.channel(EpollDatagramChannel.class).option(EpollChannelOption.UDP_GRO, true);
        } else {
            b.channel(NioDatagramChannel.class);
        }
        return b;
    }

    @Override
    public ShardServer server(ShardStore store, ShardAccess access, InetAddress bind, int port, TlsMaterial tls)
            throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(access, "access");
        RefusalLog refusals = new RefusalLog(REFUSALS, System::nanoTime);
        if (!tls.hasIdentity()) {
            throw new IllegalArgumentException("a shard server needs a certificate and key");
        }
        tls.checkReadable();
        QuicSslContext ssl = QuicSslContextBuilder
                .forServer(tls.privateKey().toFile(), null, tls.certificateChain().toFile())
                .trustManager(tls.trust())
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(ALPN)
                .build();
        ChannelGroup connections = new DefaultChannelGroup("shard-quic-server", GlobalEventExecutor.INSTANCE);
        long timeout = support.requestTimeoutNanos();
        QuicServerCodecBuilder builder = tune(new QuicServerCodecBuilder(), datagramSize(bind))
                .sslContext(ssl)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .streamOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) throws Exception {
                        connections.add(ctx.channel());
                        super.channelActive(ctx);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close(); // e.g. a peer that failed the TLS handshake
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        FrameCodecs.addTo(ch.pipeline());
                        ch.pipeline().addLast("server", new ServerHandler(store, access, refusals, support.workers, timeout));
                    }
                });
        if (support.epoll) {
            builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(10));
        }
        ChannelFuture bound = datagramBootstrap(builder.build()).bind(bind, port);
        support.await(bound, "binding QUIC shard server to " + bind + ":" + port);
        return new ChannelShardServer(bound.channel(), connections);
    }

    @Override
    public ShardClient client(InetSocketAddress peer, int nodeId, TlsMaterial tls) throws IOException {
        Objects.requireNonNull(peer, "peer");
        tls.checkReadable();
        QuicSslContextBuilder b = QuicSslContextBuilder.forClient()
                .trustManager(tls.trust().expectingNode(nodeId))
                .applicationProtocols(ALPN);
        if (tls.hasIdentity()) {
            b.keyManager(tls.privateKey().toFile(), null, tls.certificateChain().toFile());
        }
        return new Client(peer, b.build());
    }

    @Override
    public void close() {
        support.close();
    }

    /** Closes the channel on any exception (the requests on it see the close) instead of logging it as unhandled. */
    @ChannelHandler.Sharable
    private static final class QuietClose extends ChannelInboundHandlerAdapter {
        static final QuietClose INSTANCE = new QuietClose();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One QUIC connection to the peer, on its own UDP socket (so connections spread over event loops). */
    private record Connection(Channel datagram, QuicChannel quic) {
        boolean isActive() {
            return quic.isActive();
        }

        void close() {
            quic.close().addListener(f -> datagram.close());
        }
    }

    private final class Client extends RemoteShardStore {
        private final QuicSslContext ssl;
        private final Connection[] connections;
        private final AtomicInteger next = new AtomicInteger();
        private boolean closed;

        Client(InetSocketAddress peer, QuicSslContext ssl) {
            super(peer);
            this.ssl = ssl;
            this.connections = new Connection[support.options.connectionsPerPeer()];
        }

        private Connection connection() throws IOException {
            int slot = Math.floorMod(next.getAndIncrement(), connections.length);
            synchronized (this) {
                if (closed) {
                    throw new IOException("client of " + Errors.describe(peer()) + " is closed");
                }
                Connection c = connections[slot];
                if (c != null && c.isActive()) {
                    return c;
                }
                if (c != null) {
                    c.close();
                    connections[slot] = null;
                }
                c = connect();
                connections[slot] = c;
                return c;
            }
        }

        private Connection connect() throws IOException {
            InetSocketAddress peer = peer();
            // The engine carries the peer's address, so a refused certificate is reported with it.
            ChannelHandler codec = tune(new QuicClientCodecBuilder(), datagramSize(peer.getAddress()))
                    .sslEngineProvider(q -> ssl.newEngine(q.alloc(), peer.getHostString(), peer.getPort()))
                    .build();
            // The segmented allocator is a QuicChannel option; set on the connection below.
            ChannelFuture bound = datagramBootstrap(codec).bind(0);
            support.await(bound, "opening a UDP socket for " + Errors.describe(peer));
            Channel datagram = bound.channel();
            var quicBootstrap = QuicChannel.newBootstrap(datagram)
                    .remoteAddress(peer)
                    .streamOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .handler(QuietClose.INSTANCE)
                    .streamHandler(QuietClose.INSTANCE); // the server never opens streams
            if (support.epoll) {
                quicBootstrap.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                        EpollQuicUtils.newSegmentedAllocator(10));
            }
            try {
                QuicChannel quic = support.await(quicBootstrap.connect(),
                        "QUIC/TLS handshake with " + Errors.describe(peer));
                return new Connection(datagram, quic);
            } catch (IOException e) {
                datagram.close();
                throw e;
            }
        }

        @Override
        Exchange acquire() throws IOException {
            InetSocketAddress peer = peer();
            long timeout = support.requestTimeoutNanos();
            Connection c = connection();
            QuicStreamChannel stream = support.await(c.quic().createStream(QuicStreamType.BIDIRECTIONAL,
                    new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel ch) {
                            FrameCodecs.addTo(ch.pipeline());
                            ch.pipeline().addLast("exchange", new Exchange(ch, peer, timeout));
                        }
                    }), "opening a stream to " + Errors.describe(peer));
            Exchange ex = stream.pipeline().get(Exchange.class);
            if (ex == null) {
                stream.close();
                throw new IOException(Errors.describe(peer) + " closed the stream");
            }
            return ex;
        }

        @Override
        void release(Exchange ex, boolean reusable) {
            // One stream per request: done either way. The server has already finished its side.
            ex.discard();
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                for (int i = 0; i < connections.length; i++) {
                    if (connections[i] != null) {
                        connections[i].close();
                        connections[i] = null;
                    }
                }
            }
        }
    }
}
