package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.cli.Main;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClusterCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void init_writesTheClusterAndPrintsASummary() throws Exception {
        Path dir = tmp.resolve("dev");

        Run run = run("cluster", "init", "--nodes", "5", "--data", "3", "--parity", "2", "--dir", dir.toString(),
                "--base-port", "0");

        assertThat(run.code()).as(run.err()).isZero();
        ClusterConfig config = ClusterConfigLoader.load(dir.resolve("cluster.toml"));
        assertThat(config.nodes()).hasSize(5);
        Path base = dir.toAbsolutePath().normalize();
        assertThat(run.out()).contains("Created dev cluster \"dev\" in " + base,
                "Cluster file:      " + base.resolve("cluster.toml"),
                "Erasure coding:    3 data + 2 parity",
                "CA certificate:    " + base.resolve("tls/ca.pem"),
                "Credentials:       in [credentials] of " + base.resolve("cluster.toml"),
                "cluster up --dir " + dir);
        for (var node : config.nodes()) {
            assertThat(run.out()).containsPattern("(?m)^" + node.id() + "\\s+127\\.0\\.0\\.1\\s+" + node.s3Port()
                    + "\\s+" + node.raftPort() + "\\s+" + node.shardPort() + "\\s+" + node.adminPort()
                    + "\\s+node-" + node.id() + "$");
        }
        assertThat(run.out()).doesNotContain(config.credentials().secretKey());
    }

    @Test
    void init_writeQuorum_isWrittenToTheClusterFile() throws Exception {
        Path dir = tmp.resolve("quorum");
        Run run = run("cluster", "init", "--dir", dir.toString(), "--base-port", "0", "--write-quorum", "4");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(ClusterConfigLoader.load(dir.resolve("cluster.toml")).rs().writeQuorum()).isEqualTo(4);
        assertThat(run.out()).contains("3 data + 2 parity, writes go on with 4 shards while nodes are down");
    }

    @Test
    void init_writeQuorumBelowDataPlusOne_isRefusedAndWritesNothing() {
        Path dir = tmp.resolve("low");
        Run run = run("cluster", "init", "--dir", dir.toString(), "--base-port", "0", "--write-quorum", "3");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("rs.write_quorum = 3: must be between 4");
        assertThat(dir.resolve("cluster.toml")).doesNotExist();
    }

    @Test
    void init_twice_refusesToOverwrite() {
        Path dir = tmp.resolve("dev");
        assertThat(run("cluster", "init", "--nodes", "1", "--data", "1", "--parity", "0", "--dir", dir.toString(),
                "--base-port", "0").code()).isZero();

        Run again = run("cluster", "init", "--nodes", "1", "--data", "1", "--parity", "0", "--dir", dir.toString(),
                "--base-port", "0");

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("error: " + dir.toAbsolutePath().normalize().resolve("cluster.toml")
                + " already exists; a cluster is not overwritten");
    }

    @Test
    void init_impossibleLayout_isAUsageError() {
        Run run = run("cluster", "init", "--nodes", "2", "--data", "3", "--parity", "2", "--dir",
                tmp.resolve("x").toString(), "--base-port", "0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("data + parity = 5 needs at least 5 nodes, but the cluster file lists 2");
    }

    @Test
    void statusAndDown_onAStoppedCluster_reportEveryNode() {
        Path dir = tmp.resolve("dev");
        run("cluster", "init", "--nodes", "3", "--data", "2", "--parity", "1", "--dir", dir.toString(),
                "--base-port", "0");

        Run status = run("cluster", "status", "--dir", dir.toString());
        Run down = run("cluster", "down", "--dir", dir.toString());

        assertThat(status.code()).isZero();
        assertThat(status.out()).containsPattern("(?m)^1\\s+\\?\\s+stopped\\s+-\\s+127\\.0\\.0\\.1:\\d+.*no$");
        assertThat(status.out().lines().filter(l -> l.contains("stopped")).count()).isEqualTo(3);
        assertThat(down.code()).isZero();
        assertThat(down.out()).contains("node 1: not running", "node 2: not running", "node 3: not running");
    }

    @Test
    void statusWithLogLines_showsTheTailOfEachNodesLog() throws Exception {
        Path dir = tmp.resolve("dev");
        run("cluster", "init", "--nodes", "3", "--data", "2", "--parity", "1", "--dir", dir.toString(),
                "--base-port", "0");
        Files.writeString(dir.resolve("logs/node-2.log"), "first\nsecond\nthird\n");

        Run status = run("cluster", "status", "--dir", dir.toString(), "--log-lines", "2");

        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("node 2 (" + dir.toAbsolutePath().normalize().resolve("logs/node-2.log")
                + "):\n  second\n  third\n");
    }

    @Test
    void credentials_printsShellExportsThatSurviveQuotes() {
        Path dir = tmp.resolve("dev");
        run("cluster", "init", "--nodes", "1", "--data", "1", "--parity", "0", "--dir", dir.toString(),
                "--base-port", "0");

        Run s3 = run("cluster", "credentials", "--dir", dir.toString());
        Run admin = run("cluster", "credentials", "--dir", dir.toString(), "--admin");
        Run up = run("cluster", "status", "--dir", dir.toString());

        assertThat(s3.code()).isZero();
        assertThat(s3.out()).containsPattern("(?m)^export AWS_ACCESS_KEY_ID='PS[A-Z0-9]+'$")
                .containsPattern("(?m)^export AWS_SECRET_ACCESS_KEY='[A-Za-z0-9]{40}'$")
                .contains("export AWS_DEFAULT_REGION='us-east-1'");
        assertThat(admin.out()).containsPattern("(?m)^export PREDASTORE_ADMIN_SECRET_KEY='[A-Za-z0-9]{40}'$");
        assertThat(up.out()).doesNotContain("SECRET");
    }

    @Test
    void up_withoutAClusterFile_saysHowToCreateOne() {
        Path dir = tmp.resolve("none");
        Run run = run("cluster", "up", "--dir", dir.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("cluster file " + dir.toAbsolutePath().normalize().resolve("cluster.toml")
                + ": not found", "predastore-node cluster init --dir " + dir);
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void replaceNode_refusesAnUnknownNode_andADirectoryThatIsNoNodes_touchingNothing() throws Exception {
        Path dir = tmp.resolve("c");
        assertThat(run("cluster", "init", "--nodes", "5", "--data", "3", "--parity", "2", "--dir", dir.toString(),
                "--base-port", "0").code()).isZero();

        Run unknown = run("cluster", "replace-node", "9", "--dir", dir.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("the cluster has no node 9");

        Path data = dir.resolve("node-2");
        java.nio.file.Files.delete(io.predastore.node.pki.ClusterSecret.fileIn(data));
        Path kept = java.nio.file.Files.createDirectories(data.resolve("shards")).resolve("keep-me");
        java.nio.file.Files.writeString(kept, "x");
        Run notANode = run("cluster", "replace-node", "2", "--dir", dir.toString(), "--force", "--jar",
                tmp.resolve("node.jar").toString());
        assertThat(notANode.code()).isEqualTo(1);
        assertThat(notANode.err()).contains("not replacing node 2").contains("is not a node data directory");
        assertThat(kept).hasContent("x");
    }

    @Test
    void initHosts_writesSshLogins_andSaysToDeploy() throws Exception {
        Path dir = tmp.resolve("remote");
        Path key = Files.writeString(tmp.resolve("id_test"), "not read by init");

        Run run = run("cluster", "init", "--dir", dir.toString(), "--hosts",
                "admin@10.0.0.5,admin@10.0.0.6,admin@10.0.0.5", "--data", "2", "--parity", "1", "--ssh-identity",
                key.toString(), "--remote-dir", "/srv/predastore");

        assertThat(run.code()).as(run.err()).isZero();
        ClusterConfig config = ClusterConfigLoader.load(dir.resolve("cluster.toml"));
        assertThat(config.nodes()).hasSize(3);
        assertThat(config.ssh().identity()).isEqualTo(key.toAbsolutePath());
        assertThat(config.ssh().remoteDir()).isEqualTo("/srv/predastore");
        assertThat(run.out()).containsPattern("(?m)^3\\s+10\\.0\\.0\\.5\\s+9005\\s+9006\\s+9007\\s+9008\\s+"
                + "admin@10\\.0\\.0\\.5:22$")
                .contains("cluster deploy --dir " + dir, "Files and data on each host: /srv/predastore");
    }

    @Test
    void initHosts_withOptionsThatDoNotFit_isRefusedSayingWhy() {
        String dir = tmp.resolve("bad").toString();
        assertThat(run("cluster", "init", "--dir", dir, "--hosts", "a@10.0.0.5,a@10.0.0.6", "--nodes", "3").err())
                .contains("--nodes 3 but --hosts names 2 login(s)");
        assertThat(run("cluster", "init", "--dir", dir, "--hosts", "a@10.0.0.5", "--nodes", "1", "--tls", "off")
                .err()).contains("--tls off does not go with --hosts");
        assertThat(run("cluster", "init", "--dir", dir, "--hosts", "a@10.0.0.5", "--data", "1", "--parity", "0",
                "--host", "10.0.0.9").err()).contains("--host and --hosts do not go together");
        assertThat(run("cluster", "init", "--dir", dir, "--hosts", "a@10.0.0.5,10.0.0.6", "--data", "1",
                "--parity", "0").err()).contains("--hosts, node 2: '10.0.0.6' names no user");
        assertThat(run("cluster", "init", "--dir", dir, "--remote-dir", "x").err())
                .contains("--ssh-identity, --ssh-known-hosts and --remote-dir go with --hosts");
        Run missingKey = run("cluster", "init", "--dir", dir, "--hosts", "a@10.0.0.5", "--data", "1", "--parity",
                "0", "--ssh-identity", tmp.resolve("nope").toString());
        assertThat(missingKey.code()).isEqualTo(2);
        assertThat(missingKey.err()).contains("no readable key file there");
        assertThat(tmp.resolve("bad").resolve("cluster.toml")).doesNotExist();
    }

    @Test
    void memberCommands_onAClusterWithRemoteNodes_refuseSayingSo() {
        Path dir = tmp.resolve("remote-members");
        assertThat(run("cluster", "init", "--dir", dir.toString(), "--hosts", "a@10.0.0.5,a@10.0.0.6", "--data", "1",
                "--parity", "1").code()).isZero();
        for (String[] args : List.of(new String[] {"add-node"}, new String[] {"remove-node", "2"},
                new String[] {"replace-node", "2"})) {
            List<String> command = new java.util.ArrayList<>(List.of("cluster"));
            command.addAll(List.of(args));
            command.addAll(List.of("--dir", dir.toString()));
            Run r = run(command.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("'cluster " + args[0] + "' works on clusters whose nodes all run on this "
                    + "machine");
        }
    }
}
