package io.predastore.node.meta;

import java.util.Optional;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;

/**
 * Which calls the Raft port carries out, decided per gRPC service and per message; pure, so it is tested apart from
 * the network ({@link RaftCallGuard} applies it to live calls).
 * <ul>
 *   <li>Peer-to-peer RPCs (votes, append entries, snapshots, elections, read index): every message must name as its
 *       requestor the peer whose certificate carries the connection. A member's certificate speaks for that member
 *       only.</li>
 *   <li>Client requests: writes, linearizable reads and watches only, the kinds this product's client sends; the
 *       state machine wants writes and reads sealed with the cluster secret ({@link RequestSeal}).</li>
 *   <li>Admin calls (membership, leadership transfer, group, snapshot and election management, group listings):
 *       refused, whoever asks. The product never sends them over the network.</li>
 * </ul>
 * Anything else (an unknown service or message type) is refused. Stateless and thread-safe.
 */
final class RaftCallPolicy {
    static final String SERVER_SERVICE = "ratis.grpc.RaftServerProtocolService";
    static final String CLIENT_SERVICE = "ratis.grpc.RaftClientProtocolService";
    static final String ADMIN_SERVICE = "ratis.grpc.AdminProtocolService";

    private RaftCallPolicy() {
    }

    /**
     * Why a call to {@code fullMethodName} is refused before any message is read, or empty to read its messages.
     *
     * @param certifiedPeer the peer id named by the connection's client certificate, or null on a plaintext port
     */
    static Optional<String> refuseCall(String fullMethodName, String certifiedPeer, boolean tls) {
        String service = service(fullMethodName);
        if (ADMIN_SERVICE.equals(service)) {
            return Optional.of("Raft admin call " + method(fullMethodName) + " refused: the metadata group's "
                    + "membership and leadership are not managed over the network");
        }
        if (!SERVER_SERVICE.equals(service) && !CLIENT_SERVICE.equals(service)) {
            return Optional.of("unknown Raft service " + service);
        }
        if (tls && certifiedPeer == null) {
            return Optional.of("the client certificate names no node of this cluster's metadata group");
        }
        return Optional.empty();
    }

    /**
     * Why {@code message}, received on a call to {@code fullMethodName}, is refused, or empty if it may go on.
     *
     * @param certifiedPeer the peer id named by the connection's client certificate, or null on a plaintext port
     *                      (where no identity is checked)
     */
    static Optional<String> refuseMessage(String fullMethodName, String certifiedPeer, Object message) {
        String service = service(fullMethodName);
        if (CLIENT_SERVICE.equals(service)) {
            if (!(message instanceof RaftClientRequestProto request)) {
                return Optional.of("unexpected client message " + typeName(message));
            }
            return switch (request.getTypeCase()) {
                // The client sends a watch of index 0 by itself to open its ordered stream; a watch only waits for
                // an index to be committed and tells nothing else.
                case WRITE, READ, WATCH -> Optional.empty();
                default -> Optional.of("Raft client request of type " + request.getTypeCase() + " refused (only "
                        + "writes, reads and watches are served)");
            };
        }
        if (!SERVER_SERVICE.equals(service)) {
            return Optional.of("unknown Raft service " + service);
        }
        Optional<RaftRpcRequestProto> rpc = serverRequest(message);
        if (rpc.isEmpty()) {
            return Optional.of("unexpected server message " + typeName(message));
        }
        if (certifiedPeer == null) {
            return Optional.empty();
        }
        String claimed = rpc.get().getRequestorId().toStringUtf8();
        if (!certifiedPeer.equals(claimed)) {
            return Optional.of("the certificate of peer " + certifiedPeer + " carries a " + method(fullMethodName)
                    + " claiming to come from peer " + claimed);
        }
        return Optional.empty();
    }

    private static Optional<RaftRpcRequestProto> serverRequest(Object message) {
        if (message instanceof AppendEntriesRequestProto m) {
            return Optional.of(m.getServerRequest());
        } else if (message instanceof RequestVoteRequestProto m) {
            return Optional.of(m.getServerRequest());
        } else if (message instanceof InstallSnapshotRequestProto m) {
            return Optional.of(m.getServerRequest());
        } else if (message instanceof StartLeaderElectionRequestProto m) {
            return Optional.of(m.getServerRequest());
        } else if (message instanceof ReadIndexRequestProto m) {
            return Optional.of(m.getServerRequest());
        }
        return Optional.empty();
    }

    static String service(String fullMethodName) {
        int slash = fullMethodName.indexOf('/');
        return slash < 0 ? fullMethodName : fullMethodName.substring(0, slash);
    }

    static String method(String fullMethodName) {
        int slash = fullMethodName.indexOf('/');
        return slash < 0 ? fullMethodName : fullMethodName.substring(slash + 1);
    }

    private static String typeName(Object message) {
        return message == null ? "null" : message.getClass().getSimpleName();
    }
}
