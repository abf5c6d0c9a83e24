package io.predastore.node.pki;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.client.tls.NodeIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.predastore.node.supervisor.DevCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The checks of {@link ClusterTrust}, on the engine and socket-less paths the TLS stacks call, for a cluster "dev"
 * of nodes 1 (127.0.0.1), 2 (storage-2.lan) and 3 (::1). Real handshakes are covered by the shard transport's
 * contract tests and the cluster integration tests.
 */
class ClusterTrustTest {
    @TempDir
    static Path dir;
    static DevCertificates.Issued ca;
    static ClusterTrust trust;
    static X509Certificate[] node1;
    static X509Certificate[] node2;
    static X509Certificate[] node3;

    private ListAppender<ILoggingEvent> logged;

    @BeforeAll
    static void pki() throws Exception {
        Instant now = Instant.now();
        ca = DevCertificates.newCa("dev CA", now);
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, DevCertificates.certificatePem(ca.certificate()));
        Membership members = new Membership("dev", Set.of(1, 2, 3), Map.of(
                Membership.endpointKey("127.0.0.1", 7001), 1, Membership.endpointKey("127.0.0.1", 7002), 1,
                Membership.endpointKey("storage-2.lan", 7001), 2, Membership.endpointKey("::1", 7001), 3));
        trust = ClusterTrust.load(caFile, members);
        node1 = chain(ca, "dev", 1, "127.0.0.1");
        node2 = chain(ca, "dev", 2, "storage-2.lan");
        node3 = chain(ca, "dev", 3, "::1");
    }

    static X509Certificate[] chain(DevCertificates.Issued issuer, String cluster, int node, String host)
            throws Exception {
        return new X509Certificate[] {DevCertificates.newNodeCertificate(issuer, new NodeIdentity(cluster, node),
                host, Instant.now()).certificate()};
    }

    static X509Certificate[] other(List<String> uris) throws Exception {
        return new X509Certificate[] {DevCertificates.newCertificate(ca, "other", uris, "127.0.0.1", Instant.now())
                .certificate()};
    }

    /** An engine as a client makes it for {@code host:port}; only its peer host and port matter here. */
    static SSLEngine dialing(String host, int port) throws Exception {
        return SSLContext.getDefault().createSSLEngine(host, port);
    }

    @BeforeEach
    void captureLog() {
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(ClusterTrust.class)).addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(ClusterTrust.class)).detachAppender(logged);
    }

    @Test
    void client_nodeOfTheCluster_isAccepted() {
        assertThatCode(() -> trust.checkClientTrusted(node2, "EC", dialing("10.0.0.9", 40000)))
                .doesNotThrowAnyException();
        assertThatCode(() -> trust.checkClientTrusted(node3, "UNKNOWN")).doesNotThrowAnyException();
        assertThat(logged.list).isEmpty();
    }

    @Test
    void client_notANodeOfTheCluster_isRefusedAndTheRefusalLogged() throws Exception {
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(ca, "dev", 9, "127.0.0.1"), "EC",
                dialing("10.0.0.9", 40000))).isInstanceOf(CertificateException.class)
                .hasMessage("the client certificate names node 9 of cluster dev, not a node of this cluster (dev, "
                        + "nodes [1, 2, 3])");
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(ca, "prod", 1, "127.0.0.1"), "EC"))
                .hasMessageContaining("names node 1 of cluster prod, not a node of this cluster");
        assertThatThrownBy(() -> trust.checkClientTrusted(other(List.of()), "EC"))
                .hasMessage("the client certificate (CN=other) names no node (no URI SAN "
                        + "predastore://<cluster>/node/<id>)");
        DevCertificates.Issued foreign = DevCertificates.newCa("dev CA", Instant.now());
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(foreign, "dev", 1, "127.0.0.1"), "EC"))
                .hasMessageStartingWith("the client certificate (CN=node-1) does not validate against the cluster "
                        + "CA: ");
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).first().asString()
                .isEqualTo("TLS peer refused from 10.0.0.9:40000: the client certificate names node 9 of cluster "
                        + "dev, not a node of this cluster (dev, nodes [1, 2, 3])");
        assertThat(logged.list).hasSize(4);
    }

    @Test
    void server_atTheAddressOfTheNodeItNames_isAccepted() {
        assertThatCode(() -> trust.checkServerTrusted(node1, "EC", dialing("127.0.0.1", 7002)))
                .doesNotThrowAnyException();
        // Host names compare without case; IPv6 literals in any spelling.
        assertThatCode(() -> trust.checkServerTrusted(node2, "EC", dialing("STORAGE-2.lan.", 7001)))
                .doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(node3, "EC", dialing("[0:0:0:0:0:0:0:1]", 7001)))
                .doesNotThrowAnyException();
    }

    @Test
    void server_anotherNodesCertificateAtANodesAddress_isRefused() {
        assertThatThrownBy(() -> trust.checkServerTrusted(node3, "EC", dialing("storage-2.lan", 7001)))
                .isInstanceOf(CertificateException.class)
                .hasMessage("this is node 2's address, but the certificate names node 3 (a node's certificate is "
                        + "valid for that node only)");
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "TLS peer refused from storage-2.lan:7001: this is node 2's address, but the certificate names "
                        + "node 3 (a node's certificate is valid for that node only)");
    }

    @Test
    void server_atAnAddressOfNoNode_orWithoutAnAddress_isRefused() {
        assertThatThrownBy(() -> trust.checkServerTrusted(node1, "EC", dialing("127.0.0.1", 7999)))
                .hasMessage("cannot tell which node should answer here: no node has this address in the cluster "
                        + "file");
        assertThatThrownBy(() -> trust.checkServerTrusted(node1, "EC"))
                .hasMessageStartingWith("cannot tell which node should answer here");
    }

    @Test
    void server_expectingANode_acceptsThatNodeAnywhere_andRefusesAnyOther() {
        ClusterTrust forNode2 = trust.expectingNode(2);
        assertThatCode(() -> forNode2.checkServerTrusted(node2, "EC")).doesNotThrowAnyException();
        assertThatCode(() -> forNode2.checkServerTrusted(node2, "EC", dialing("127.0.0.1", 7001)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> forNode2.checkServerTrusted(node3, "EC"))
                .hasMessage("expected node 2, but the certificate names node 3 (a node's certificate is valid for "
                        + "that node only)");
        assertThatThrownBy(() -> trust.expectingNode(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 4 is not a node of cluster dev");
    }

    @Test
    void server_notANodeOfTheCluster_isRefusedWhateverItsAddress() throws Exception {
        assertThatThrownBy(() -> trust.expectingNode(1).checkServerTrusted(chain(ca, "other", 1, "127.0.0.1"), "EC"))
                .hasMessageContaining("names node 1 of cluster other, not a node of this cluster");
        assertThatThrownBy(() -> trust.expectingNode(1).checkServerTrusted(other(List.of(
                "predastore://dev/node/1", "predastore://dev/node/2")), "EC"))
                .hasMessageContaining("names 2 nodes");
    }

    @Test
    void discovery_acceptsANodeCertificateNamingTheHostDialed_andNoClients() throws Exception {
        ClusterTrust discovery = ClusterTrust.forDiscovery(trust.caFile());
        assertThatCode(() -> discovery.checkServerTrusted(node1, "EC", dialing("127.0.0.1", 1)))
                .doesNotThrowAnyException();
        assertThatCode(() -> discovery.checkServerTrusted(node2, "EC", dialing("Storage-2.LAN", 1)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> discovery.checkServerTrusted(node2, "EC", dialing("127.0.0.1", 1)))
                .hasMessage("the certificate of node 2 of cluster dev does not name the host 127.0.0.1 in a DNS or "
                        + "IP SAN");
        assertThatThrownBy(() -> discovery.checkServerTrusted(other(List.of()), "EC", dialing("127.0.0.1", 1)))
                .hasMessageContaining("names no node");
        assertThatThrownBy(() -> discovery.checkClientTrusted(node1, "EC"))
                .hasMessageContaining("accepts no clients");
    }

    @Test
    void load_missingCaFile_saysWhichFile() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> ClusterTrust.forDiscovery(missing)).hasMessage("the certificate file " + missing
                + " does not exist");
    }
}
