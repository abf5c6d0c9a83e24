package io.predastore.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.supervisor.PidFiles;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cluster add-node}, {@code remove-node} and the member states of {@code status}, on what can be decided
 * without a running cluster: refusals, their messages, and that a refused command leaves every file as it was.
 */
class MemberCommandsTest {
    @TempDir
    Path tmp;

    Path dir;

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

    @BeforeEach
    void init() {
        dir = tmp.resolve("c");
        Run init = run("cluster", "init", "--nodes", "5", "--data", "3", "--parity", "2", "--dir", dir.toString(),
                "--base-port", "0");
        assertThat(init.code()).as(init.err()).isZero();
    }

    @Test
    void addNode_withNoNodeRunning_saysToStartTheCluster_andMakesNothing() throws Exception {
        String file = Files.readString(dir.resolve("cluster.toml"));
        List<Path> before = listing();

        Run run = run("cluster", "add-node", "--dir", dir.toString(), "--jar", tmp.resolve("node.jar").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("no node of the cluster answered, so no node can be added; start the cluster "
                + "first: predastore-node cluster up --dir " + dir).contains("node 1: ", "node 5: ");
        assertThat(Files.readString(dir.resolve("cluster.toml"))).isEqualTo(file);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void removeNode_withNoOtherNodeRunning_saysToStartTheCluster() throws Exception {
        String file = Files.readString(dir.resolve("cluster.toml"));

        Run run = run("cluster", "remove-node", "2", "--dir", dir.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("no node of the cluster other than 2 answered, so node 2 cannot be removed; "
                + "start the cluster first: predastore-node cluster up --dir " + dir).doesNotContain("node 2: ");
        assertThat(Files.readString(dir.resolve("cluster.toml"))).isEqualTo(file);
        assertThat(dir.resolve("node-2")).isDirectory();
    }

    @Test
    void removeNode_belowDataPlusParityActiveMembers_isRefusedWithTheNumbers() {
        ErasureConfig rs = new ErasureConfig(3, 2);

        String refusal = RemoveNodeCommand.refusal(rs, members(5, 0), 2);

        assertThat(refusal).isEqualTo("removing node-2 would leave 4 active members, fewer than the 5 shards (data "
                + "+ parity) each object is stored as, so objects could no longer be fully protected; add a node first "
                + "(cluster add-node, or Add node in the desktop app)");
    }

    @Test
    void removeNode_withAMemberToSpare_isAllowed_butNeverOfAMemberNotActive() {
        ErasureConfig rs = new ErasureConfig(3, 2);
        assertThat(RemoveNodeCommand.refusal(rs, members(6, 0), 2)).isNull();
        // node 6 is joining: it is still catching up with the metadata, and the cluster drains active members only.
        assertThat(RemoveNodeCommand.refusal(rs, members(6, 1), 7)).isEqualTo("node-7 is joining; only an active "
                + "member can be removed (wait until it is active)");
        // Draining members do not count: only 5 active of 7 members remain to remove one from.
        ClusterMembers draining = new ClusterMembers(4, withState(members(7, 0), MemberState.DRAINING, 6, 7));
        assertThat(RemoveNodeCommand.refusal(rs, draining, 1)).contains("would leave 4 active members");
    }

    @Test
    void status_withNoNodeRunning_saysTheMemberStatesAreUnknown() {
        Run status = run("cluster", "status", "--dir", dir.toString());

        assertThat(status.code()).isZero();
        assertThat(status.out()).containsPattern("(?m)^NODE\\s+STATE\\s+PROCESS")
                .containsPattern("(?m)^3\\s+\\?\\s+stopped\\s+-\\s+127\\.0\\.0\\.1:\\d+")
                .contains("Member list: no node answered, so the member states are unknown");
    }

    @Test
    void up_neverStartsANodeWhoseDataDirHoldsTheRemovedMarker() throws Exception {
        for (int id = 1; id <= 5; id++) {
            Files.writeString(MembershipMarkers.removedFile(dir.resolve("node-" + id)), "removed\n");
        }

        Run up = run("cluster", "up", "--dir", dir.toString(), "--jar", tmp.resolve("node.jar").toString());

        assertThat(up.code()).isEqualTo(1);
        assertThat(up.out()).contains("node 3 was removed from the cluster (its data directory holds the removed "
                + "marker): not started");
        assertThat(up.err()).contains("no node to start: every node of");
        assertThat(PidFiles.runDir(dir.toAbsolutePath().normalize())).isEmptyDirectory();
    }

    @Test
    void pruneRemoved_dropsRemovedMembersThatNoLongerRun_andKeepsTheRest() throws Exception {
        // Six nodes for RS 3+2, as after an add-node: one can leave the file and the rest still hold a stripe.
        dir = tmp.resolve("six");
        assertThat(run("cluster", "init", "--nodes", "6", "--dir", dir.toString(), "--base-port", "0").code())
                .isZero();
        ClusterConfig config = ClusterConfigLoader.load(dir.resolve("cluster.toml"));
        Path data2 = config.node(2).dataDir();
        Files.writeString(MembershipMarkers.removedFile(data2), "removed\n");
        // Node 3 is removed too, but its process still runs (this JVM stands in for it): it stays for now.
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(PidFiles.pidFile(config.directory(), 3), self.pid() + "\n"
                + self.info().startInstant().orElseThrow().toEpochMilli() + "\n");
        List<ClusterMember> list = new ArrayList<>(members(6, 0).members());
        list.set(1, list.get(1).withState(MemberState.REMOVED));
        list.set(2, list.get(2).withState(MemberState.REMOVED));
        list.set(3, list.get(3).withState(MemberState.DRAINING));
        MemberList members = new MemberList(1, null, new ClusterMembers(9, list));
        StringWriter out = new StringWriter();

        ClusterConfig pruned = members.pruneRemoved(config, new PrintWriter(out, true), new PrintWriter(out, true));

        assertThat(pruned.nodes()).extracting(NodeConfig::id).containsExactly(1, 3, 4, 5, 6);
        assertThat(ClusterConfigLoader.load(dir.resolve("cluster.toml"))).isEqualTo(pruned);
        assertThat(out.toString()).isEqualTo("node 2: removed from the cluster; dropped its [[node]] from "
                + config.file() + " and deleted " + data2 + System.lineSeparator());
        assertThat(data2).doesNotExist();
        assertThat(config.node(3).dataDir()).isDirectory();
    }

    @Test
    void pruneRemoved_thatWouldLeaveTooFewNodesInTheFile_warnsAndChangesNothing() throws Exception {
        ClusterConfig config = ClusterConfigLoader.load(dir.resolve("cluster.toml"));
        String file = Files.readString(config.file());
        List<ClusterMember> list = new ArrayList<>(members(5, 0).members());
        list.set(1, list.get(1).withState(MemberState.REMOVED));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        ClusterConfig pruned = new MemberList(1, null, new ClusterMembers(9, list))
                .pruneRemoved(config, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(pruned).isEqualTo(config);
        assertThat(Files.readString(config.file())).isEqualTo(file);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("warning: node 2 was removed from the cluster, but its [[node]] could "
                + "not be dropped from " + config.file()).contains("data + parity = 5 needs at least 5 nodes");
    }

    @Test
    void statusJson_withNoNodeRunning_printsNothingOnStdoutAndExits3() {
        Run status = run("cluster", "status", "--dir", dir.toString(), "--json");

        assertThat(status.code()).isEqualTo(3);
        assertThat(status.out()).isEmpty();
        assertThat(status.err()).contains("No node's admin API answered; start the cluster (cluster up --dir " + dir);
    }

    /** {@code active} active members node-1.., then {@code joining} joining ones. */
    private static ClusterMembers members(int active, int joining) {
        List<ClusterMember> list = new ArrayList<>();
        for (int i = 1; i <= active + joining; i++) {
            list.add(new ClusterMember("node-" + i, "127.0.0.1", 9000 + 4 * i, 9001 + 4 * i, false, false,
                    9002 + 4 * i, 9003 + 4 * i, i <= active ? MemberState.ACTIVE : MemberState.JOINING));
        }
        return new ClusterMembers(3, list);
    }

    private static List<ClusterMember> withState(ClusterMembers members, MemberState state, int... ids) {
        List<ClusterMember> list = new ArrayList<>(members.members());
        for (int id : ids) {
            list.set(id - 1, list.get(id - 1).withState(state));
        }
        return list;
    }

    private List<Path> listing() throws Exception {
        try (var files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }
}
