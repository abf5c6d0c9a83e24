package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.node.cluster.DevCertificates;
import io.predastore.node.meta.RaftMetadataStore;
import io.predastore.node.transport.ShardClient;
import io.predastore.node.transport.ShardTransport;
import io.predastore.node.transport.TlsMaterial;
import io.predastore.node.transport.TransportOptions;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.TransportKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS of node-to-node traffic, against running node processes: a client whose certificate was issued by
 * another CA is refused on the shard port (TLS-TCP, and QUIC) and on the Raft port, while the same client code
 * with a certificate of the cluster CA is served (so a refusal is the certificate's doing, nothing else's).
 *
 * <p>The shared cluster uses the TLS-TCP transport ({@code cluster init} writes {@code transport = "tls"}); a node
 * listens on one transport only. QUIC is covered by one node process of a three-node QUIC cluster: its shard
 * server is up as soon as the process starts, before it looks for Raft peers, so the other two are not needed.
 */
class ClusterMutualTlsIT extends SharedNode implements OnCluster {
    static Path foreign;

    @BeforeAll
    static void foreignCertificates() throws Exception {
        foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Instant now = Instant.now();
        DevCertificates.Issued ca = DevCertificates.newCa("someone-else", now);
        // Same common name and host as a real node: only the issuer differs.
        DevCertificates.Issued client = DevCertificates.newNodeCertificate(ca, "node-1", "127.0.0.1", now);
        Files.writeString(foreign.resolve("ca.pem"), DevCertificates.certificatePem(ca.certificate()));
        Files.writeString(foreign.resolve("client.pem"), DevCertificates.certificatePem(client.certificate()));
        Files.writeString(foreign.resolve("client.key"), DevCertificates.privateKeyPem(client.privateKey()));
    }

    static ClusterConfig config() {
        return cluster.processes().config();
    }

    /** Trusts the cluster CA (so the client accepts the node) but presents a certificate of another CA. */
    static TlsMaterial foreignIdentity(ClusterConfig config) {
        return new TlsMaterial(config.tls().caCert(), foreign.resolve("client.pem"), foreign.resolve("client.key"));
    }

    static TlsMaterial identityOf(ClusterConfig config, int nodeId) {
        NodeConfig n = config.node(nodeId);
        return new TlsMaterial(config.tls().caCert(), n.tlsCert(), n.tlsKey());
    }

    static TransportOptions options() {
        return TransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(10))
                .withConnectTimeout(Duration.ofSeconds(5));
    }

    static void assertRefusedButClusterIdentityServed(ShardTransport transport, ClusterConfig config, int target)
            throws IOException {
        NodeConfig n = config.node(target);
        InetSocketAddress address = new InetSocketAddress(n.host(), n.shardPort());
        int other = config.nodes().stream().mapToInt(NodeConfig::id).filter(id -> id != target).findFirst()
                .orElseThrow();
        try (ShardClient member = transport.client(address, identityOf(config, other))) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(member.ping()).isNotNull());
        }
        try (ShardClient intruder = transport.client(address, foreignIdentity(config))) {
            assertThatThrownBy(intruder::ping).as("%s shard port, certificate of another CA", transport.name())
                    .isInstanceOf(IOException.class);
        }
        try (ShardClient anonymous = transport.client(address, TlsMaterial.withoutIdentity(config.tls().caCert()))) {
            assertThatThrownBy(anonymous::ping).as("%s shard port, no client certificate", transport.name())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void shardPort_tlsTcp_refusesAClientCertificateOfAnotherCa() throws Exception {
        assertThat(config().transport()).isEqualTo(TransportKind.TLS);
        try (ShardTransport transport = ShardTransport.tlsTcp(options())) {
            assertRefusedButClusterIdentityServed(transport, config(), 3);
        }
    }

    static RaftClient raftClient(RaftGroupId groupId, RaftPeer peer, GrpcTlsConfig tls) {
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(5, TimeUnit.SECONDS));
        Parameters params = new Parameters();
        GrpcConfigKeys.TLS.setConf(params, tls);
        GrpcConfigKeys.Client.setTlsConf(params, tls);
        GrpcConfigKeys.Admin.setTlsConf(params, tls);
        return RaftClient.newBuilder().setProperties(props).setParameters(params)
                .setRaftGroup(RaftGroup.valueOf(groupId, peer)).setRetryPolicy(RetryPolicies.noRetry()).build();
    }

    @Test
    void raftPort_grpcTls_refusesAClientCertificateOfAnotherCa() throws Exception {
        ClusterConfig config = config();
        NodeConfig target = config.node(2);
        RaftGroupId groupId = RaftMetadataStore.groupId(config.cluster());
        RaftPeer peer = RaftPeer.newBuilder().setId(RaftPeerId.valueOf("node-2"))
                .setAddress(target.host() + ":" + target.raftPort()).build();
        NodeConfig member = config.node(4);
        GrpcTlsConfig memberTls = new GrpcTlsConfig(member.tlsKey().toFile(), member.tlsCert().toFile(),
                config.tls().caCert().toFile(), true);
        try (RaftClient client = raftClient(groupId, peer, memberTls)) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(client.getGroupManagementApi(peer.getId()).info(groupId).isSuccess()).isTrue());
        }
        GrpcTlsConfig foreignTls = new GrpcTlsConfig(foreign.resolve("client.key").toFile(),
                foreign.resolve("client.pem").toFile(), config.tls().caCert().toFile(), true);
        try (RaftClient client = raftClient(groupId, peer, foreignTls)) {
            // Ratis's blocking admin call surfaces gRPC's status: UNAVAILABLE (the TLS handshake failed).
            assertThatThrownBy(() -> client.getGroupManagementApi(peer.getId()).info(groupId))
                    .as("Raft port, certificate of another CA")
                    .isInstanceOfAny(IOException.class, StatusRuntimeException.class)
                    .hasMessageContaining("UNAVAILABLE");
        }
    }

    @Test
    void shardPort_quic_refusesAClientCertificateOfAnotherCa() throws Exception {
        Path dir = tmp.resolve("quic-cluster");
        ClusterProcesses.Result init = ClusterProcesses.cli(Duration.ofSeconds(60), "cluster", "init", "--dir",
                dir.toString(), "--nodes", "3", "--data", "2", "--parity", "1", "--base-port", "0");
        assertThat(init.exit()).as(init.output()).isZero();
        Path file = dir.resolve("cluster.toml");
        Files.writeString(file, Files.readString(file).replace("transport = \"tls\"", "transport = \"quic\""));
        ClusterConfig config = ClusterConfigLoader.load(file);
        assertThat(config.transport()).isEqualTo(TransportKind.QUIC);

        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-jar", NodeProcess.jar().toString(), "serve",
                "--backend", "distributed", "--config", file.toString(), "--node", "1"));
        Path log = dir.resolve("node-1.log");
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (ShardTransport transport = ShardTransport.quic(options())) {
            assertRefusedButClusterIdentityServed(transport, config, 1);
            assertThat(node.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
