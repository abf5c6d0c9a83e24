package io.predastore.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.service.ClusterService;
import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.NodeSample;
import io.predastore.app.task.DirectAsync;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.node.supervisor.SupervisorSettings;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.RaftRole;
import io.predastore.protocol.config.ClusterConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodesViewModelTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    @Test
    void rowsCombineProcessStateWithAdminStatus(@TempDir Path dir) throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            ClusterConfig config = service.create(dir.resolve("c"), 3, 2, 1);
            NodesViewModel vm = new NodesViewModel(service, DirectAsync.create(),
                    Clock.fixed(NOW, ZoneOffset.UTC));
            vm.setConfig(config);
            assertThat(vm.rows()).hasSize(3).allMatch(r -> r.state() == NodeState.STOPPED);

            Instant started = NOW.minus(Duration.ofSeconds(125));
            vm.applyProcesses(List.of(
                    new NodeProcessStatus(1, NodeState.RUNNING, 11, started, null, null, null),
                    new NodeProcessStatus(2, NodeState.EXITED, 12, started, 137, "killed", null),
                    NodeProcessStatus.stopped(3)));
            io.predastore.protocol.admin.NodeStatus admin = new io.predastore.protocol.admin.NodeStatus("node-1",
                    "0.1.0", 1000, "127.0.0.1", new io.predastore.protocol.admin.NodeStatus.Ports(1, 2, 3, 4),
                    3 * 1024 * 1024, 42, RaftRole.LEADER, "distributed");
            vm.applyAdmin(new ClusterSnapshot(NOW, List.of(new NodeSample(1, admin, null, null),
                    new NodeSample(2, null, null, "refused")), null, null, null));

            NodeRow first = vm.rows().get(0);
            assertThat(first.state()).isEqualTo(NodeState.RUNNING);
            assertThat(first.raftRole()).isEqualTo("leader");
            assertThat(first.uptime()).isEqualTo("2m 5s");
            assertThat(first.shards()).isEqualTo("42");
            assertThat(first.diskUsed()).isEqualTo("3.0 MiB");
            assertThat(first.s3Address()).isEqualTo("127.0.0.1:" + config.node(1).s3Port());
            NodeRow second = vm.rows().get(1);
            assertThat(second.state()).isEqualTo(NodeState.EXITED);
            assertThat(second.raftRole()).isEqualTo("—");
            assertThat(second.uptime()).isEqualTo("—");

            vm.selectedNodeProperty().set(1);
            assertThat(vm.canStopProperty().get()).isTrue();
            assertThat(vm.canStartProperty().get()).isFalse();
            vm.selectedNodeProperty().set(2);
            assertThat(vm.canStartProperty().get()).isTrue();
            assertThat(vm.canStopProperty().get()).isFalse();
        }
    }

    @Test
    void startWithoutTheNodeJarReportsAnErrorInsteadOfThrowing(@TempDir Path dir) throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            ClusterConfig config = service.create(dir.resolve("c"), 1, 1, 0);
            List<String> errors = new java.util.ArrayList<>();
            NodesViewModel vm = new NodesViewModel(service, DirectAsync.create(errors), Clock.systemUTC());
            vm.setConfig(config);
            vm.selectedNodeProperty().set(1);
            vm.startSelected();
            assertThat(errors).singleElement().asString().contains("Starting node 1 failed", "none.jar");
        }
    }

    @Test
    void logHidesTheSecretKey() {
        assertThat(NodesViewModel.maskSecrets(List.of("Access key:   AK", "Secret key:   abc", "S3 endpoint: x")))
                .isEqualTo("Access key:   AK\nSecret key: ••••••••\nS3 endpoint: x");
    }

    @Test
    void diskColumn_saysWhenTheNodeIsFullOrNeedsARestart() {
        io.predastore.protocol.admin.NodeStatus.Ports ports = new io.predastore.protocol.admin.NodeStatus.Ports(1, 2,
                3, 4);
        java.util.function.Function<io.predastore.protocol.admin.StorageStatus, String> text = storage ->
                NodesViewModel.diskText(new io.predastore.protocol.admin.NodeStatus("node-1", "0.1.0", 1, "h", ports,
                        3 << 20, 1, RaftRole.LEADER, "distributed", storage));
        assertThat(text.apply(null)).isEqualTo("3.0 MiB");
        assertThat(text.apply(new io.predastore.protocol.admin.StorageStatus(1L << 30, 64L << 20, false, List.of(),
                false))).isEqualTo("3.0 MiB");
        assertThat(text.apply(new io.predastore.protocol.admin.StorageStatus(10L << 20, 64L << 20, true, List.of(),
                false))).isEqualTo("3.0 MiB — FULL (10.0 MiB free, below the reserve)");
        assertThat(text.apply(new io.predastore.protocol.admin.StorageStatus(1L << 30, 64L << 20, false,
                List.of("the shard index database refuses writes"), true))).isEqualTo("3.0 MiB — restart needed");
    }

    @Test
    void remoteNodes_showAdminReachabilityAndCannotBeControlled(@TempDir Path dir) {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            NodesViewModel vm = new NodesViewModel(service, DirectAsync.create(), Clock.fixed(NOW, ZoneOffset.UTC));
            io.predastore.app.service.RemoteCluster remote = new io.predastore.app.service.RemoteCluster(
                    java.net.URI.create("http://127.0.0.1:9100"),
                    new io.predastore.app.service.ClusterAccess("a", "b", "c", "d", "us-east-1"), List.of(
                            new io.predastore.protocol.admin.ClusterMember("node-1", "127.0.0.1", 9000, 9100),
                            new io.predastore.protocol.admin.ClusterMember("node-2", "127.0.0.1", 9001, 9101)));
            vm.setRemote(remote);
            assertThat(vm.rows()).extracting(NodeRow::stateText).containsExactly("UNKNOWN (remote)",
                    "UNKNOWN (remote)");
            io.predastore.protocol.admin.NodeStatus admin = new io.predastore.protocol.admin.NodeStatus("node-1",
                    "0.1.0", 65_000, "127.0.0.1", new io.predastore.protocol.admin.NodeStatus.Ports(9000, 2, 3, 9100),
                    1024, 7, RaftRole.FOLLOWER, "cluster");
            vm.applyAdmin(new ClusterSnapshot(NOW, List.of(new NodeSample(1, admin, null, null),
                    new NodeSample(2, null, null, "refused")), null, null, null));
            NodeRow first = vm.rows().get(0);
            assertThat(first.remote()).isTrue();
            assertThat(first.state()).isEqualTo(NodeState.RUNNING);
            assertThat(first.uptime()).isEqualTo("1m 5s");
            assertThat(first.s3Address()).isEqualTo("127.0.0.1:9000");
            assertThat(vm.rows().get(1).stateText()).isEqualTo("UNREACHABLE (remote)");

            vm.selectedNodeProperty().set(1);
            assertThat(vm.canStartProperty().get()).isFalse();
            assertThat(vm.canStopProperty().get()).isFalse();
            assertThat(vm.canRestartProperty().get()).isFalse();
            assertThat(vm.logTailProperty().get()).contains("runs elsewhere");
        }
    }

    @Test
    void memberStates_shownPerRow_removedNodeWhoseProcessExited_leavesTableAndClusterFile(@TempDir Path dir)
            throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            ClusterConfig config = service.create(dir.resolve("c"), 4, 2, 1);
            List<String> log = new java.util.ArrayList<>();
            NodesViewModel vm = new NodesViewModel(service, DirectAsync.create(), Clock.fixed(NOW, ZoneOffset.UTC));
            vm.setActivityLog(log::add);
            service.addConfigListener(vm::setConfig);
            vm.setConfig(config);
            vm.setMemberChanges(new io.predastore.app.service.MemberChanges(service, Clock.systemUTC()));
            vm.applyProcesses(List.of(
                    new NodeProcessStatus(1, NodeState.RUNNING, 11, NOW, null, null, null),
                    new NodeProcessStatus(2, NodeState.RUNNING, 12, NOW, null, null, null),
                    new NodeProcessStatus(3, NodeState.RUNNING, 13, NOW, null, null, null),
                    NodeProcessStatus.stopped(4)));
            assertThat(vm.rows()).extracting(NodeRow::memberState).containsOnly("—");

            vm.applyAdmin(snapshot(MemberPreviewTest.members(5, MemberState.ACTIVE, MemberState.ACTIVE,
                    MemberState.DRAINING, MemberState.JOINING)));
            assertThat(vm.rows()).extracting(NodeRow::memberState)
                    .containsExactly("active", "active", "draining", "joining");
            assertThat(vm.memberSummaryProperty().get()).isEqualTo("ring epoch 5: 2 active, 1 joining, 1 draining");

            // Removed, but its process still runs (it is deleting its data): still listed, still in the file.
            vm.applyAdmin(snapshot(MemberPreviewTest.members(6, MemberState.ACTIVE, MemberState.ACTIVE,
                    MemberState.REMOVED, MemberState.ACTIVE)));
            assertThat(vm.rows()).extracting(NodeRow::id).containsExactly(1, 2, 3, 4);
            assertThat(service.config().nodes()).hasSize(4);

            vm.applyProcesses(List.of(
                    new NodeProcessStatus(1, NodeState.RUNNING, 11, NOW, null, null, null),
                    new NodeProcessStatus(2, NodeState.RUNNING, 12, NOW, null, null, null),
                    new NodeProcessStatus(3, NodeState.EXITED, 13, NOW, 0, "exited", null),
                    new NodeProcessStatus(4, NodeState.RUNNING, 14, NOW, null, null, null)));
            vm.applyAdmin(snapshot(MemberPreviewTest.members(6, MemberState.ACTIVE, MemberState.ACTIVE,
                    MemberState.REMOVED, MemberState.ACTIVE)));
            assertThat(vm.rows()).extracting(NodeRow::id).containsExactly(1, 2, 4);
            assertThat(io.predastore.protocol.config.ClusterConfigLoader.load(config.file()).nodes())
                    .extracting(io.predastore.protocol.config.NodeConfig::id).containsExactly(1, 2, 4);
            assertThat(log).containsExactly("node-3 was removed and has exited; dropped it from the cluster file");
        }
    }

    @Test
    void removeNode_offWithTheReasonWhileTooFewActiveWouldRemain(@TempDir Path dir) throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            ClusterConfig config = service.create(dir.resolve("c"), 3, 2, 1);
            NodesViewModel vm = new NodesViewModel(service, DirectAsync.create(), Clock.fixed(NOW, ZoneOffset.UTC));
            vm.setConfig(config);
            vm.applyProcesses(List.of(new NodeProcessStatus(1, NodeState.RUNNING, 11, NOW, null, null, null)));
            vm.applyAdmin(snapshot(MemberPreviewTest.members(1, MemberState.ACTIVE, MemberState.ACTIVE,
                    MemberState.ACTIVE)));
            vm.selectedNodeProperty().set(2);
            assertThat(vm.canAddProperty().get()).as("no member changes without a local dev cluster").isFalse();
            assertThat(vm.canRemoveProperty().get()).isFalse();
            assertThat(vm.removeBlockedProperty().get()).isEmpty();

            vm.setMemberChanges(new io.predastore.app.service.MemberChanges(service, Clock.systemUTC()));
            assertThat(vm.canAddProperty().get()).isTrue();
            assertThat(vm.canRemoveProperty().get()).isFalse();
            assertThat(vm.removeBlockedProperty().get()).contains("would leave 2 active members, fewer than the 3");
            assertThat(vm.removePreview()).isEqualTo(vm.removeBlockedProperty().get());
            assertThat(vm.addPreview()).startsWith("node-4 joins; about 0 shards");

            vm.applyAdmin(snapshot(MemberPreviewTest.members(2, MemberState.ACTIVE, MemberState.ACTIVE,
                    MemberState.ACTIVE, MemberState.ACTIVE)));
            assertThat(vm.canRemoveProperty().get()).isTrue();
            assertThat(vm.removeBlockedProperty().get()).isEmpty();
            assertThat(vm.removePreview()).startsWith("node-2's 0 shards");
            assertThat(vm.addPreview()).startsWith("node-5 joins;");
        }
    }

    @Test
    void listenerRole_shownInTheRaftColumn(@TempDir Path dir) throws Exception {
        try (ClusterService service = new ClusterService(SupervisorSettings.defaults(), dir.resolve("none.jar"))) {
            ClusterConfig config = service.create(dir.resolve("c"), 1, 1, 0);
            NodesViewModel vm = new NodesViewModel(service, DirectAsync.create(), Clock.fixed(NOW, ZoneOffset.UTC));
            vm.setConfig(config);
            vm.applyProcesses(List.of(new NodeProcessStatus(1, NodeState.RUNNING, 11, NOW, null, null, null)));
            io.predastore.protocol.admin.NodeStatus admin = new io.predastore.protocol.admin.NodeStatus("node-1",
                    "0.1.0", 1000, "127.0.0.1", new io.predastore.protocol.admin.NodeStatus.Ports(1, 2, 3, 4),
                    0, 0, RaftRole.LISTENER, "distributed");
            vm.applyAdmin(new ClusterSnapshot(NOW, List.of(new NodeSample(1, admin, null, null)), null, null, null));
            assertThat(vm.rows().get(0).raftRole()).isEqualTo("listener");
        }
    }

    private static ClusterSnapshot snapshot(io.predastore.protocol.admin.ClusterMembers members) {
        return new ClusterSnapshot(NOW, List.of(), null, null, null, members);
    }
}
