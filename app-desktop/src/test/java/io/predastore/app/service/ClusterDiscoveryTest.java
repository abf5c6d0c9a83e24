package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.protocol.admin.ClusterMember;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterDiscoveryTest {
    private static final ClusterAccess ACCESS = new ClusterAccess("admin", "admin-secret", "s3", "s3-secret",
            "us-east-1");

    @Test
    void discover_nothingListening_saysItCannotReachTheNode() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> new ClusterDiscovery().discover(uri, ACCESS)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot reach the admin API at 127.0.0.1:" + port)
                .hasMessageContaining("that the node runs");
    }

    @Test
    void discover_httpsWithoutACaCertificate_asksForIt() {
        URI uri = URI.create("https://127.0.0.1:1");
        assertThatThrownBy(() -> new ClusterDiscovery().discover(uri, ACCESS)).isInstanceOf(IOException.class)
                .hasMessageContaining("is HTTPS: give the cluster's CA certificate");
    }

    @Test
    void remoteCluster_membersServingTls_getHttpsEndpoints() {
        RemoteCluster c = new RemoteCluster(URI.create("http://10.0.0.5:9100"), ACCESS, List.of(
                new ClusterMember("node-1", "10.0.0.5", 9000, 9100, true, true),
                new ClusterMember("node-2", "10.0.0.6", 9000, 9100, false, false)));
        assertThat(c.adminUris()).containsEntry(1, URI.create("https://10.0.0.5:9100"))
                .containsEntry(2, URI.create("http://10.0.0.6:9100"));
        assertThat(c.s3Endpoint(c.member(1))).isEqualTo(URI.create("https://10.0.0.5:9000"));
        assertThat(c.s3Endpoint(c.member(2))).isEqualTo(URI.create("http://10.0.0.6:9000"));
        assertThat(c.trustFor(1)).as("no CA certificate given").isNull();
    }

    @Test
    void remoteCluster_derivesAdminAndS3Endpoints() {
        RemoteCluster c = new RemoteCluster(URI.create("http://10.0.0.5:9100"), ACCESS, List.of(
                new ClusterMember("node-1", "10.0.0.5", 9000, 9100), new ClusterMember("node-7", "::1", 9001, 9101)));
        assertThat(c.adminUris()).containsEntry(1, URI.create("http://10.0.0.5:9100"))
                .containsEntry(7, URI.create("http://[::1]:9101"));
        assertThat(c.s3Endpoint(c.member(7))).isEqualTo(URI.create("http://[::1]:9001"));
        assertThat(ACCESS.toString()).doesNotContain("secret");
    }
}
