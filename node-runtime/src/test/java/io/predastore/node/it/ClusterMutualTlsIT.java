package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.client.AdminClient;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.meta.RaftMetadataStore;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.supervisor.DevCertificates;
import io.predastore.node.supervisor.DevClusterInit;
import io.predastore.node.transport.ShardClient;
import io.predastore.node.transport.ShardServer;
import io.predastore.node.transport.ShardTransport;
import io.predastore.node.transport.TlsMaterial;
import io.predastore.node.transport.TransportOptions;
import io.predastore.protocol.admin.NodeHealth;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.TransportKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * TLS on every port of cluster nodes, against running node processes.
 *
 * <p>On the shared cluster (TLS-TCP shards; S3 and admin plain on loopback): the shard and Raft ports refuse every
 * client that is not a node of the cluster (a certificate of another CA, one of the cluster CA naming no node of
 * this cluster, none at all) while the same client code with a node's certificate is served, so a refusal is the
 * certificate's doing; and a stolen key and certificate of node 3, listening on node 2's shard and Raft ports while
 * node 2 is stopped, is refused by the nodes that dial node 2, which say why in their logs.
 *
 * <p>On a three-node cluster of its own, made with {@code cluster init --tls on}, with QUIC shards, and started
 * after its CA private key was deleted: S3 and the admin API answer over HTTPS to clients that trust the cluster CA
 * (and are refused by clients that do not), an admin client made for node 1 refuses node 2's certificate, and the
 * QUIC shard port refuses non-members as TLS-TCP does.
 */
class ClusterMutualTlsIT extends SharedNode implements OnCluster {
    static Path certs;
    static ClusterProcesses tlsCluster;

    @BeforeAll
    static void foreignCertificates() throws Exception {
        certs = tmp.resolve("certs");
        Files.createDirectories(certs);
        Instant now = Instant.now();
        DevCertificates.Issued ca = DevCertificates.newCa("someone-else", now);
        // Names a real node of the cluster, on a real node's host: only the issuer differs.
        DevCertificates.Issued client = DevCertificates.newNodeCertificate(ca,
                new NodeIdentity(DevClusterInit.CLUSTER_NAME, 1), "127.0.0.1", now);
        Files.writeString(certs.resolve("foreign-ca.pem"), DevCertificates.certificatePem(ca.certificate()));
        Files.writeString(certs.resolve("foreign.pem"), DevCertificates.certificatePem(client.certificate()));
        Files.writeString(certs.resolve("foreign.key"), DevCertificates.privateKeyPem(client.privateKey()));
    }

    @AfterAll
    static void stopTlsCluster() throws IOException {
        if (tlsCluster != null) {
            tlsCluster.close();
            tlsCluster = null;
        }
    }

    static TransportOptions options() {
        return TransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(10))
                .withConnectTimeout(Duration.ofSeconds(5));
    }

    /** A certificate and key, signed by the CA of {@code processes} (whose key a test may use), naming {@code uris}. */
    static Path[] issuedByTheClusterCa(ClusterProcesses processes, String name, List<String> uris) throws Exception {
        ClusterConfig config = processes.config();
        DevCertificates.Issued ca = DevCertificates.loadCa(config.tls().caCert(), caKey(processes));
        DevCertificates.Issued cert = DevCertificates.newCertificate(ca, name, uris, "127.0.0.1", Instant.now());
        Path dir = certs.resolve(processes.dir().getFileName().toString());
        Files.createDirectories(dir);
        Path pem = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        Files.writeString(pem, DevCertificates.certificatePem(cert.certificate()));
        Files.writeString(key, DevCertificates.privateKeyPem(cert.privateKey()));
        return new Path[] {pem, key};
    }

    /** Where the CA private key of {@code processes} is now (the TLS cluster's was moved out of its directory). */
    static Path caKey(ClusterProcesses processes) {
        return processes == tlsCluster ? certs.resolve("tls-cluster-ca.key") : DevClusterInit.caKeyFile(processes.dir());
    }

    /**
     * The clients a node must refuse, each with the cluster's trust (so it accepts the node: only the node's check
     * of the client can stop it), by what they are. {@code caSigned} holds certificates of the cluster CA.
     */
    static Map<String, TlsMaterial> nonMembers(ClusterTrust trust, Map<String, Path[]> caSigned) {
        Map<String, TlsMaterial> out = new LinkedHashMap<>();
        out.put("certificate of another CA naming node 1", new TlsMaterial(trust, certs.resolve("foreign.pem"),
                certs.resolve("foreign.key")));
        caSigned.forEach((what, files) -> out.put(what, new TlsMaterial(trust, files[0], files[1])));
        out.put("no client certificate", TlsMaterial.withoutIdentity(trust));
        return out;
    }

    static Map<String, Path[]> caSignedNonMembers(ClusterProcesses processes) throws Exception {
        Map<String, Path[]> out = new LinkedHashMap<>();
        out.put("cluster CA certificate naming node 9", issuedByTheClusterCa(processes, "node-9",
                List.of(new NodeIdentity(processes.config().cluster(), 9).uri())));
        out.put("cluster CA certificate naming node 2 of another cluster", issuedByTheClusterCa(processes,
                "other-node-2", List.of(new NodeIdentity("other", 2).uri())));
        out.put("cluster CA certificate naming no node", issuedByTheClusterCa(processes, "anonymous", List.of()));
        return out;
    }

    static void assertShardPortRefusesNonMembers(ShardTransport transport, ClusterProcesses processes, int target)
            throws Exception {
        ClusterConfig config = processes.config();
        ClusterTrust trust = processes.trust();
        NodeConfig n = config.node(target);
        InetSocketAddress address = new InetSocketAddress(n.host(), n.shardPort());
        int other = config.nodes().stream().mapToInt(NodeConfig::id).filter(id -> id != target).findFirst()
                .orElseThrow();
        NodeConfig member = config.node(other);
        try (ShardClient client = transport.client(address, target, new TlsMaterial(trust, member.tlsCert(),
                member.tlsKey()))) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(client.ping()).isNotNull());
        }
        for (Map.Entry<String, TlsMaterial> intruder : nonMembers(trust, caSignedNonMembers(processes)).entrySet()) {
            try (ShardClient client = transport.client(address, target, intruder.getValue())) {
                assertThatThrownBy(client::ping).as("%s shard port, %s", transport.name(), intruder.getKey())
                        .isInstanceOf(IOException.class);
            }
        }
        // The node says why, naming the address that connected.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processes.log(target))
                .contains("TLS peer refused from ")
                .contains("the client certificate names node 9 of cluster " + config.cluster()
                        + ", not a node of this cluster")
                .contains("names no node"));
    }

    @Test
    void shardPort_tlsTcp_refusesEveryClientThatIsNotANodeOfTheCluster() throws Exception {
        assertThat(cluster.processes().config().transport()).isEqualTo(TransportKind.TLS);
        try (ShardTransport transport = ShardTransport.tlsTcp(options())) {
            assertShardPortRefusesNonMembers(transport, cluster.processes(), 3);
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
    void raftPort_grpcTls_refusesEveryClientThatIsNotANodeOfTheCluster() throws Exception {
        ClusterProcesses processes = cluster.processes();
        ClusterConfig config = processes.config();
        NodeConfig target = config.node(2);
        RaftGroupId groupId = RaftMetadataStore.groupId(config.cluster());
        RaftPeer peer = RaftPeer.newBuilder().setId(RaftPeerId.valueOf("node-2"))
                .setAddress(target.host() + ":" + target.raftPort()).build();
        NodeConfig member = config.node(4);
        GrpcTlsConfig memberTls = new GrpcTlsConfig(member.tlsKey().toFile(), member.tlsCert().toFile(),
                config.tls().caCert().toFile(), true);
        try (RaftClient client = raftClient(groupId, peer, memberTls)) {
            // A member's certificate passes the handshake; the admin call itself is then refused by the port
            // (RaftPortTrustIT), which is a different status from a refused handshake's.
            await().ignoreExceptions().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThatThrownBy(() -> client.getGroupManagementApi(peer.getId()).info(groupId))
                            .isInstanceOfAny(IOException.class, StatusRuntimeException.class)
                            .hasMessageContaining("PERMISSION_DENIED"));
        }
        Map<String, Path[]> intruders = new LinkedHashMap<>();
        intruders.put("certificate of another CA naming node 1",
                new Path[] {certs.resolve("foreign.pem"), certs.resolve("foreign.key")});
        intruders.putAll(caSignedNonMembers(processes));
        for (Map.Entry<String, Path[]> intruder : intruders.entrySet()) {
            GrpcTlsConfig tls = new GrpcTlsConfig(intruder.getValue()[1].toFile(), intruder.getValue()[0].toFile(),
                    config.tls().caCert().toFile(), true);
            try (RaftClient client = raftClient(groupId, peer, tls)) {
                // Ratis's blocking admin call surfaces gRPC's status: UNAVAILABLE (the TLS handshake failed).
                assertThatThrownBy(() -> client.getGroupManagementApi(peer.getId()).info(groupId))
                        .as("Raft port, %s", intruder.getKey())
                        .isInstanceOfAny(IOException.class, StatusRuntimeException.class)
                        .hasMessageContaining("UNAVAILABLE");
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(processes.log(2))
                .contains("the client certificate names node 9 of cluster " + config.cluster()));
    }

    @Test
    void stolenCertificateOfNode3_listeningOnNode2sPorts_isRefusedByTheNodesThatDialNode2() throws Exception {
        ClusterProcesses processes = cluster.processes();
        ClusterConfig config = processes.config();
        NodeConfig two = config.node(2);
        NodeConfig three = config.node(3);
        // A shard client is made for one node; the Raft client recognises the node by the address it dials.
        String shardRefusal = "TLS peer refused from " + two.host() + ":" + two.shardPort()
                + ": expected node 2, but the certificate names node 3";
        String raftRefusal = "TLS peer refused from " + two.host() + ":" + two.raftPort()
                + ": this is node 2's address, but the certificate names node 3";
        processes.stop(2);
        try (ShardTransport transport = ShardTransport.tlsTcp(options());
                SegmentShardStore store = SegmentShardStore.open(tmp.resolve("impostor-shards"))) {
            TlsMaterial stolen = new TlsMaterial(processes.trust(), three.tlsCert(), three.tlsKey());
            InetAddress bind = InetAddress.getByName(two.host());
            // A TLS server with node 3's key on each of node 2's node-to-node ports. On the Raft port it speaks no
            // gRPC, which does not matter: a client checks the certificate before anything else is said.
            try (ShardServer shardImpostor = await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                    .until(() -> transport.server(store, bind, two.shardPort(), stolen), s -> true);
                    ShardServer raftImpostor = await().ignoreExceptions().atMost(Duration.ofSeconds(30))
                            .until(() -> transport.server(store, bind, two.raftPort(), stolen), s -> true)) {
                assertThat(shardImpostor.localAddress().getPort()).isEqualTo(two.shardPort());
                assertThat(raftImpostor.localAddress().getPort()).isEqualTo(two.raftPort());
                // Node 1 pings node 2's shard port every second.
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(processes.log(1)).contains(shardRefusal));
                // The Raft leader (whichever node it is) sends node 2 heartbeats; candidates ask it for votes.
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                        assertThat(logsOf(processes, 1, 3, 4, 5)).contains(raftRefusal));
                // Node 1 counts node 2 as down and tells the operator why.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    NodeHealth seen = processes.admin(1).health().nodes().stream()
                            .filter(h -> h.id().equals("node-2")).findFirst().orElseThrow();
                    assertThat(seen.alive()).as("%s", seen).isFalse();
                    assertThat(seen.reason()).contains("certificate refused: expected node 2, but the certificate "
                            + "names node 3");
                });
                assertThat(store.shardCount()).isZero();
            }
        } finally {
            processes.restartStopped();
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() -> {
                assertThat(processes.admin(1).health().nodes()).hasSize(5).allMatch(NodeHealth::alive);
                assertThat(processes.admin(2).raft().leaderId()).isNotNull();
            });
        }
    }

    private static String logsOf(ClusterProcesses processes, int... nodes) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int n : nodes) {
            sb.append(processes.log(n));
        }
        return sb.toString();
    }

    /**
     * The cluster of this class: {@code cluster init --tls on} with QUIC shards, three nodes, RS 2+1, started once
     * its CA private key is gone.
     */
    static synchronized ClusterProcesses tlsCluster() throws Exception {
        if (tlsCluster == null) {
            Path dir = tmp.resolve("tls-cluster");
            ClusterProcesses.init(dir, 3, 2, 1, "--tls", "on");
            Path file = dir.resolve("cluster.toml");
            Files.writeString(file, Files.readString(file).replace("transport = \"tls\"", "transport = \"quic\""));
            Path caKey = DevClusterInit.caKeyFile(dir);
            // Moved out of the cluster's directory, as an operator would; tests sign intruders with it.
            Files.move(caKey, certs.resolve("tls-cluster-ca.key"));
            try (Stream<Path> walk = Files.walk(caKey.getParent())) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            tlsCluster = ClusterProcesses.upInitialized(dir);
            assertThat(caKey.getParent()).doesNotExist();
        }
        return tlsCluster;
    }

    @Test
    void tlsCluster_startedWithoutItsCaKey_servesS3OverHttpsToClientsThatTrustTheClusterCa() throws Exception {
        ClusterProcesses processes = tlsCluster();
        ClusterConfig config = processes.config();
        assertThat(config.transport()).isEqualTo(TransportKind.QUIC);
        for (NodeConfig node : config.nodes()) {
            assertThat(node.s3Endpoint()).startsWith("https://");
            assertThat(processes.upOutput()).contains(node.s3Endpoint());
        }
        byte[] body = new byte[700 * 1024];
        new Random(7).nextBytes(body);
        try (S3Client one = processes.s3(1); S3Client three = processes.s3(3)) {
            one.createBucket(b -> b.bucket("private"));
            // Erasure-coded over the QUIC shard transport between the three nodes.
            one.putObject(b -> b.bucket("private").key("secret.bin"), RequestBody.fromBytes(body));
            assertThat(three.getObjectAsBytes(b -> b.bucket("private").key("secret.bin")).asByteArray())
                    .isEqualTo(body);
        }
        URI endpoint = URI.create(config.node(1).s3Endpoint());
        try (S3Client untrusting = Clients.s3(endpoint, config.credentials().accessKey(),
                config.credentials().secretKey())) {
            assertThatThrownBy(untrusting::listBuckets).as("a client with only the JDK's trust store")
                    .isInstanceOf(SdkClientException.class).hasRootCauseInstanceOf(CertPathBuilderException.class);
        }
        assertThat(plainHttpAnswer(endpoint)).as("plain HTTP to the S3 port").doesNotStartWith("HTTP/");
    }

    @Test
    void tlsCluster_adminApi_answersOverHttpsOnlyAsTheNodeTheClientExpects() throws Exception {
        ClusterProcesses processes = tlsCluster();
        ClusterConfig config = processes.config();
        for (NodeConfig node : config.nodes()) {
            assertThat(node.adminEndpoint()).startsWith("https://");
            assertThat(processes.admin(node.id()).status().id()).isEqualTo("node-" + node.id());
        }
        // A client made for node 1, sent to node 2's admin port: node 2's certificate is not node 1's.
        HttpClient expectingNode1 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .sslContext(processes.trust().expectingNode(1).clientContext()).build();
        AdminClient misdirected = new AdminClient(URI.create(config.node(2).adminEndpoint()),
                new SigV4Signer(new Credentials(config.credentials().adminAccessKey(),
                        config.credentials().adminSecretKey()), config.region(), Clock.systemUTC()),
                expectingNode1, Duration.ofSeconds(10));
        assertThatThrownBy(misdirected::status).isInstanceOf(IOException.class)
                .hasRootCauseMessage("expected node 1, but the certificate names node 2 (a node's certificate is "
                        + "valid for that node only)")
                .satisfies(e -> assertThat(hasCause(e, SSLHandshakeException.class)).isTrue());
        assertThat(plainHttpAnswer(URI.create(config.node(3).adminEndpoint()))).as("plain HTTP to the admin port")
                .doesNotStartWith("HTTP/");
    }

    @Test
    void shardPort_quic_refusesEveryClientThatIsNotANodeOfTheCluster() throws Exception {
        ClusterProcesses processes = tlsCluster();
        try (ShardTransport transport = ShardTransport.quic(options())) {
            assertShardPortRefusesNonMembers(transport, processes, 1);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** What a port answers to a plain HTTP request (up to 64 bytes, until it closes or 10 s pass). */
    private static String plainHttpAnswer(URI endpoint) throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            List<Byte> got = new ArrayList<>();
            int b;
            try {
                while (got.size() < 64 && (b = in.read()) >= 0) {
                    got.add((byte) b);
                }
            } catch (IOException e) {
                // Reset by the server: it answered nothing in HTTP.
            }
            byte[] bytes = new byte[got.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = got.get(i);
            }
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
