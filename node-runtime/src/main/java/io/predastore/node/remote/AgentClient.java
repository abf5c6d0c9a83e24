package io.predastore.node.remote;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A client of the user's ssh-agent over its Unix socket ({@code SSH_AUTH_SOCK}), so the private keys never leave the
 * agent. The agent protocol (list the keys, sign with one, RSA with SHA-2) is MINA SSHD's
 * {@link AbstractAgentProxy}; only the transport is here, on Java's own Unix sockets: MINA's Unix agent connector
 * ({@code org.apache.sshd.agent.unix}) needs Tomcat's native APR library, which the node does not ship. One request at
 * a time.
 */
final class AgentClient extends AbstractAgentProxy {
    /** OpenSSH's agent limit for one message. */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private SocketChannel channel;
    private boolean closed;

    AgentClient(Path socket) {
        super(null);
        this.socket = socket;
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } finally {
            super.close();
        }
    }

    /**
     * Sends one message, framed by {@link AbstractAgentProxy} (length first), and returns the answer without its
     * length, its type byte first.
     */
    @Override
    protected synchronized Buffer request(Buffer message) throws IOException {
        if (closed) {
            throw new IOException("the connection to the ssh-agent at " + socket + " is closed");
        }
        try {
            if (channel == null) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
            }
            ByteBuffer out = ByteBuffer.wrap(message.array(), message.rpos(), message.available());
            while (out.hasRemaining()) {
                channel.write(out);
            }
            int size = readFully(4).getInt();
            if (size < 1 || size > MAX_MESSAGE) {
                throw new IOException("the ssh-agent at " + socket + " sent a message of " + size + " bytes");
            }
            return new ByteArrayBuffer(readFully(size).array());
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                channel = null;
            }
            throw e;
        }
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(n);
        while (in.hasRemaining()) {
            if (channel.read(in) < 0) {
                throw new IOException("the ssh-agent at " + socket + " closed the connection");
            }
        }
        return in.flip();
    }

    /** Makes MINA SSHD ask the agent at {@code socket} for keys and signatures; it forwards nothing. */
    static SshAgentFactory factory(Path socket) {
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of();
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) {
                return new AgentClient(socket);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) throws IOException {
                throw new IOException("agent forwarding is not offered");
            }
        };
    }
}
