package io.predastore.node.transport;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;

/** A server made of a listening (or datagram) channel and the connections it accepted. */
final class ChannelShardServer implements ShardServer {
    private final Channel listener;
    private final ChannelGroup children;
    private final InetSocketAddress localAddress;

    ChannelShardServer(Channel listener, ChannelGroup children) {
        this.listener = listener;
        this.children = children;
        this.localAddress = (InetSocketAddress) listener.localAddress();
    }

    /** The connections (TLS/TCP) or QUIC connections accepted and still open. */
    ChannelGroup connections() {
        return children;
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        // Connections first, so QUIC peers get a CONNECTION_CLOSE before the socket goes away.
        children.close().awaitUninterruptibly(2000);
        listener.close().awaitUninterruptibly(2000);
    }

    @Override
    public String toString() {
        return "shard server on " + localAddress;
    }
}
