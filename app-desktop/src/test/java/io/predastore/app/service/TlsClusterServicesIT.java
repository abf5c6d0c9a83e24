package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.node.supervisor.DevCertificates;
import io.predastore.node.supervisor.HttpTls;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The app's services against a real three-node cluster whose S3 ports and admin APIs serve HTTPS ({@code cluster
 * init --tls on}, made through the app's own cluster service): the admin poller and the S3 client of a cluster the
 * app opened trust its CA from the cluster file, and connecting by endpoint works over HTTPS with the cluster's CA
 * certificate and fails, saying why, without it or with another CA's. Every node is stopped afterwards.
 */
class TlsClusterServicesIT {
    @TempDir
    static Path tmp;
    static ClusterService service;
    static ClusterConfig config;

    @BeforeAll
    static void start() throws Exception {
        SupervisorSettings settings = SupervisorSettings.defaults()
                .withMaxHeap(System.getProperty("predastore.nodeHeap", "192m"))
                .withStartTimeout(Duration.ofSeconds(300)).withStopTimeout(Duration.ofSeconds(10));
        String jvmArgs = System.getProperty("predastore.nodeJvmArgs", "").trim();
        service = new ClusterService(settings, ClusterService.locateNodeJar(),
                jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+")));
        config = service.create(tmp.resolve("cluster"), 3, 2, 1, HttpTls.ON);
        service.startAll();
        await().atMost(Duration.ofSeconds(330)).untilAsserted(() -> assertThat(service.statuses())
                .allMatch(s -> s.state() == NodeState.RUNNING, "running"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.stopAll();
            service.close();
        }
    }

    @Test
    void adminPoller_ofAnOpenedTlsCluster_readsEveryNodeOverHttps() throws Exception {
        assertThat(config.nodes()).allMatch(NodeConfig::adminTls);
        try (AdminPoller poller = new AdminPoller(config, s -> { }, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                ClusterSnapshot snapshot = poller.poll();
                assertThat(snapshot.nodes()).hasSize(3).allMatch(NodeSample::reachable, "reachable");
                assertThat(snapshot.raft()).isNotNull();
            });
        }
    }

    @Test
    void s3Service_ofAnOpenedTlsCluster_writesAndReadsOverHttps() throws Exception {
        Path file = tmp.resolve("upload.bin");
        byte[] bytes = new byte[600 * 1024];
        new Random(3).nextBytes(bytes);
        Files.write(file, bytes);
        try (SdkObjectStore one = new SdkObjectStore(config, 1); SdkObjectStore three = new SdkObjectStore(config, 3)) {
            assertThat(one.endpoint().getScheme()).isEqualTo("https");
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() ->
                    one.createBucket("tls-app"));
            one.upload("tls-app", "file.bin", file, new Transfer(bytes.length));
            Path back = tmp.resolve("download.bin");
            three.download("tls-app", "file.bin", back);
            assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
        }
        // The same endpoint with the JDK's trust store only: the node's certificate is the cluster CA's, not a
        // public one, and nothing trusts every certificate.
        NodeConfig n1 = config.node(1);
        try (SdkObjectStore untrusting = new SdkObjectStore(URI.create(n1.s3Endpoint()), config.credentials().accessKey(),
                config.credentials().secretKey(), config.region())) {
            assertThatThrownBy(untrusting::listBuckets).isInstanceOf(SdkClientException.class);
        }
    }

    private static ClusterAccess access(Path ca) {
        return new ClusterAccess(config.credentials().adminAccessKey(), config.credentials().adminSecretKey(),
                config.credentials().accessKey(), config.credentials().secretKey(), config.region(), ca);
    }

    @Test
    void discovery_overHttps_needsTheClustersCaCertificate() throws Exception {
        NodeConfig n2 = config.node(2);
        URI endpoint = URI.create(n2.adminEndpoint());
        RemoteCluster found = await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                .until(() -> new ClusterDiscovery().discover(endpoint, access(config.tls().caCert())), c -> true);
        assertThat(found.members()).hasSize(3);
        assertThat(found.adminUris().values()).allMatch(u -> u.getScheme().equals("https"));
        assertThat(found.s3Endpoint(found.member(3))).isEqualTo(URI.create(config.node(3).s3Endpoint()));
        try (AdminPoller poller = new AdminPoller(found.adminUris(), new io.predastore.client.sigv4.Credentials(
                config.credentials().adminAccessKey(), config.credentials().adminSecretKey()), config.region(),
                found.trust(), s -> { }, Clock.systemUTC())) {
            assertThat(poller.poll().nodes()).allMatch(NodeSample::reachable, "reachable");
        }

        assertThatThrownBy(() -> new ClusterDiscovery().discover(endpoint, access(null)))
                .hasMessageContaining("give the cluster's CA certificate");
        Path foreign = tmp.resolve("foreign-ca.pem");
        Files.writeString(foreign, DevCertificates.certificatePem(DevCertificates.newCa("someone else",
                Instant.now()).certificate()));
        assertThatThrownBy(() -> new ClusterDiscovery().discover(endpoint, access(foreign)))
                .isInstanceOf(IOException.class).hasMessageContaining("TLS handshake")
                .hasMessageContaining("Check that the CA certificate is the cluster's");
    }
}
