package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real node processes ({@code serve --backend filesystem}) from the packaged node jar. */
class NodeSupervisorIT {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    ScheduledExecutorService executor;
    NodeSupervisor supervisor;
    final List<NodeProcessStatus> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        executor = Executors.newScheduledThreadPool(2);
        SupervisorSettings settings = SupervisorSettings.defaults().withMaxHeap("128m")
                .withStartTimeout(WAIT).withStopTimeout(Duration.ofSeconds(10));
        supervisor = new NodeSupervisor(dir, settings, Clock.systemUTC(), executor);
        supervisor.addListener((before, after) -> events.add(after));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (int id : supervisor.nodeIds()) {
                supervisor.kill(id).get(15, TimeUnit.SECONDS);
            }
            PidFiles.stopAll(dir, List.of(1, 2, 3), Duration.ofSeconds(5));
        } finally {
            supervisor.close();
            executor.shutdownNow();
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("predastore.node.jar", "target/predastore-node.jar"));
        assertThat(jar).as("node jar; build it with mvn -pl node-runtime package").isRegularFile();
        return jar;
    }

    NodeLaunchSpec filesystemNode(int id) throws Exception {
        int port = PortAllocator.ephemeral(InetAddress.getLoopbackAddress()).next();
        Path log = NodeLaunchSpec.logFile(dir, id);
        return new NodeLaunchSpec(jar(), List.of(), List.of("serve", "--backend", "filesystem", "--data-dir",
                dir.resolve("node-" + id).toString(), "--s3-port", Integer.toString(port), "--log-file",
                log.toString()), log, new InetSocketAddress("127.0.0.1", port));
    }

    List<NodeState> statesOf(int id) {
        return events.stream().filter(s -> s.nodeId() == id).map(NodeProcessStatus::state).toList();
    }

    @Test
    void start_becomesRunning_thenStop_endsStoppedWithExitCode() throws Exception {
        NodeLaunchSpec spec = filesystemNode(1);

        NodeProcessStatus starting = supervisor.start(1, spec);
        assertThat(starting.state()).isEqualTo(NodeState.STARTING);
        assertThat(starting.pid()).isPositive();
        NodeProcessStatus running = supervisor.awaitReady(1, WAIT);

        assertThat(running.state()).as(String.join("\n", NodeSupervisor.tail(spec.logFile(), 30)))
                .isEqualTo(NodeState.RUNNING);
        assertThat(PidFiles.readPid(dir, 1)).contains(running.pid());
        assertThat(PidFiles.liveProcess(dir, 1)).isPresent();
        // Ready may be seen through the S3 port a moment before the log line is flushed.
        String endpointLine = "S3 endpoint: http://127.0.0.1:" + spec.s3Address().getPort();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(spec.logFile()).contains(endpointLine));
        assertThat(Files.readString(spec.logFile())).contains(endpointLine);
        assertThat(supervisor.uptime(1)).isPositive();

        NodeProcessStatus stopped = supervisor.stop(1).get(30, TimeUnit.SECONDS);

        assertThat(stopped.state()).isEqualTo(NodeState.STOPPED);
        assertThat(stopped.exitCode()).isNotNull();
        assertThat(supervisor.uptime(1)).isZero();
        assertThat(PidFiles.pidFile(dir, 1)).doesNotExist();
        awaitEvents(1, 4);
        assertThat(statesOf(1)).containsExactly(NodeState.STARTING, NodeState.RUNNING, NodeState.STOPPING,
                NodeState.STOPPED);
    }

    @Test
    void kill_endsExited_andRestartRunsAgain() throws Exception {
        NodeLaunchSpec spec = filesystemNode(2);
        supervisor.start(2, spec);
        assertThat(supervisor.awaitReady(2, WAIT).state()).isEqualTo(NodeState.RUNNING);
        long firstPid = supervisor.status(2).pid();

        NodeProcessStatus killed = supervisor.kill(2).get(30, TimeUnit.SECONDS);

        assertThat(killed.state()).isEqualTo(NodeState.EXITED);
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

        NodeProcessStatus relaunched = supervisor.restart(2).get(30, TimeUnit.SECONDS);
        assertThat(relaunched.pid()).isNotEqualTo(firstPid);
        assertThat(supervisor.awaitReady(2, WAIT).state()).isEqualTo(NodeState.RUNNING);
        assertThat(Files.readString(spec.logFile()).split("starting node 2", -1)).hasSize(3);
    }

    @Test
    void nodesOutliveTheSupervisor_andPidFilesStopThemFromElsewhere() throws Exception {
        NodeLaunchSpec spec = filesystemNode(3);
        supervisor.start(3, spec);
        assertThat(supervisor.awaitReady(3, WAIT).state()).isEqualTo(NodeState.RUNNING);
        long pid = supervisor.status(3).pid();

        supervisor.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        var outcomes = PidFiles.stopAll(dir, List.of(1, 3), Duration.ofSeconds(15));

        assertThat(outcomes).containsEntry(1, PidFiles.StopOutcome.NOT_RUNNING)
                .containsEntry(3, PidFiles.StopOutcome.STOPPED);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(PidFiles.pidFile(dir, 3)).doesNotExist();
    }

    @Test
    void processThatExitsBeforeReady_isFailed() throws Exception {
        NodeLaunchSpec spec = filesystemNode(1).withProgramArgs(List.of("serve", "--backend", "nonsense"));
        supervisor.start(1, spec);

        NodeProcessStatus status = supervisor.await(1, EnumSet.of(NodeState.FAILED), WAIT);

        assertThat(status.exitCode()).isNotZero();
        assertThat(status.detail()).contains("before it was ready", "node-1.out");
        // The command line was refused before the node could log: the console file has it, and the tail shows it.
        assertThat(Files.readString(spec.consoleFile())).contains("nonsense");
        assertThat(String.join("\n", NodeSupervisor.tail(spec.logFile(), 200))).contains("nonsense");
    }

    void awaitEvents(int id, int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> statesOf(id).size() >= count);
    }
}
