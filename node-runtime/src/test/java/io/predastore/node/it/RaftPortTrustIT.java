package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.RaftMetadataStore;
import io.predastore.node.meta.RaftRequests;
import io.predastore.node.pki.ClusterSecret;
import io.predastore.node.pki.PemFiles;
import io.predastore.node.store.MetaKeys;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteReplyProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.io.grpc.ManagedChannel;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.apache.ratis.thirdparty.io.grpc.netty.GrpcSslContexts;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyChannelBuilder;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The Raft port of a running three-node cluster against someone who holds node 3's TLS certificate and key (a stolen
 * key, or a compromised machine's files without the node's data directory): each thing they try is refused while the
 * same connection is otherwise served, the metadata and the group stay as they were, and S3 keeps working.
 * <ul>
 *   <li>a vote request claiming to come from node 2 is refused (node 3's own claim gets an answer);</li>
 *   <li>a Ratis client with that certificate can neither delete a bucket's record nor read it;</li>
 *   <li>transferring leadership and changing the membership are refused;</li>
 *   <li>the port listens on the node's host only, and a TLS 1.2 client cannot complete a handshake.</li>
 * </ul>
 * And a node whose data directory lacks the cluster secret refuses to start, saying how to give it one;
 * {@code cluster up} gives it the secret of the other nodes.
 */
class RaftPortTrustIT {
    private static final String BUCKET = "raft-trust";
    private static final int HOLDER = 3;

    @TempDir
    static Path tmp;
    static ClusterProcesses processes;
    static ClusterConfig config;

    @BeforeAll
    static void start() throws Exception {
        processes = ClusterProcesses.up(tmp.resolve("cluster"), 3, 2, 1);
        config = processes.config();
        try (S3Client s3 = processes.s3(1)) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (processes != null) {
            processes.close();
        }
    }

    private static RaftGroupId groupId() {
        return RaftMetadataStore.groupId(config.cluster());
    }

    private static NodeConfig holder() {
        return config.node(HOLDER);
    }

    private static RaftGroupStatus raft() throws IOException {
        return processes.admin(1).raft();
    }

    private static String leaderWhenStable() {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> raft().leaderId(),
                id -> id != null);
    }

    /** S3 round trip through two nodes: the cluster serves as before. */
    private static void assertS3Works(String key) {
        byte[] body = ("body of " + key).getBytes(StandardCharsets.UTF_8);
        try (S3Client one = processes.s3(1); S3Client two = processes.s3(2)) {
            one.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
            assertThat(two.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(body);
        }
    }

    /** A vote request to node 1 that claims to come from {@code claimed}, over a connection with node 3's key. */
    private static RequestVoteReplyProto requestVote(String claimed) throws Exception {
        NodeConfig target = config.node(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(target.host(), target.raftPort())
                .sslContext(GrpcSslContexts.forClient().keyManager(holder().tlsCert().toFile(),
                        holder().tlsKey().toFile()).trustManager(config.tls().caCert().toFile()).build())
                .build();
        try {
            RequestVoteRequestProto request = RequestVoteRequestProto.newBuilder()
                    .setServerRequest(RaftRpcRequestProto.newBuilder()
                            .setRequestorId(ByteString.copyFromUtf8(claimed))
                            .setReplyId(ByteString.copyFromUtf8("node-1"))
                            .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(groupId().toByteString()))
                            .setCallId(1))
                    // An old term: even a vote request that is let through changes nothing.
                    .setCandidateTerm(0)
                    .setCandidateLastEntry(TermIndexProto.getDefaultInstance())
                    .build();
            return RaftServerProtocolServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS)
                    .requestVote(request);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverRpc_claimingAnotherPeer_isRefusedAndNamesTheCertificatesPeer() throws Exception {
        String leader = leaderWhenStable();
        long term = raft().term();
        assertThatThrownBy(() -> requestVote("node-2")).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.PERMISSION_DENIED));
        // The same connection, claiming the peer its certificate names, is answered (and denied a vote: old term).
        RequestVoteReplyProto honest = requestVote("node-" + HOLDER);
        assertThat(honest.getServerReply().getSuccess()).isFalse();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processes.log(1))
                .contains("Raft call refused from ")
                .contains("the certificate of peer node-3 carries a requestVote claiming to come from peer node-2"));
        assertThat(raft().leaderId()).isEqualTo(leader);
        assertThat(raft().term()).isEqualTo(term);
        assertS3Works("after-vote");
    }

    /** A Ratis client of the whole group with node 3's certificate and key, as Ratis's own tools would make. */
    private static RaftClient clientWithHoldersKey() {
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(5, TimeUnit.SECONDS));
        GrpcTlsConfig tls = new GrpcTlsConfig(holder().tlsKey().toFile(), holder().tlsCert().toFile(),
                config.tls().caCert().toFile(), true);
        Parameters params = new Parameters();
        GrpcConfigKeys.TLS.setConf(params, tls);
        GrpcConfigKeys.Client.setTlsConf(params, tls);
        GrpcConfigKeys.Admin.setTlsConf(params, tls);
        return RaftClient.newBuilder().setProperties(props).setParameters(params)
                .setRaftGroup(RaftGroup.valueOf(groupId(), peers()))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10,
                        TimeDuration.valueOf(300, TimeUnit.MILLISECONDS)))
                .build();
    }

    private static List<RaftPeer> peers() {
        List<RaftPeer> peers = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            peers.add(RaftPeer.newBuilder().setId("node-" + n.id()).setAddress(n.host() + ":" + n.raftPort())
                    .build());
        }
        return peers;
    }

    /** What a call ended with: "success", or its failure with every cause's message. */
    private static String outcome(Callable<RaftClientReply> call) {
        try {
            RaftClientReply reply = call.call();
            return reply.isSuccess() ? "success" : "failed: " + causes(reply.getException());
        } catch (Exception e) {
            return "failed: " + causes(e);
        }
    }

    private static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" / ");
        }
        return sb.toString();
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(ByteString.copyFrom(bytes));
    }

    @Test
    void raftClient_withAMembersKeyAlone_canNeitherWriteNorReadMetadata() throws Exception {
        leaderWhenStable();
        byte[] bucketKey = MetaKeys.utf8(BUCKET);
        try (RaftClient client = clientWithHoldersKey()) {
            String write = outcome(() -> client.io().send(message(
                    RaftRequests.deleteEntry(MetaTable.BUCKETS, bucketKey))));
            assertThat(write).startsWith("failed").contains("metadata write refused")
                    .contains("not sealed with the cluster secret");
            String read = outcome(() -> client.io().sendReadOnly(message(
                    RaftRequests.getQuery(MetaTable.BUCKETS, bucketKey))));
            assertThat(read).startsWith("failed").contains("metadata query refused");
        }
        try (S3Client s3 = processes.s3(2)) {
            // The bucket's record is still there.
            s3.headBucket(b -> b.bucket(BUCKET));
            assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("never-created")))
                    .isInstanceOf(NoSuchBucketException.class);
        }
        assertS3Works("after-client");
    }

    @Test
    void adminCalls_withAMembersKey_areRefusedAndChangeNothing() throws Exception {
        String leader = leaderWhenStable();
        long term = raft().term();
        String other = config.nodes().stream().map(n -> "node-" + n.id()).filter(id -> !id.equals(leader))
                .findFirst().orElseThrow();
        try (RaftClient client = clientWithHoldersKey()) {
            String transfer = outcome(() -> client.admin().transferLeadership(RaftPeerId.valueOf(other), 5000));
            assertThat(transfer).startsWith("failed").contains("PERMISSION_DENIED");
            List<RaftPeer> withoutOther = peers().stream().filter(p -> !p.getId().toString().equals(other))
                    .toList();
            String membership = outcome(() -> client.admin().setConfiguration(withoutOther));
            assertThat(membership).startsWith("failed").contains("PERMISSION_DENIED");
        }
        assertThat(raft().leaderId()).isEqualTo(leader);
        assertThat(raft().term()).isEqualTo(term);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processes.log(1)
                + processes.log(2) + processes.log(3)).contains("Raft admin call transferLeadership refused"));
        assertS3Works("after-admin");
        // Every node still follows the leader: the membership did not shrink.
        for (NodeConfig n : config.nodes()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                RaftGroupStatus seen = processes.admin(n.id()).raft();
                assertThat(seen.leaderId()).isEqualTo(leader);
                assertThat(seen.lastAppliedIndex()).isEqualTo(raft().commitIndex());
            });
        }
    }

    @Test
    void raftPort_listensOnTheNodesHostOnly() throws Exception {
        NodeConfig node = config.node(1);
        assertThat(node.host()).isEqualTo("127.0.0.1");
        try (Socket own = new Socket()) {
            own.connect(new InetSocketAddress(node.host(), node.raftPort()), 5000);
        }
        try (Socket other = new Socket()) {
            assertThatThrownBy(() -> other.connect(new InetSocketAddress("127.0.0.2", node.raftPort()), 5000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void node_withoutTheClusterSecret_refusesToStart_andClusterUpGivesItTheClustersSecret() throws Exception {
        NodeConfig two = config.node(2);
        Path secret = ClusterSecret.fileIn(two.dataDir());
        ClusterSecret shared = ClusterSecret.read(ClusterSecret.fileIn(config.node(1).dataDir()));
        assertThat(ClusterSecret.read(secret)).isEqualTo(shared);
        processes.stop(2);
        try {
            Files.delete(secret);
            ClusterProcesses.Result serve = ClusterProcesses.cli(Duration.ofSeconds(120), "serve", "--backend",
                    "distributed", "--config", config.file().toString(), "--node", "2");
            assertThat(serve.exit()).as(serve.output()).isNotZero();
            assertThat(serve.output()).contains("node 2 has no cluster secret " + secret)
                    .contains("cluster add-secret --dir " + config.directory());
            assertThat(secret).doesNotExist();
        } finally {
            // As after an upgrade: cluster up gives the node the secret the other nodes share.
            processes.restartStopped();
        }
        assertThat(ClusterSecret.read(secret)).isEqualTo(shared);
        String leader = leaderWhenStable();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(processes.admin(2).raft().leaderId()).isEqualTo(leader));
        assertS3Works("after-restart");
    }

    /** A TLS handshake with node 1's Raft port by a client with node 3's key offering only {@code protocol}. */
    private static String handshake(String protocol) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {PemFiles.keyManager(holder().tlsCert(), holder().tlsKey())},
                new TrustManager[] {processes.trust().expectingNode(1)}, null);
        NodeConfig node = config.node(1);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(node.host(), node.raftPort())) {
            socket.setSoTimeout(10_000);
            SSLParameters params = socket.getSSLParameters();
            params.setProtocols(new String[] {protocol});
            // gRPC speaks HTTP/2 only.
            params.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(params);
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }

    @Test
    void raftPort_speaksTls13Only() throws Exception {
        assertThat(handshake("TLSv1.3")).isEqualTo("TLSv1.3");
        assertThatThrownBy(() -> handshake("TLSv1.2")).isInstanceOf(SSLException.class);
    }
}
