package io.predastore.node.meta;

import io.predastore.node.faultlog.ClientFaultLog;
import io.predastore.node.pki.NodeIdentity;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Grpc;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link RaftCallPolicy} to every call on this peer's Raft port: a refused call is closed with
 * {@code PERMISSION_DENIED} before Ratis sees the refused message (nor anything after it), and one bounded log line
 * ({@link ClientFaultLog}) names the remote address and why. Installed on the port's gRPC server as its
 * {@link GrpcServices.Customizer}. Thread-safe.
 */
final class RaftCallGuard implements ServerInterceptor, GrpcServices.Customizer {
    private static final Logger LOG = LoggerFactory.getLogger(RaftCallGuard.class);

    private final Function<NodeIdentity, Optional<String>> peerIdOf;
    private final ClientFaultLog refusals;

    /**
     * @param peerIdOf the peer id of the node a certificate names, empty if that node is no peer of the group
     */
    RaftCallGuard(Function<NodeIdentity, Optional<String>> peerIdOf, ClientFaultLog refusals) {
        this.peerIdOf = Objects.requireNonNull(peerIdOf, "peerIdOf");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    RaftCallGuard(Function<NodeIdentity, Optional<String>> peerIdOf) {
        this(peerIdOf, ClientFaultLog.of(LOG));
    }

    @Override
    public NettyServerBuilder customize(NettyServerBuilder builder, EnumSet<GrpcServices.Type> types) {
        return builder.intercept(this);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String peer = session == null ? null : certifiedPeer(session).orElse(null);
        Optional<String> refused = RaftCallPolicy.refuseCall(method, peer, session != null);
        if (refused.isPresent()) {
            refuse(call, remote, refused.get());
            return new ServerCall.Listener<>() {
            };
        }
        return new Checked<>(next.startCall(call, headers), call, method, peer, remote);
    }

    /** The peer id of the node the connection's client certificate names, if it names a peer. */
    private Optional<String> certifiedPeer(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return NodeIdentity.of(leaf).flatMap(peerIdOf);
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            return Optional.empty();
        }
    }

    private void refuse(ServerCall<?, ?> call, SocketAddress remote, String reason) {
        refusals.warn("Raft call refused", remote, reason);
        call.close(Status.PERMISSION_DENIED.withDescription(reason), new Metadata());
    }

    /** Checks each message of one call before Ratis sees it; callbacks of one call never run concurrently. */
    private final class Checked<Q, A> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final ServerCall<Q, A> call;
        private final String method;
        private final String peer;
        private final SocketAddress remote;
        private boolean closed;

        Checked(ServerCall.Listener<Q> delegate, ServerCall<Q, A> call, String method, String peer,
                SocketAddress remote) {
            super(delegate);
            this.call = call;
            this.method = method;
            this.peer = peer;
            this.remote = remote;
        }

        @Override
        public void onMessage(Q message) {
            if (closed) {
                return;
            }
            Optional<String> refused = RaftCallPolicy.refuseMessage(method, peer, message);
            if (refused.isPresent()) {
                closed = true;
                refuse(call, remote, refused.get());
                return;
            }
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (!closed) {
                super.onHalfClose();
            }
        }

        @Override
        public void onReady() {
            if (!closed) {
                super.onReady();
            }
        }

        @Override
        public void onComplete() {
            if (closed) {
                // Ratis's side of a call closed under it ends as if the caller had cancelled: it then sends nothing
                // more on the call and drops what it kept for it.
                super.onCancel();
            } else {
                super.onComplete();
            }
        }
    }
}
