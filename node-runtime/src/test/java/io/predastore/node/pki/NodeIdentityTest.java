package io.predastore.node.pki;

import io.predastore.client.tls.NodeIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.supervisor.DevCertificates;
import java.security.cert.CertificateParsingException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdentityTest {
    @Test
    void uri_namesTheClusterAndNode_andParsesBack() {
        NodeIdentity id = new NodeIdentity("dev", 3);
        assertThat(id.uri()).isEqualTo("predastore://dev/node/3");
        assertThat(NodeIdentity.parse(id.uri())).contains(id);
    }

    @Test
    void uri_clusterNameOutsideUnreserved_isPercentEncodedAndParsesBack() {
        NodeIdentity id = new NodeIdentity("prod/eu west ü%", 12);
        assertThat(id.uri()).isEqualTo("predastore://prod%2Feu%20west%20%C3%BC%25/node/12");
        assertThat(NodeIdentity.parse(id.uri())).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://dev/node/1", "predastore://dev/node/0", "predastore://dev/node/01",
        "predastore://dev/node/-1", "predastore://dev/node/1/x", "predastore://dev/node/", "predastore:///node/1",
        "predastore://dev/nodes/1", "predastore://d%zzv/node/1", "predastore://d%2/node/1",
        "predastore://dev/node/9999999999", "predastore://a b/node/1"})
    void parse_anythingElse_isNoIdentity(String uri) {
        assertThat(NodeIdentity.parse(uri)).isEmpty();
    }

    @Test
    void constructor_badValues_areRefused() {
        assertThatThrownBy(() -> new NodeIdentity(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeIdentity("dev", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void of_certificate_readsTheUriSan_andRefusesTwoOrAMalformedOne() throws Exception {
        Instant now = Instant.now();
        DevCertificates.Issued ca = DevCertificates.newCa("ca", now);
        assertThat(NodeIdentity.of(DevCertificates.newNodeCertificate(ca, new NodeIdentity("dev", 2), "127.0.0.1",
                now).certificate())).contains(new NodeIdentity("dev", 2));
        assertThat(NodeIdentity.of(DevCertificates.newCertificate(ca, "web", List.of("https://example.test/"),
                "127.0.0.1", now).certificate())).isEmpty();
        assertThatThrownBy(() -> NodeIdentity.of(DevCertificates.newCertificate(ca, "two", List.of(
                "predastore://dev/node/1", "predastore://dev/node/2"), "127.0.0.1", now).certificate()))
                .isInstanceOf(CertificateParsingException.class).hasMessageContaining("names 2 nodes");
        assertThatThrownBy(() -> NodeIdentity.of(DevCertificates.newCertificate(ca, "bad", List.of(
                "predastore://dev/node/x"), "127.0.0.1", now).certificate()))
                .isInstanceOf(CertificateParsingException.class).hasMessageContaining("malformed node identity");
    }
}
