package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.predastore.client.tls.NodeIdentity;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevClusterInitTest {
    @TempDir
    Path dir;

    ClusterConfig create(Path where, int nodes, int data, int parity) throws Exception {
        return DevClusterInit.create(where, nodes, data, parity, "127.0.0.1",
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()));
    }

    @Test
    void create_writesAClusterFileTheLoaderReads() throws Exception {
        ClusterConfig created = create(dir, 5, 3, 2);

        ClusterConfig loaded = ClusterConfigLoader.load(dir.resolve("cluster.toml"));
        assertThat(loaded).isEqualTo(created);
        assertThat(loaded.nodes()).hasSize(5);
        assertThat(loaded.rs().data()).isEqualTo(3);
        assertThat(loaded.rs().parity()).isEqualTo(2);
        Set<Integer> ports = new HashSet<>();
        for (NodeConfig node : loaded.nodes()) {
            node.ports().forEach(p -> assertThat(ports.add(p.port())).as("port %s unique", p).isTrue());
            assertThat(node.dataDir()).isDirectory();
            assertThat(node.tlsCert()).isRegularFile();
            assertThat(node.tlsKey()).isRegularFile();
        }
        assertThat(loaded.credentials().accessKey()).hasSize(20);
        assertThat(loaded.credentials().secretKey()).hasSize(40);
        assertThat(loaded.credentials().adminSecretKey()).isNotEqualTo(loaded.credentials().secretKey());
        assertThat(dir.resolve("ca-private/ca.key")).isRegularFile();
        assertThat(DevClusterInit.caKeyFile(dir)).isEqualTo(dir.resolve("ca-private/ca.key"));
        assertThat(dir.resolve("tls/ca.key")).doesNotExist();
        assertThat(Files.readString(dir.resolve("cluster.toml"))).contains("ca_cert = \"tls/ca.pem\"",
                "data_dir = \"node-1\"").doesNotContain("ca.key", "ca-private");
    }

    @Test
    void create_onLoopback_leavesS3AndAdminPlainByDefault() throws Exception {
        ClusterConfig config = create(dir, 1, 1, 0);
        assertThat(config.node(1).s3Tls()).isFalse();
        assertThat(config.node(1).adminTls()).isFalse();
        assertThat(Files.readString(dir.resolve("cluster.toml"))).contains("admin_tls = false")
                .doesNotContain("s3_tls_cert");
    }

    @Test
    void create_tlsOn_servesS3AndAdminWithEachNodesCertificate() throws Exception {
        ClusterConfig config = DevClusterInit.create(dir, 2, new ErasureConfig(1, 1), "127.0.0.1",
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.ON);
        for (NodeConfig node : config.nodes()) {
            assertThat(node.s3TlsCert()).isEqualTo(node.tlsCert());
            assertThat(node.s3TlsKey()).isEqualTo(node.tlsKey());
            assertThat(node.adminTls()).isTrue();
            assertThat(node.s3Endpoint()).startsWith("https://127.0.0.1:");
        }
        assertThat(Files.readString(dir.resolve("cluster.toml"))).contains("s3_tls_cert = \"tls/node-2.pem\"",
                "admin_tls = true");
    }

    @Test
    void create_auto_turnsTlsOnForAHostOtherMachinesReach() throws Exception {
        ClusterConfig config = DevClusterInit.create(dir, 1, new ErasureConfig(1, 0), "10.20.30.40",
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.AUTO);
        assertThat(config.node(1).s3Tls()).isTrue();
        assertThat(config.node(1).adminTls()).isTrue();
        X509Certificate cert = readCert(config.node(1).tlsCert());
        assertThat(cert.getSubjectAlternativeNames()).contains(List.of(7, "10.20.30.40"))
                .doesNotContain(List.of(7, "127.0.0.1"), List.of(2, "localhost"));

        ClusterConfig off = DevClusterInit.create(dir.resolve("off"), 1, new ErasureConfig(1, 0), "10.20.30.40",
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.OFF);
        assertThat(off.node(1).s3Tls()).isFalse();
        assertThat(off.node(1).adminTls()).isFalse();
    }

    @Test
    void create_keepsSecretsOwnerOnly() throws Exception {
        create(dir, 1, 1, 0);
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        for (String file : List.of("cluster.toml", "ca-private/ca.key", "tls/node-1.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        for (String directory : List.of("ca-private", "tls")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(directory))))
                    .as(directory).isEqualTo("rwx------");
        }
    }

    @Test
    void create_refusesToOverwriteACluster() throws Exception {
        create(dir, 1, 1, 0);
        String before = Files.readString(dir.resolve("cluster.toml"));

        assertThatThrownBy(() -> create(dir, 3, 2, 1)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(dir.resolve("cluster.toml").toAbsolutePath().toString())
                .hasMessageContaining("not overwritten");
        assertThat(Files.readString(dir.resolve("cluster.toml"))).isEqualTo(before);
    }

    @Test
    void create_impossibleLayout_writesNothing() {
        assertThatThrownBy(() -> create(dir.resolve("c"), 2, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rs = { data = 2, parity = 1 }: data + parity = 3 needs at least 3 nodes, but the "
                        + "cluster file lists 2");
        assertThat(dir.resolve("c/cluster.toml")).doesNotExist();
    }

    @Test
    void nodeCertificates_verifyAgainstTheCa_andMatchTheirKeys() throws Exception {
        ClusterConfig config = create(dir, 3, 2, 1);
        X509Certificate ca = readCert(config.tls().caCert());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        for (NodeConfig node : config.nodes()) {
            X509Certificate cert = readCert(node.tlsCert());
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);

            assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=node-" + node.id());
            assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
            assertThat(cert.getSubjectAlternativeNames()).contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"),
                    List.of(6, "predastore://dev/node/" + node.id()));
            assertThat(NodeIdentity.of(cert)).contains(new NodeIdentity("dev", node.id()));
            assertThat(cert.getBasicConstraints()).isEqualTo(-1);

            PrivateKey key = readKey(node.tlsKey());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).as("key of node %d matches its certificate", node.id()).isTrue();
        }
    }

    @Test
    void nodeCertificate_namesAHostnameAsDns() throws Exception {
        DevCertificates.Issued ca = DevCertificates.newCa("ca", java.time.Instant.now());
        X509Certificate cert = DevCertificates.newNodeCertificate(ca, new NodeIdentity("prod", 4), "storage-1.lan",
                java.time.Instant.now()).certificate();
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "storage-1.lan"),
                List.of(6, "predastore://prod/node/4"));
    }

    @Test
    void tlsHandshake_withMutualAuth_succeedsBetweenNodes() throws Exception {
        ClusterConfig config = create(dir, 2, 1, 1);
        NodeConfig server = config.node(1);
        NodeConfig client = config.node(2);

        Handshake result = handshake(server, config.tls().caCert(), client.tlsCert().toFile(),
                client.tlsKey().toFile());

        assertThat(result.clientError).isNull();
        assertThat(result.serverError).isNull();
        X509Certificate peer = (X509Certificate) result.serverSeenPeer;
        assertThat(peer.getSubjectX500Principal().getName()).isEqualTo("CN=node-2");
    }

    @Test
    void tlsHandshake_clientFromAnotherCa_isRefused() throws Exception {
        ClusterConfig config = create(dir.resolve("a"), 1, 1, 0);
        ClusterConfig foreign = create(dir.resolve("b"), 1, 1, 0);

        Handshake result = handshake(config.node(1), config.tls().caCert(), foreign.node(1).tlsCert().toFile(),
                foreign.node(1).tlsKey().toFile());

        assertThat(result.serverError).as("server refuses a client certificate from another CA").isNotNull();
        assertThat(result.serverSeenPeer).isNull();
    }

    static final class Handshake {
        Throwable serverError;
        Throwable clientError;
        Object serverSeenPeer;
    }

    /** Drives a JDK-provider TLS handshake between two embedded channels, pumping bytes both ways. */
    static Handshake handshake(NodeConfig server, Path caCert, java.io.File clientCert, java.io.File clientKey)
            throws Exception {
        SslContext serverCtx = SslContextBuilder.forServer(server.tlsCert().toFile(), server.tlsKey().toFile())
                .trustManager(caCert.toFile()).clientAuth(ClientAuth.REQUIRE).sslProvider(SslProvider.JDK).build();
        SslContext clientCtx = SslContextBuilder.forClient().keyManager(clientCert, clientKey)
                .trustManager(caCert.toFile()).sslProvider(SslProvider.JDK).build();
        SslHandler serverSsl = serverCtx.newHandler(ByteBufAllocator.DEFAULT);
        SslHandler clientSsl = clientCtx.newHandler(ByteBufAllocator.DEFAULT, "localhost", server.s3Port());
        EmbeddedChannel serverCh = new EmbeddedChannel(serverSsl);
        EmbeddedChannel clientCh = new EmbeddedChannel(clientSsl);
        try {
            for (int round = 0; round < 50 && !(serverSsl.handshakeFuture().isDone()
                    && clientSsl.handshakeFuture().isDone()); round++) {
                pump(clientCh, serverCh);
                pump(serverCh, clientCh);
            }
            Handshake result = new Handshake();
            result.serverError = serverSsl.handshakeFuture().isDone() ? serverSsl.handshakeFuture().cause()
                    : new AssertionError("server handshake did not finish");
            result.clientError = clientSsl.handshakeFuture().isDone() ? clientSsl.handshakeFuture().cause()
                    : new AssertionError("client handshake did not finish");
            if (result.serverError == null) {
                result.serverSeenPeer = serverSsl.engine().getSession().getPeerCertificates()[0];
            }
            return result;
        } finally {
            serverCh.finishAndReleaseAll();
            clientCh.finishAndReleaseAll();
        }
    }

    private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf buf;
        while ((buf = from.readOutbound()) != null) {
            if (!to.isOpen()) {
                buf.release();
                continue;
            }
            try {
                to.writeInbound(buf);
            } catch (RuntimeException e) {
                // A refused handshake surfaces through the handshake future; the exception is expected here.
            }
        }
        Object inbound;
        while ((inbound = to.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(inbound);
        }
    }

    static X509Certificate readCert(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static PrivateKey readKey(Path pem) throws Exception {
        String text = Files.readString(pem);
        assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----");
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }

    @Test
    void create_oneHostPerNode_givesEachNodeItsAddressAndACertificateNamingIt() throws Exception {
        List<String> hosts = List.of("10.231.250.11", "10.231.250.12", "10.231.250.13");
        ClusterConfig config = DevClusterInit.create(dir, hosts, new ErasureConfig(2, 1),
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.OFF);

        assertThat(ClusterConfigLoader.load(dir.resolve("cluster.toml"))).isEqualTo(config);
        for (NodeConfig node : config.nodes()) {
            String own = hosts.get(node.id() - 1);
            assertThat(node.host()).isEqualTo(own);
            assertThat(node.s3Endpoint()).startsWith("http://" + own + ":");
            assertThat(node.adminTls()).isFalse();
            X509Certificate cert = readCert(node.tlsCert());
            assertThat(cert.getSubjectAlternativeNames()).contains(List.of(7, own));
            for (String other : hosts) {
                if (!other.equals(own)) {
                    assertThat(cert.getSubjectAlternativeNames()).doesNotContain(List.of(7, other));
                }
            }
        }
    }

    @Test
    void create_oneHostPerNode_auto_decidesTlsPerNode() throws Exception {
        ClusterConfig config = DevClusterInit.create(dir, List.of("127.0.0.1", "10.231.250.12"),
                new ErasureConfig(1, 1), PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.AUTO);
        assertThat(config.node(1).s3Tls()).isFalse();
        assertThat(config.node(2).s3Tls()).isTrue();
    }

    @Test
    void create_oneHostPerNode_blankHost_writesNothing() {
        assertThatThrownBy(() -> DevClusterInit.create(dir.resolve("c"), List.of("10.231.250.11", " "),
                new ErasureConfig(1, 1), PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.OFF))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 2 has no host");
        assertThat(dir.resolve("c/cluster.toml")).doesNotExist();
    }
}
