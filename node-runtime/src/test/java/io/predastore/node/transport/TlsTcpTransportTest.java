package io.predastore.node.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TlsTcpTransportTest extends ShardTransportContractTest {
    @Override
    ShardTransport newTransport(TransportOptions options) {
        return ShardTransport.tlsTcp(options);
    }

    @Test
    void usesOpenSsl() {
        assertThat(((TlsTcpTransport) transport).sslProvider()).isEqualTo(SslProvider.OPENSSL);
    }

    /**
     * The caller (and the node's view of its peers) learns why: the certificate names another node. Repeated because
     * the refused handshake closes the channel at once, and the reason must survive however soon that happens.
     */
    @RepeatedTest(20)
    void serverWithAnotherNodesCertificate_failsSayingWhichNodeItNames() throws IOException {
        try (ShardServer impostor = transport.server(store, server.localAddress().getAddress(), 0, pki.issue(3));
                ShardClient c = transport.client(impostor.localAddress(), 1, clientTls)) {
            assertThatThrownBy(c::ping).isInstanceOf(IOException.class).hasMessageContaining(
                    "certificate refused: expected node 1, but the certificate names node 3");
        }
    }

    /** A client host that vanishes mid-upload must not keep its connection, and the writer it holds, for good. */
    @Test
    void acceptedConnections_probeTheirPeerWithKeepalive() throws IOException {
        client.ping();
        List<Channel> connections = new ArrayList<>(((ChannelShardServer) server).connections());
        assertThat(connections).isNotEmpty();
        for (Channel ch : connections) {
            assertThat(ch.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            if (ch instanceof EpollSocketChannel) {
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPIDLE))
                        .isEqualTo(TlsTcpTransport.KEEPALIVE_IDLE_SECONDS);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPINTVL))
                        .isEqualTo(TlsTcpTransport.KEEPALIVE_INTERVAL_SECONDS);
                assertThat(ch.config().getOption(EpollChannelOption.TCP_KEEPCNT))
                        .isEqualTo(TlsTcpTransport.KEEPALIVE_PROBES);
            }
        }
    }
}
