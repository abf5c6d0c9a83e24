package io.predastore.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigLoaderTest {
    @TempDir
    Path dir;

    static String node(int id, int base) {
        return "\n[[node]]\n"
                + "id = " + id + "\n"
                + "host = \"127.0.0.1\"\n"
                + "s3_port = " + (base + 1) + "\n"
                + "raft_port = " + (base + 2) + "\n"
                + "shard_port = " + (base + 3) + "\n"
                + "admin_port = " + (base + 4) + "\n"
                + "data_dir = \"node-" + id + "\"\n"
                + "tls_cert = \"tls/node-" + id + ".pem\"\n"
                + "tls_key = \"tls/node-" + id + ".key\"\n";
    }

    static String header(int data, int parity) {
        return "cluster = \"dev\"\n"
                + "region = \"us-east-1\"\n"
                + "transport = \"tls\"\n"
                + "[rs]\n"
                + "data = " + data + "\n"
                + "parity = " + parity + "\n"
                + "[credentials]\n"
                + "access_key = \"AK\"\n"
                + "secret_key = \"SK\"\n"
                + "admin_access_key = \"AAK\"\n"
                + "admin_secret_key = \"ASK\"\n"
                + "[tls]\n"
                + "ca_cert = \"tls/ca.pem\"\n";
    }

    static String valid() {
        StringBuilder sb = new StringBuilder(header(3, 2));
        for (int i = 1; i <= 5; i++) {
            sb.append(node(i, 9000 + 10 * i));
        }
        return sb.toString();
    }

    Path write(String text) throws IOException {
        Path file = dir.resolve("cluster.toml");
        Files.writeString(file, text);
        return file;
    }

    ClusterConfigException failure(String text) throws IOException {
        Path file = write(text);
        try {
            ClusterConfigLoader.load(file);
        } catch (ClusterConfigException e) {
            return e;
        }
        throw new AssertionError("expected the cluster file to be refused:\n" + text);
    }

    String prefix() {
        return "cluster file " + dir.resolve("cluster.toml").toAbsolutePath().normalize();
    }

    @Test
    void load_validFile_resolvesPathsAgainstItsDirectory() throws IOException {
        ClusterConfig config = ClusterConfigLoader.load(write(valid()));

        Path base = dir.toAbsolutePath().normalize();
        assertThat(config.cluster()).isEqualTo("dev");
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.transport()).isEqualTo(TransportKind.TLS);
        assertThat(config.rs()).isEqualTo(new ErasureConfig(3, 2));
        assertThat(config.credentials()).isEqualTo(new CredentialsConfig("AK", "SK", "AAK", "ASK"));
        assertThat(config.tls().caCert()).isEqualTo(base.resolve("tls/ca.pem"));
        assertThat(config.nodes()).hasSize(5);
        NodeConfig n2 = config.node(2);
        assertThat(n2).isEqualTo(new NodeConfig(2, "127.0.0.1", 9021, 9022, 9023, 9024, base.resolve("node-2"),
                base.resolve("tls/node-2.pem"), base.resolve("tls/node-2.key")));
        assertThat(n2.s3Endpoint()).isEqualTo("http://127.0.0.1:9021");
        assertThat(config.file()).isEqualTo(base.resolve("cluster.toml"));
        assertThat(config.directory()).isEqualTo(base);
    }

    @Test
    void load_quicTransport_isAccepted() throws IOException {
        ClusterConfig config = ClusterConfigLoader.load(write(valid().replace("\"tls\"\n[rs]", "\"quic\"\n[rs]")));
        assertThat(config.transport()).isEqualTo(TransportKind.QUIC);
    }

    @Test
    void node_unknownId_listsTheValidIds() throws IOException {
        ClusterConfig config = ClusterConfigLoader.load(write(valid()));
        assertThatThrownBy(() -> config.node(7)).isInstanceOf(ClusterConfigException.class)
                .hasMessage("node 7 is not in " + prefix() + "; its nodes are 1, 2, 3, 4, 5");
    }

    @Test
    void missingFile_isNamed() {
        Path missing = dir.resolve("nope.toml").toAbsolutePath().normalize();
        assertThatThrownBy(() -> ClusterConfigLoader.load(missing)).isInstanceOf(ClusterConfigException.class)
                .hasMessage("cluster file " + missing + ": not found");
    }

    @Test
    void duplicateNodeId_isRefused() throws IOException {
        String text = header(1, 0) + node(1, 9000) + node(1, 9010);
        ClusterConfigException e = failure(text);
        assertThat(e).hasMessage(prefix() + ", line 27: node[1].id = 1: duplicate node id (also used by node[0])");
        assertThat(e.key()).isEqualTo("node[1].id");
        assertThat(e.value()).isEqualTo("1");
        assertThat(e.line()).isEqualTo(27);
    }

    @Test
    void duplicateHostPort_acrossNodes_isRefused() throws IOException {
        String second = node(2, 9010).replace("shard_port = 9013", "shard_port = 9002");
        ClusterConfigException e = failure(header(1, 0) + node(1, 9000) + second);
        assertThat(e).hasMessage(prefix()
                + ", line 31: node[1].shard_port = 9002: 127.0.0.1:9002 is already used by node[0].raft_port");
    }

    @Test
    void duplicatePort_withinOneNode_isRefused() throws IOException {
        ClusterConfigException e = failure(header(1, 0) + node(1, 9000).replace("admin_port = 9004",
                "admin_port = 9001"));
        assertThat(e).hasMessage(prefix()
                + ", line 21: node[0].admin_port = 9001: 127.0.0.1:9001 is already used by node[0].s3_port");
    }

    @Test
    void samePort_onDifferentHosts_isAllowed() throws IOException {
        String second = node(2, 9000).replace("127.0.0.1", "127.0.0.2");
        ClusterConfig config = ClusterConfigLoader.load(write(header(1, 1) + node(1, 9000) + second));
        assertThat(config.nodes()).hasSize(2);
    }

    @Test
    void moreShardsThanNodes_isRefused() throws IOException {
        ClusterConfigException e = failure(header(3, 3) + node(1, 9000) + node(2, 9010));
        assertThat(e).hasMessage(prefix() + ", line 4: rs = { data = 3, parity = 3 }: data + parity = 6 needs at "
                + "least 6 nodes, but the cluster file lists 2");
    }

    @Test
    void dataBelowOne_isRefused() throws IOException {
        assertThat(failure(header(0, 0) + node(1, 9000)))
                .hasMessage(prefix() + ", line 5: rs.data = 0: must be at least 1");
    }

    @Test
    void negativeParity_isRefused() throws IOException {
        assertThat(failure(header(1, -1) + node(1, 9000)))
                .hasMessage(prefix() + ", line 6: rs.parity = -1: must not be negative");
    }

    @Test
    void unknownTopLevelKey_isNamed() throws IOException {
        ClusterConfigException e = failure("colour = \"blue\"\n" + valid());
        assertThat(e.getMessage()).startsWith(prefix() + ", line 1: colour: unknown key (known keys here: cluster, "
                + "credentials, node, raft, region, rs, ssh, storage, tls, transport, tuning)");
    }

    @Test
    void unknownNodeKey_isNamedWithItsNode() throws IOException {
        ClusterConfigException e = failure(header(1, 0) + node(1, 9000).replace("s3_port", "s3port"));
        assertThat(e.key()).isEqualTo("node[0].s3port");
        assertThat(e.getMessage()).startsWith(prefix() + ", line 18: node[0].s3port: unknown key (known keys here: "
                + "admin_port, admin_tls, data_dir, host, id, raft_port, s3_port, s3_tls_cert, s3_tls_key, shard_port, "
                + "ssh, tls_cert, tls_key)");
    }

    @Test
    void sshLoginsAndTable_areRead_andDefaultWithoutThem() throws IOException {
        ClusterConfig local = ClusterConfigLoader.load(write(valid()));
        assertThat(local.ssh()).isEqualTo(SshConfig.DEFAULTS);
        assertThat(local.ssh().remoteDirOrDefault()).isEqualTo("predastore");
        assertThat(local.hasRemoteNodes()).isFalse();

        String text = header(2, 1) + "[ssh]\nidentity = \"keys/id_ed25519\"\nknown_hosts = \"/etc/kh\"\n"
                + "remote_dir = \"/srv/predastore/\"\n" + node(1, 9000).replace("id = 1\n",
                        "id = 1\nssh = \"admin@10.0.0.5:2222\"\n") + node(2, 9010) + node(3, 9020);
        ClusterConfig remote = ClusterConfigLoader.load(write(text));
        assertThat(remote.ssh().identity()).isEqualTo(dir.resolve("keys/id_ed25519").toAbsolutePath().normalize());
        assertThat(remote.ssh().knownHosts()).isEqualTo(Path.of("/etc/kh"));
        assertThat(remote.ssh().remoteDir()).isEqualTo("/srv/predastore");
        assertThat(remote.node(1).ssh()).isEqualTo("admin@10.0.0.5:2222");
        assertThat(remote.node(1).remote()).isTrue();
        assertThat(remote.node(2).remote()).isFalse();
        assertThat(remote.hasRemoteNodes()).isTrue();
    }

    @Test
    void sshLoginWithoutUser_orBlankRemoteDir_isRefusedSayingWhatToWrite() throws IOException {
        ClusterConfigException login = failure(header(1, 0) + node(1, 9000).replace("id = 1\n",
                "id = 1\nssh = \"10.0.0.5\"\n"));
        assertThat(login).hasMessageStartingWith(prefix() + ", line 17: node[0].ssh = \"10.0.0.5\": must be the SSH "
                + "login USER@HOST[:PORT] of the machine the node runs on");
        ClusterConfigException dir = failure(header(1, 0) + "[ssh]\nremote_dir = \" \"\n" + node(1, 9000));
        assertThat(dir).hasMessageStartingWith(prefix() + ", line 15: ssh.remote_dir = \" \": is blank");
        ClusterConfigException key = failure(header(1, 0) + "[ssh]\nuser = \"admin\"\n" + node(1, 9000));
        assertThat(key).hasMessageStartingWith(prefix() + ", line 15: ssh.user: unknown key (known keys here: "
                + "identity, known_hosts, remote_dir)");
    }

    @Test
    void missingTopLevelKey_isNamed() throws IOException {
        assertThat(failure(valid().replace("region = \"us-east-1\"\n", "")))
                .hasMessage(prefix() + ": region: missing required key");
    }

    @Test
    void missingTable_isNamed() throws IOException {
        String text = valid().replace("[tls]\nca_cert = \"tls/ca.pem\"\n", "");
        assertThat(failure(text)).hasMessage(prefix() + ": tls: missing required key");
    }

    @Test
    void missingNodes_isRefused() throws IOException {
        assertThat(failure(header(1, 0))).hasMessage(prefix()
                + ": node: missing required key: the cluster file needs at least one [[node]] table");
    }

    @Test
    void missingNodeKey_pointsAtItsNode() throws IOException {
        String text = header(1, 0) + node(1, 9000) + node(2, 9010).replace("raft_port = 9012\n", "");
        assertThat(failure(text)).hasMessage(prefix() + ", line 26: node[1].raft_port: missing required key");
    }

    @Test
    void missingCredential_isNamed() throws IOException {
        assertThat(failure(valid().replace("admin_secret_key = \"ASK\"\n", "")))
                .hasMessage(prefix() + ", line 7: credentials.admin_secret_key: missing required key");
    }

    @Test
    void missingRsKey_isNamed() throws IOException {
        assertThat(failure(valid().replace("parity = 2\n", "")))
                .hasMessage(prefix() + ", line 4: rs.parity: missing required key");
    }

    @Test
    void portAboveRange_isRefused() throws IOException {
        assertThat(failure(header(1, 0) + node(1, 9000).replace("s3_port = 9001", "s3_port = 70000")))
                .hasMessage(prefix() + ", line 18: node[0].s3_port = 70000: must be a port between 1 and 65535");
    }

    @Test
    void portZero_isRefused() throws IOException {
        assertThat(failure(header(1, 0) + node(1, 9000).replace("admin_port = 9004", "admin_port = 0")))
                .hasMessage(prefix() + ", line 21: node[0].admin_port = 0: must be a port between 1 and 65535");
    }

    @Test
    void emptyHost_isRefused() throws IOException {
        assertThat(failure(header(1, 0) + node(1, 9000).replace("host = \"127.0.0.1\"", "host = \"\"")))
                .hasMessage(prefix() + ", line 17: node[0].host = \"\": must not be empty");
    }

    @Test
    void nodeIdBelowOne_isRefused() throws IOException {
        assertThat(failure(header(1, 0) + node(0, 9000)))
                .hasMessage(prefix() + ", line 16: node[0].id = 0: must be at least 1");
    }

    @Test
    void unknownTransport_isRefused() throws IOException {
        assertThat(failure(valid().replace("transport = \"tls\"", "transport = \"udp\"")))
                .hasMessage(prefix() + ", line 3: transport = \"udp\": must be one of \"tls\", \"quic\"");
    }

    @Test
    void wrongType_isNamed() throws IOException {
        ClusterConfigException e = failure(header(1, 0) + node(1, 9000).replace("s3_port = 9001",
                "s3_port = \"high\""));
        assertThat(e.getMessage()).startsWith(prefix() + ", line 18: node[0].s3_port = \"high\": must be an integer");
    }

    @Test
    void invalidToml_reportsTheParserLine() throws IOException {
        ClusterConfigException e = failure(valid().replace("parity = 2", "parity = = 2"));
        assertThat(e.getMessage()).startsWith(prefix() + ", line 6: not valid TOML: ");
    }

    @Test
    void emptyPath_isRefused() throws IOException {
        assertThat(failure(header(1, 0) + node(1, 9000).replace("data_dir = \"node-1\"", "data_dir = \"\"")))
                .hasMessage(prefix() + ", line 22: node[0].data_dir = \"\": must not be empty");
    }

    /** The header with a {@code [raft]} table of the given lines appended after {@code [tls]}. */
    static String withRaft(String raftLines) {
        StringBuilder sb = new StringBuilder(header(3, 2)).append("[raft]\n").append(raftLines);
        for (int i = 1; i <= 5; i++) {
            sb.append(node(i, 9000 + 10 * i));
        }
        return sb.toString();
    }

    /** The header with a {@code [storage]} table of the given lines appended after {@code [tls]}. */
    static String withStorage(String storageLines) {
        StringBuilder sb = new StringBuilder(header(3, 2)).append("[storage]\n").append(storageLines);
        for (int i = 1; i <= 5; i++) {
            sb.append(node(i, 9000 + 10 * i));
        }
        return sb.toString();
    }

    @Test
    void storage_absent_usesTheDefaultReserve() throws IOException {
        assertThat(ClusterConfigLoader.load(write(valid())).storage()).isEqualTo(StorageConfig.DEFAULTS);
        assertThat(StorageConfig.DEFAULTS.reserveBytes()).isNull();
    }

    @Test
    void storage_reserveBytes_isRead() throws IOException {
        assertThat(ClusterConfigLoader.load(write(withStorage("reserve_bytes = 268435456\n"))).storage())
                .isEqualTo(new StorageConfig(256L << 20));
    }

    @Test
    void storage_tinyReserve_isRefusedWithItsLine() throws IOException {
        assertThat(failure(withStorage("reserve_bytes = 1000\n")))
                .hasMessage(prefix() + ", line 15: storage.reserve_bytes = 1000: must be at least 4194304 (4 MiB); "
                        + "leave it out for the default");
    }

    @Test
    void storage_unknownKey_isNamed() throws IOException {
        assertThat(failure(withStorage("reserve = \"1GiB\"\n")).getMessage())
                .startsWith(prefix() + ", line 15: storage.reserve: unknown key (known keys here: reserve_bytes)");
    }

    @Test
    void raft_absent_usesTheDefaults() throws IOException {
        assertThat(ClusterConfigLoader.load(write(valid())).raft()).isEqualTo(RaftConfig.DEFAULTS);
        assertThat(RaftConfig.DEFAULTS).isEqualTo(new RaftConfig(10_000, 8L << 20));
    }

    @Test
    void raft_snapshotEveryAndSegmentSize_areRead() throws IOException {
        ClusterConfig config = ClusterConfigLoader.load(write(withRaft("snapshot_every = 200\n"
                + "log_segment_bytes = 65536\n")));
        assertThat(config.raft()).isEqualTo(new RaftConfig(200, 65536));
    }

    @Test
    void raft_oneKeyOnly_keepsTheOtherDefault() throws IOException {
        assertThat(ClusterConfigLoader.load(write(withRaft("snapshot_every = 50\n"))).raft())
                .isEqualTo(new RaftConfig(50, RaftConfig.DEFAULTS.logSegmentBytes()));
    }

    @Test
    void raft_snapshotEveryZero_isRefusedWithItsLine() throws IOException {
        assertThat(failure(withRaft("snapshot_every = 0\n")))
                .hasMessage(prefix() + ", line 15: raft.snapshot_every = 0: must be at least 1");
    }

    @Test
    void raft_tinySegment_isRefusedWithItsLine() throws IOException {
        assertThat(failure(withRaft("snapshot_every = 10\nlog_segment_bytes = 1000\n")))
                .hasMessage(prefix() + ", line 16: raft.log_segment_bytes = 1000: must be between 16384 and "
                        + "1073741824");
    }

    @Test
    void raft_notANumber_isRefused() throws IOException {
        assertThat(failure(withRaft("snapshot_every = \"often\"\n")).getMessage())
                .startsWith(prefix() + ", line 15: raft.snapshot_every = \"often\": must be an integer");
    }

    @Test
    void raft_unknownKey_listsTheKnownOnes() throws IOException {
        assertThat(failure(withRaft("snapshot-every = 10\n")).getMessage()).startsWith(prefix()
                + ", line 15: raft.snapshot-every: unknown key (known keys here: log_segment_bytes, snapshot_every)");
    }

    @Test
    void rs_writeQuorum_defaultsToEveryShard() throws IOException {
        ErasureConfig rs = ClusterConfigLoader.load(write(valid())).rs();
        assertThat(rs.writeQuorum()).isEqualTo(5);
        assertThat(rs.allowsDegradedWrites()).isFalse();
    }

    @Test
    void rs_writeQuorum_isRead() throws IOException {
        ErasureConfig rs = ClusterConfigLoader.load(write(valid().replace("parity = 2\n",
                "parity = 2\nwrite_quorum = 4\n"))).rs();
        assertThat(rs).isEqualTo(new ErasureConfig(3, 2, 4));
        assertThat(rs.allowsDegradedWrites()).isTrue();
    }

    @Test
    void rs_writeQuorumOfOnlyTheDataShards_isRefusedWithItsLine() throws IOException {
        assertThat(failure(valid().replace("parity = 2\n", "parity = 2\nwrite_quorum = 3\n")))
                .hasMessage(prefix() + ", line 7: rs.write_quorum = 3: must be between 4 (data + 1, so every object "
                        + "survives one more loss) and 5 (data + parity)");
    }

    @Test
    void rs_writeQuorumAboveTheWidth_isRefused() throws IOException {
        assertThat(failure(valid().replace("parity = 2\n", "parity = 2\nwrite_quorum = 6\n")).getMessage())
                .contains("rs.write_quorum = 6: must be between 4");
    }

    /** Node 1 of a one-node file with {@code extra} lines appended to its table. */
    String withNodeLines(String extra) {
        return header(1, 0) + node(1, 9000) + extra;
    }

    @Test
    void node_httpTls_isReadAndTheEndpointsSayHttps() throws IOException {
        ClusterConfig config = ClusterConfigLoader.load(write(withNodeLines(
                "s3_tls_cert = \"s3/public.pem\"\ns3_tls_key = \"s3/public.key\"\nadmin_tls = true\n")));
        Path base = dir.toAbsolutePath().normalize();
        NodeConfig n = config.node(1);
        assertThat(n.s3Tls()).isTrue();
        assertThat(n.s3TlsCert()).isEqualTo(base.resolve("s3/public.pem"));
        assertThat(n.s3TlsKey()).isEqualTo(base.resolve("s3/public.key"));
        assertThat(n.adminTls()).isTrue();
        assertThat(n.s3Endpoint()).isEqualTo("https://127.0.0.1:9001");
        assertThat(n.adminEndpoint()).isEqualTo("https://127.0.0.1:9004");
    }

    @Test
    void node_httpTlsKeysAbsent_servePlainHttp() throws IOException {
        NodeConfig n = ClusterConfigLoader.load(write(valid())).node(1);
        assertThat(n.s3Tls()).isFalse();
        assertThat(n.adminTls()).isFalse();
        assertThat(n.adminEndpoint()).isEqualTo("http://127.0.0.1:9014");
    }

    @Test
    void node_s3CertificateWithoutItsKey_isRefusedWithItsNode() throws IOException {
        assertThat(failure(withNodeLines("s3_tls_cert = \"s3.pem\"\n")).getMessage())
                .isEqualTo(prefix() + ", line 15: node[0].s3_tls_key: missing: s3_tls_cert needs its key in "
                        + "s3_tls_key");
        assertThat(failure(withNodeLines("s3_tls_key = \"s3.key\"\n")).getMessage())
                .contains("node[0].s3_tls_cert: missing: s3_tls_key needs its certificate in s3_tls_cert");
    }

    @Test
    void node_adminTlsNotABoolean_isRefused() throws IOException {
        assertThat(failure(withNodeLines("admin_tls = \"yes\"\n")).getMessage())
                .startsWith(prefix() + ", line 25: node[0].admin_tls = \"yes\": must be true or false");
    }
}
