package io.predastore.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigWriterTest {
    @TempDir
    Path dir;

    @Test
    void write_thenLoad_roundTrips() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path elsewhere = base.getRoot().resolve("srv").resolve("ca.pem");
        ClusterConfig config = new ClusterConfig("dev \"quoted\" \\ name", "eu-west-1", TransportKind.QUIC,
                new ErasureConfig(2, 1), new CredentialsConfig("AK", "S\tK", "AAK", "ASK"), new TlsConfig(elsewhere),
                List.of(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020)), null);
        Path file = base.resolve("cluster.toml");

        ClusterConfigWriter.write(config, file);
        ClusterConfig loaded = ClusterConfigLoader.load(file);

        assertThat(loaded).isEqualTo(config.withFile(file));
        String text = Files.readString(file);
        assertThat(text).contains("data_dir = \"node-1\"", "tls_cert = \"tls/node-2.pem\"", "[[node]]",
                "ca_cert = " + ClusterConfigWriter.quote(elsewhere.toString()));
    }

    @Test
    void write_sshLoginsAndTable_roundTrip() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        SshConfig ssh = new SshConfig(base.resolve("keys").resolve("id"), base.getRoot().resolve("kh"), "/srv/p");
        ClusterConfig config = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(1, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("tls/ca.pem")),
                RaftConfig.DEFAULTS, StorageConfig.DEFAULTS, TuningConfig.DEFAULTS,
                List.of(node(base, 1, 9000).withSsh("admin@10.0.0.5"), node(base, 2, 9010).withSsh("ops@[fd00::5]:22")),
                ssh, null);
        Path file = base.resolve("cluster.toml");

        ClusterConfigWriter.write(config, file);

        assertThat(ClusterConfigLoader.load(file)).isEqualTo(config.withFile(file));
        assertThat(Files.readString(file)).contains("[ssh]\nidentity = \"keys/id\"\n", "remote_dir = \"/srv/p\"",
                "id = 1\nssh = \"admin@10.0.0.5\"\nhost = ");
    }

    @Test
    void write_raftSizing_roundTripsAndDefaultsAreNotWritten() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        List<NodeConfig> nodes = List.of(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020));
        ClusterConfig tuned = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")),
                new RaftConfig(100, 65536), nodes, null);
        ClusterConfigWriter.write(tuned, file);
        assertThat(ClusterConfigLoader.load(file)).isEqualTo(tuned.withFile(file));
        assertThat(Files.readString(file)).contains("[raft]\nsnapshot_every = 100\nlog_segment_bytes = 65536\n");

        ClusterConfig plain = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")), nodes, null);
        ClusterConfigWriter.write(plain, file);
        assertThat(Files.readString(file)).doesNotContain("[raft]");
        assertThat(ClusterConfigLoader.load(file).raft()).isEqualTo(RaftConfig.DEFAULTS);
    }

    @Test
    void write_storageReserve_roundTripsAndTheDefaultIsNotWritten() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        List<NodeConfig> nodes = List.of(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020));
        ClusterConfig reserved = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")),
                RaftConfig.DEFAULTS, new StorageConfig(64L << 20), nodes, null);
        ClusterConfigWriter.write(reserved, file);
        assertThat(ClusterConfigLoader.load(file)).isEqualTo(reserved.withFile(file));
        assertThat(Files.readString(file)).contains("[storage]\nreserve_bytes = 67108864\n");

        ClusterConfig plain = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")), nodes, null);
        ClusterConfigWriter.write(plain, file);
        assertThat(Files.readString(file)).doesNotContain("[storage]");
        assertThat(ClusterConfigLoader.load(file).storage()).isEqualTo(StorageConfig.DEFAULTS);
    }

    @Test
    void write_writeQuorum_roundTripsAndTheDefaultIsNotWritten() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        List<NodeConfig> nodes = List.of(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020));
        ClusterConfig quorum = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(1, 2, 2),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")), nodes, null);
        ClusterConfigWriter.write(quorum, file);
        assertThat(ClusterConfigLoader.load(file)).isEqualTo(quorum.withFile(file));
        assertThat(Files.readString(file)).contains("parity = 2\nwrite_quorum = 2\n");

        ClusterConfig full = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(1, 2),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("ca.pem")), nodes, null);
        ClusterConfigWriter.write(full, file);
        assertThat(Files.readString(file)).doesNotContain("write_quorum");
    }

    @Test
    void write_httpTls_roundTripsAndIsAlwaysSpelledOut() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        NodeConfig publicCert = new NodeConfig(3, "10.0.0.3", 9021, 9022, 9023, 9024, base.resolve("node-3"),
                base.resolve("tls/node-3.pem"), base.resolve("tls/node-3.key"), base.resolve("s3/public.pem"),
                base.resolve("s3/public.key"), false);
        ClusterConfig config = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("tls/ca.pem")),
                List.of(node(base, 1, 9000).withHttpTls(true), node(base, 2, 9010), publicCert), null);
        ClusterConfigWriter.write(config, file);
        assertThat(ClusterConfigLoader.load(file)).isEqualTo(config.withFile(file));
        assertThat(Files.readString(file)).contains(
                "tls_key = \"tls/node-1.key\"\ns3_tls_cert = \"tls/node-1.pem\"\ns3_tls_key = \"tls/node-1.key\"\n"
                        + "admin_tls = true\n",
                "tls_key = \"tls/node-2.key\"\nadmin_tls = false\n",
                "s3_tls_cert = \"s3/public.pem\"\ns3_tls_key = \"s3/public.key\"\nadmin_tls = false\n");
    }

    @Test
    void quote_escapesTomlSpecials() {
        assertThat(ClusterConfigWriter.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void credentials_toString_hidesSecrets() {
        assertThat(new CredentialsConfig("AK", "secret1", "AAK", "secret2").toString())
                .contains("AK", "AAK").doesNotContain("secret1", "secret2");
    }

    @Test
    void withNode_thenWithoutNode_keepTheRestOfTheFileAsItWas() throws IOException {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        ClusterConfig config = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("tls/ca.pem")),
                List.of(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020)), null);
        // A file as a user keeps it: comments, and a table after the nodes.
        String text = "# our dev cluster\n" + ClusterConfigWriter.toToml(config, base)
                + "  # the last node's note\n\n[tuning]\ns3_max_connections = 64   # fewer\n";
        NodeConfig fourth = node(base, 4, 9030).withHttpTls(true);

        String added = ClusterConfigWriter.withNode(text, fourth, file);

        assertThat(added).startsWith(text).endsWith("\n[[node]]\nid = 4\nhost = \"127.0.0.1\"\ns3_port = 9031\n"
                + "raft_port = 9032\nshard_port = 9033\nadmin_port = 9034\ndata_dir = \"node-4\"\n"
                + "tls_cert = \"tls/node-4.pem\"\ntls_key = \"tls/node-4.key\"\ns3_tls_cert = \"tls/node-4.pem\"\n"
                + "s3_tls_key = \"tls/node-4.key\"\nadmin_tls = true\n");
        ClusterConfig read = ClusterConfigLoader.parse(added, file);
        assertThat(read.nodes()).containsExactly(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020),
                fourth);
        assertThat(read.tuning().s3MaxConnections()).isEqualTo(64);

        String removed = ClusterConfigWriter.withoutNode(added, 4, file);
        assertThat(removed).isEqualTo(text);

        String middle = ClusterConfigWriter.withoutNode(added, 2, file);
        assertThat(ClusterConfigLoader.parse(middle, file).nodes()).containsExactly(node(base, 1, 9000),
                node(base, 3, 9020), fourth);
        assertThat(middle).startsWith("# our dev cluster\n").contains("s3_max_connections = 64   # fewer\n")
                .doesNotContain("node-2");
    }

    @Test
    void withoutNode_unknownIdOrTooFewNodesLeft_isRefusedSayingWhy() {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        ClusterConfig config = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(2, 1),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("tls/ca.pem")),
                List.of(node(base, 1, 9000), node(base, 2, 9010), node(base, 3, 9020)), null);
        String text = ClusterConfigWriter.toToml(config, base);

        assertThatThrownBy(() -> ClusterConfigWriter.withoutNode(text, 7, file))
                .isInstanceOf(ClusterConfigException.class).hasMessageContaining("has no [[node]] table with a "
                        + "line 'id = 7'; remove node 7 by hand");
        assertThatThrownBy(() -> ClusterConfigWriter.withoutNode(text, 2, file))
                .isInstanceOf(ClusterConfigException.class)
                .hasMessageContaining("data + parity = 3 needs at least 3 nodes, but the cluster file lists 2");
    }

    @Test
    void withNode_aNodeThatClashes_isRefusedAndTheTextIsNotReturned() {
        Path base = dir.toAbsolutePath().normalize();
        Path file = base.resolve("cluster.toml");
        ClusterConfig config = new ClusterConfig("dev", "us-east-1", TransportKind.TLS, new ErasureConfig(1, 0),
                new CredentialsConfig("AK", "SK", "AAK", "ASK"), new TlsConfig(base.resolve("tls/ca.pem")),
                List.of(node(base, 1, 9000)), null);
        String text = ClusterConfigWriter.toToml(config, base);

        assertThatThrownBy(() -> ClusterConfigWriter.withNode(text, node(base, 2, 9000), file))
                .isInstanceOf(ClusterConfigException.class).hasMessageContaining("9001");
    }

    static NodeConfig node(Path base, int id, int port) {
        return new NodeConfig(id, "127.0.0.1", port + 1, port + 2, port + 3, port + 4, base.resolve("node-" + id),
                base.resolve("tls/node-" + id + ".pem"), base.resolve("tls/node-" + id + ".key"));
    }
}
