package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.remote.SshTarget;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.SshConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster init --hosts} and what {@code cluster deploy} copies: the cluster file with SSH logins, fixed ports
 * per host, certificates naming each host, the remote cluster file and layout (the SSH side itself is
 * {@code RemoteClusterIT}'s).
 */
class RemoteClusterInitTest {
    @TempDir
    Path tmp;

    private static List<SshTarget> logins(String... logins) {
        return java.util.Arrays.stream(logins).map(SshTarget::parse).toList();
    }

    @Test
    void createRemote_nodesListenOnTheirHost_withFixedPortsThatDoNotCollideOnARepeatedHost() throws Exception {
        Path dir = tmp.resolve("c");
        ClusterConfig config = DevClusterInit.createRemote(dir,
                logins("admin@10.0.0.5", "admin@10.0.0.6:2222", "ops@10.0.0.5", "admin@[fd00::7]"),
                new ErasureConfig(2, 1), 9001, new SshConfig(null, null, "/srv/p"));

        assertThat(config.nodes()).extracting(NodeConfig::host)
                .containsExactly("10.0.0.5", "10.0.0.6", "10.0.0.5", "fd00::7");
        assertThat(config.nodes()).extracting(NodeConfig::ssh)
                .containsExactly("admin@10.0.0.5:22", "admin@10.0.0.6:2222", "ops@10.0.0.5:22", "admin@[fd00::7]:22");
        assertThat(config.node(1).ports()).extracting(NodeConfig.NamedPort::port).containsExactly(9001, 9002, 9003,
                9004);
        assertThat(config.node(2).ports()).extracting(NodeConfig.NamedPort::port).containsExactly(9001, 9002, 9003,
                9004);
        // The second node on 10.0.0.5 takes the next four.
        assertThat(config.node(3).ports()).extracting(NodeConfig.NamedPort::port).containsExactly(9005, 9006, 9007,
                9008);
        assertThat(config.nodes()).allMatch(n -> n.s3Tls() && n.adminTls() && n.remote());
        assertThat(config.ssh().remoteDir()).isEqualTo("/srv/p");
        assertThat(ClusterConfigLoader.load(dir.resolve("cluster.toml"))).isEqualTo(config);
        for (NodeConfig node : config.nodes()) {
            X509Certificate cert = readCert(node.tlsCert());
            assertThat(cert.getSubjectAlternativeNames()).contains(List.of(7,
                    java.net.InetAddress.getByName(node.host()).getHostAddress()));
            assertThat(Files.isRegularFile(node.dataDir().resolve("cluster.secret"))).isTrue();
        }
        assertThat(RemoteNodes.byHost(config).keySet()).extracting(SshTarget::toString)
                .containsExactly("admin@10.0.0.5:22", "admin@10.0.0.6:2222", "ops@10.0.0.5:22", "admin@[fd00::7]:22");
    }

    @Test
    void fixedPorts_pastThePortRange_areRefused() {
        assertThat(DevClusterInit.fixedPorts(65532, 0)).containsExactly(65532, 65533, 65534, 65535);
        assertThatThrownBy(() -> DevClusterInit.fixedPorts(65532, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 2 on its host would need 65536 to 65539");
    }

    @Test
    void remoteClusterFile_hasTheRemoteLayout_andNoSshSettings() throws Exception {
        ClusterConfig config = DevClusterInit.createRemote(tmp.resolve("c"),
                logins("admin@10.0.0.5", "admin@10.0.0.6"), new ErasureConfig(1, 1), 9001,
                new SshConfig(tmp.resolve("id"), tmp.resolve("kh"), null));
        String text = RemoteNodes.remoteClusterFile(config);

        assertThat(text).doesNotContain("ssh", tmp.toString());
        Path remoteDir = tmp.resolve("remote");
        Files.createDirectories(remoteDir);
        Files.writeString(remoteDir.resolve("cluster.toml"), text);
        ClusterConfig remote = ClusterConfigLoader.load(remoteDir.resolve("cluster.toml"));
        assertThat(remote.hasRemoteNodes()).isFalse();
        assertThat(remote.ssh()).isEqualTo(SshConfig.DEFAULTS);
        assertThat(remote.credentials()).isEqualTo(config.credentials());
        assertThat(remote.tls().caCert()).isEqualTo(remoteDir.resolve("tls/ca.pem"));
        assertThat(remote.node(2).dataDir()).isEqualTo(remoteDir.resolve("node-2"));
        assertThat(remote.node(2).tlsKey()).isEqualTo(remoteDir.resolve("tls/node-2.key"));
        assertThat(remote.node(2).s3TlsCert()).isEqualTo(remoteDir.resolve("tls/node-2.pem"));
        assertThat(remote.node(2).host()).isEqualTo("10.0.0.6");
        assertThat(remote.node(2).s3Port()).isEqualTo(config.node(2).s3Port());
    }

    @Test
    void files_keysSecretsAndTheClusterFile_areOwnerOnly() throws Exception {
        ClusterConfig config = DevClusterInit.createRemote(tmp.resolve("c"),
                logins("admin@10.0.0.5", "admin@10.0.0.5"), new ErasureConfig(1, 1), 9001, SshConfig.DEFAULTS);
        Path jar = tmp.resolve("predastore-node.jar");
        List<RemoteNodes.Copy> copies = RemoteNodes.files(config, config.nodes(), jar, tmp.resolve("staged"));

        Map<String, Integer> modes = new java.util.LinkedHashMap<>();
        copies.forEach(c -> modes.put(c.remote(), c.mode()));
        assertThat(modes).containsExactly(Map.entry("predastore/predastore-node.jar", 0644),
                Map.entry("predastore/cluster.toml", 0600), Map.entry("predastore/tls/ca.pem", 0644),
                Map.entry("predastore/tls/node-1.pem", 0644), Map.entry("predastore/tls/node-1.key", 0600),
                Map.entry("predastore/node-1/cluster.secret", 0600), Map.entry("predastore/tls/node-2.pem", 0644),
                Map.entry("predastore/tls/node-2.key", 0600), Map.entry("predastore/node-2/cluster.secret", 0600));
        assertThat(copies.get(0).local()).isEqualTo(jar);
        assertThat(copies.get(4).local()).isEqualTo(config.node(1).tlsKey());
    }

    @Test
    void javaVersions_areReadFromTheFirstLineOfJavaVersion() {
        assertThat(RemoteNodes.majorVersion("openjdk version \"17.0.9\" 2023-10-17")).isEqualTo(17);
        assertThat(RemoteNodes.majorVersion("openjdk version \"21\" 2023-09-19")).isEqualTo(21);
        assertThat(RemoteNodes.majorVersion("java version \"1.8.0_392\"")).isEqualTo(8);
        assertThat(RemoteNodes.majorVersion("bash: java: command not found")).isEqualTo(-1);
    }

    @Test
    void hostCheck_saysWhatToInstall_orWhatIsWrong() {
        SshTarget target = SshTarget.parse("admin@10.0.0.5");
        assertThat(new RemoteNodes.HostCheck("Linux", "x86_64", "/usr/bin/java", "openjdk version \"17\"", List.of())
                .problem(target)).isNull();
        assertThat(new RemoteNodes.HostCheck("Linux", "aarch64", null, null,
                List.of("/usr/bin/java (openjdk version \"11.0.2\")")).problem(target))
                .startsWith("no Java 17 or newer on admin@10.0.0.5:22 (looked for `java` on the PATH and under "
                        + "/usr/lib/jvm; found only /usr/bin/java (openjdk version \"11.0.2\")). Install one there, "
                        + "e.g. `sudo apt install openjdk-17-jre-headless`");
        assertThat(new RemoteNodes.HostCheck("Darwin", "arm64", "/usr/bin/java", "17", List.of()).problem(target))
                .isEqualTo("admin@10.0.0.5:22 runs Darwin, not Linux: nodes run on Linux hosts only");
        assertThat(new RemoteNodes.HostCheck("Linux", "riscv64", "/usr/bin/java", "17", List.of()).problem(target))
                .isEqualTo("admin@10.0.0.5:22 is a riscv64 machine: nodes run on x86-64 and arm64 only");
    }

    @Test
    void check_aLoginTheSshLayerRefuses_isNamedWithItsNode() throws Exception {
        ClusterConfig config = DevClusterInit.createRemote(tmp.resolve("c"), logins("admin@10.0.0.5"),
                new ErasureConfig(1, 0), 9001, SshConfig.DEFAULTS);
        Path file = config.file();
        Files.writeString(file, Files.readString(file).replace("admin@10.0.0.5:22", "admin@10.0.0.5:99999"));
        ClusterConfig edited = ClusterConfigLoader.load(file);
        assertThatThrownBy(() -> RemoteNodes.check(edited)).isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("node[0].ssh = \"admin@10.0.0.5:99999\": the port of 'admin@10.0.0.5:99999' "
                        + "is '99999', not a number from 1 to 65535");
    }

    private static X509Certificate readCert(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
