package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.DataStreamRequestTypeProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.MessageStreamRequestTypeProto;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadRequestTypeProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StaleReadRequestTypeProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.proto.RaftProtos.WatchRequestTypeProto;
import org.apache.ratis.proto.RaftProtos.WriteRequestTypeProto;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class RaftCallPolicyTest {
    private static final String SERVER = RaftCallPolicy.SERVER_SERVICE + "/";
    private static final String CLIENT = RaftCallPolicy.CLIENT_SERVICE + "/ordered";

    private static RaftRpcRequestProto from(String peer) {
        return RaftRpcRequestProto.newBuilder().setRequestorId(ByteString.copyFromUtf8(peer))
                .setReplyId(ByteString.copyFromUtf8("node-1")).build();
    }

    /** Every peer-to-peer message type, each claiming to come from {@code peer}. */
    private static List<Object> serverMessages(String peer) {
        return List.of(
                AppendEntriesRequestProto.newBuilder().setServerRequest(from(peer)).build(),
                RequestVoteRequestProto.newBuilder().setServerRequest(from(peer)).build(),
                InstallSnapshotRequestProto.newBuilder().setServerRequest(from(peer)).build(),
                StartLeaderElectionRequestProto.newBuilder().setServerRequest(from(peer)).build(),
                ReadIndexRequestProto.newBuilder().setServerRequest(from(peer)).build());
    }

    @Test
    void serverMessages_claimingTheCertificatesPeer_goOn() {
        for (Object m : serverMessages("node-3")) {
            assertThat(RaftCallPolicy.refuseMessage(SERVER + "x", "node-3", m)).as("%s", m.getClass()).isEmpty();
        }
    }

    @Test
    void serverMessages_claimingAnotherPeer_areRefusedNamingBoth() {
        for (Object m : serverMessages("node-2")) {
            assertThat(RaftCallPolicy.refuseMessage(SERVER + "appendEntries", "node-3", m)).as("%s", m.getClass())
                    .hasValue("the certificate of peer node-3 carries a appendEntries claiming to come from peer "
                            + "node-2");
        }
    }

    @Test
    void serverCall_withACertificateNamingNoPeer_isRefused() {
        assertThat(RaftCallPolicy.refuseCall(SERVER + "requestVote", null, true)).isPresent();
        assertThat(RaftCallPolicy.refuseCall(SERVER + "requestVote", "node-3", true)).isEmpty();
        // Plaintext (a trusted network, tests): no certificate to check against.
        assertThat(RaftCallPolicy.refuseCall(SERVER + "requestVote", null, false)).isEmpty();
        assertThat(RaftCallPolicy.refuseMessage(SERVER + "requestVote", null, serverMessages("any").get(1)))
                .isEmpty();
    }

    @Test
    void serverCall_withAnUnexpectedMessageType_isRefused() {
        assertThat(RaftCallPolicy.refuseMessage(SERVER + "requestVote", "node-3",
                RaftClientRequestProto.getDefaultInstance())).isPresent();
    }

    @Test
    void adminCalls_areRefusedWhoeverAsks() {
        for (String method : List.of("setConfiguration", "transferLeadership", "groupManagement",
                "snapshotManagement", "leaderElectionManagement", "groupList", "groupInfo")) {
            assertThat(RaftCallPolicy.refuseCall(RaftCallPolicy.ADMIN_SERVICE + "/" + method, "node-1", true))
                    .as(method).hasValueSatisfying(r -> assertThat(r).contains(method).contains("refused"));
            assertThat(RaftCallPolicy.refuseCall(RaftCallPolicy.ADMIN_SERVICE + "/" + method, null, false))
                    .as(method).isPresent();
        }
    }

    @Test
    void unknownService_isRefused() {
        assertThat(RaftCallPolicy.refuseCall("grpc.health.v1.Health/Check", "node-1", true)).isPresent();
    }

    @Test
    void clientRequests_onlyWritesReadsAndWatchesGoOn() {
        RaftClientRequestProto.Builder b = RaftClientRequestProto.newBuilder();
        assertThat(RaftCallPolicy.refuseMessage(CLIENT, "node-1",
                b.clone().setWrite(WriteRequestTypeProto.getDefaultInstance()).build())).isEmpty();
        assertThat(RaftCallPolicy.refuseMessage(CLIENT, "node-1",
                b.clone().setRead(ReadRequestTypeProto.getDefaultInstance()).build())).isEmpty();
        assertThat(RaftCallPolicy.refuseMessage(CLIENT, "node-1",
                b.clone().setWatch(WatchRequestTypeProto.getDefaultInstance()).build())).isEmpty();
        for (RaftClientRequestProto refused : List.of(
                b.clone().setStaleRead(StaleReadRequestTypeProto.getDefaultInstance()).build(),
                b.clone().setMessageStream(MessageStreamRequestTypeProto.getDefaultInstance()).build(),
                b.clone().setDataStream(DataStreamRequestTypeProto.getDefaultInstance()).build(),
                b.clone().build())) {
            assertThat(RaftCallPolicy.refuseMessage(CLIENT, "node-1", refused)).as("%s", refused.getTypeCase())
                    .isPresent();
        }
    }
}
