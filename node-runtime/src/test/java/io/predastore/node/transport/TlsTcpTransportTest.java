package io.predastore.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslProvider;
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
}
