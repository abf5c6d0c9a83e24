package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervisor behaviour that needs no node jar. */
class NodeSupervisorTest {
    @TempDir
    Path dir;

    @Test
    void launchFailure_isFailedWithTheReason() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        SupervisorSettings settings = new SupervisorSettings(dir.resolve("no-such-java"), "64m",
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(50));
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        List<NodeProcessStatus> events = new CopyOnWriteArrayList<>();
        try (NodeSupervisor supervisor = new NodeSupervisor(dir, settings, clock, executor)) {
            supervisor.addListener((before, after) -> events.add(after));
            NodeLaunchSpec spec = new NodeLaunchSpec(dir.resolve("node.jar"), List.of(), List.of("serve"),
                    NodeLaunchSpec.logFile(dir, 4), null);

            NodeProcessStatus status = supervisor.start(4, spec);

            assertThat(status.state()).isEqualTo(NodeState.FAILED);
            assertThat(status.detail()).startsWith("could not launch: ");
            assertThat(status.startedAt()).isEqualTo(clock.instant());
            assertThat(supervisor.uptime(4)).isZero();
            assertThat(supervisor.status(9)).isEqualTo(NodeProcessStatus.stopped(9));
            assertThat(dir.resolve("logs/node-4.log")).content().contains("starting node 4");
            await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
            assertThat(events).extracting(NodeProcessStatus::state).containsExactly(NodeState.FAILED);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void restart_ofUnknownNode_isRefused() {
        try (NodeSupervisor supervisor = NodeSupervisor.create(dir, SupervisorSettings.defaults())) {
            assertThatThrownBy(() -> supervisor.restart(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("node 1 was never started by this supervisor");
        }
    }

    @Test
    void forClusterNode_runsTheDistributedBackend() throws Exception {
        var config = DevClusterInit.create(dir, 1, 1, 0, "127.0.0.1",
                PortAllocator.ephemeral(java.net.InetAddress.getLoopbackAddress()));
        Path jar = dir.resolve("predastore-node.jar");

        NodeLaunchSpec spec = NodeLaunchSpec.forClusterNode(config, 1, jar);

        assertThat(spec.programArgs()).containsExactly("serve", "--backend", "distributed", "--config",
                config.file().toString(), "--node", "1", "--log-file", spec.logFile().toString());
        assertThat(spec.logFile()).isEqualTo(config.directory().resolve("logs/node-1.log"));
        assertThat(spec.s3Address().getPort()).isEqualTo(config.node(1).s3Port());
        assertThatThrownBy(() -> NodeLaunchSpec.forClusterNode(config, 7, jar))
                .hasMessageContaining("node 7 is not in cluster file");
    }

    @Test
    void launcher_startsTheNodeWithAnOwnerOnlyUmaskKeepingItsPid() {
        List<String> java = List.of(ProcessHandle.current().info().command().orElseThrow(), "-version");

        List<String> wrapped = NodeSupervisor.launcher(java);

        assertThat(wrapped.subList(0, 3)).containsExactly("/bin/sh", "-c", "umask 077 && exec \"$@\"");
        assertThat(wrapped.subList(wrapped.size() - 2, wrapped.size())).isEqualTo(java);
        List<String> missing = List.of(dir.resolve("no-such-java").toString(), "-version");
        assertThat(NodeSupervisor.launcher(missing)).isEqualTo(missing);
    }

    @Test
    void tail_addsWhatTheProcessPrintedOnItsConsole() throws Exception {
        Path log = NodeLaunchSpec.logFile(dir, 2);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "one\ntwo\n");
        assertThat(NodeSupervisor.tail(log, 10)).containsExactly("one", "two");

        Files.writeString(NodeLaunchSpec.consoleFileOf(log), "Error: Could not create the Java Virtual Machine.\n");

        assertThat(NodeSupervisor.tail(log, 10)).containsExactly("one", "two",
                "--- console output (node-2.out) ---", "Error: Could not create the Java Virtual Machine.");
        assertThat(NodeSupervisor.tail(log, 2)).containsExactly("--- console output (node-2.out) ---",
                "Error: Could not create the Java Virtual Machine.");
    }

    @Test
    void command_addsTheNodeFlagsUnlessTheJvmArgumentsChooseOtherwise() {
        try (NodeSupervisor supervisor = NodeSupervisor.create(dir, SupervisorSettings.defaults())) {
            Path jar = dir.resolve("node.jar");
            List<String> plain = supervisor.command(new NodeLaunchSpec(jar, List.of(), List.of("serve"),
                    NodeLaunchSpec.logFile(dir, 1), null));
            assertThat(plain).contains("-Xmx" + SupervisorSettings.defaults().maxHeap(), NodeSupervisor.COLLECTOR,
                    NodeSupervisor.KEEP_COMPILED_CODE, "jdk.incubator.vector");
            assertThat(plain.subList(plain.size() - 3, plain.size())).containsExactly("-jar",
                    jar.toAbsolutePath().toString(), "serve");

            List<String> own = supervisor.command(new NodeLaunchSpec(jar,
                    List.of("-Xmx1g", "-XX:+UseG1GC", "-XX:+UseCodeCacheFlushing"), List.of("serve"),
                    NodeLaunchSpec.logFile(dir, 1), null));
            assertThat(own).contains("-Xmx1g", "-XX:+UseG1GC", "-XX:+UseCodeCacheFlushing")
                    .doesNotContain("-Xmx" + SupervisorSettings.defaults().maxHeap(), NodeSupervisor.COLLECTOR,
                            NodeSupervisor.KEEP_COMPILED_CODE);
        }
    }
}
