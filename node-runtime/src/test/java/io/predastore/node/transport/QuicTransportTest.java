package io.predastore.node.transport;

class QuicTransportTest extends ShardTransportContractTest {
    @Override
    ShardTransport newTransport(TransportOptions options) {
        return ShardTransport.quic(options);
    }
}
