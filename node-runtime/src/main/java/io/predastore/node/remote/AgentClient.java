package io.predastore.node.remote;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * A client of the user's ssh-agent over its Unix socket ({@code SSH_AUTH_SOCK}), speaking the agent protocol itself
 * (list the keys, sign with one), so the private keys never leave the agent and no native library is needed. Only
 * the two requests authentication needs are made; adding or removing keys is refused. One request at a time.
 */
final class AgentClient implements SshAgent {
    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int FLAG_RSA_SHA2_256 = 2;
    private static final int FLAG_RSA_SHA2_512 = 4;
    /** OpenSSH's agent limit for one message. */
    private static final int MAX_MESSAGE = 256 * 1024;

    /** A key the agent holds: the key, its comment, and why it cannot be used (null when it can). */
    record Identity(PublicKey key, HostKey encoded, String comment, String unusable) {
    }

    private final Path socket;
    private SocketChannel channel;
    private boolean closed;

    AgentClient(Path socket) {
        this.socket = socket;
    }

    /** Every key the agent holds, with the ones this code cannot use (e.g. security-key types) marked. */
    synchronized List<Identity> list() throws IOException {
        Buffer answer = request(REQUEST_IDENTITIES, new ByteArrayBuffer());
        int type = answer.getUByte();
        if (type != IDENTITIES_ANSWER) {
            throw new IOException("the ssh-agent at " + socket + " answered " + type + " to a request for its keys");
        }
        long count = answer.getUInt();
        if (count > 1024) {
            throw new IOException("the ssh-agent at " + socket + " claims " + count + " keys");
        }
        List<Identity> keys = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            byte[] blob = answer.getBytes();
            String comment = answer.getString();
            HostKey encoded;
            try {
                encoded = HostKey.fromBlob(blob);
            } catch (IllegalArgumentException e) {
                continue;
            }
            try {
                keys.add(new Identity(new ByteArrayBuffer(blob).getRawPublicKey(), encoded, comment, null));
            } catch (IOException | RuntimeException e) {
                keys.add(new Identity(null, encoded, comment, "its type " + encoded.type() + " is not supported"));
            }
        }
        return keys;
    }

    @Override
    public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
        List<Map.Entry<PublicKey, String>> usable = new ArrayList<>();
        for (Identity id : list()) {
            if (id.unusable() == null) {
                usable.add(new SimpleImmutableEntry<>(id.key(), id.comment()));
            }
        }
        return usable;
    }

    @Override
    public synchronized Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algorithm,
                                                       byte[] data) throws IOException {
        Buffer body = new ByteArrayBuffer();
        body.putBytes(HostKey.of(key).blob());
        body.putBytes(data);
        int flags = 0;
        if ("rsa-sha2-256".equals(algorithm)) {
            flags = FLAG_RSA_SHA2_256;
        } else if ("rsa-sha2-512".equals(algorithm)) {
            flags = FLAG_RSA_SHA2_512;
        }
        body.putInt(flags);
        Buffer answer = request(SIGN_REQUEST, body);
        int type = answer.getUByte();
        if (type == FAILURE) {
            throw new IOException("the ssh-agent at " + socket + " refused to sign with the "
                    + HostKey.of(key).describe() + " key (it may need a confirmation or a touch that was not given)");
        }
        if (type != SIGN_RESPONSE) {
            throw new IOException("the ssh-agent at " + socket + " answered " + type + " to a signing request");
        }
        Buffer signature = new ByteArrayBuffer(answer.getBytes());
        String signedWith = signature.getString();
        return new SimpleImmutableEntry<>(signedWith, signature.getBytes());
    }

    @Override
    public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) throws IOException {
        throw new IOException("keys are not added to the ssh-agent from here; use ssh-add");
    }

    @Override
    public void removeIdentity(PublicKey key) throws IOException {
        throw new IOException("keys are not removed from the ssh-agent from here; use ssh-add -d");
    }

    @Override
    public void removeAllIdentities() throws IOException {
        throw new IOException("keys are not removed from the ssh-agent from here; use ssh-add -D");
    }

    @Override
    public synchronized boolean isOpen() {
        return !closed;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** Sends one message ({@code type} and {@code body}) and returns the answer, its type byte first. */
    private Buffer request(byte type, Buffer body) throws IOException {
        if (closed) {
            throw new IOException("the connection to the ssh-agent at " + socket + " is closed");
        }
        try {
            if (channel == null) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
            }
            byte[] payload = body.getCompactData();
            ByteBuffer out = ByteBuffer.allocate(5 + payload.length);
            out.putInt(1 + payload.length).put(type).put(payload).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer length = readFully(4);
            int size = length.getInt();
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
