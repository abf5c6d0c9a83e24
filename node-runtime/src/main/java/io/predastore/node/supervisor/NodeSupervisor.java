package io.predastore.node.supervisor;

import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts, watches and stops node processes of one cluster directory.
 *
 * <p>Each node runs as {@code java -Xmx.. --add-modules jdk.incubator.vector -XX:+UseParallelGC
 * -XX:-UseCodeCacheFlushing <jvm args> -jar <jar> <args>} (see {@link #COLLECTOR} and {@link #KEEP_COMPILED_CODE}) with
 * stdout and stderr appended to its log file, its pid in {@code <clusterDir>/run/node-N.pid}, and a state machine:
 * {@code STOPPED → STARTING → RUNNING → STOPPING → STOPPED}; a process that exits unasked ends {@code EXITED}
 * (or {@code FAILED} if it never became ready), {@link #kill} ends {@code EXITED}. A node is ready when its log
 * shows {@value #READY_MARKER} or its S3 port accepts a TCP connection.
 *
 * <p>Processes are not tied to this JVM: {@link #close()} stops watching but leaves them running, so the pid files
 * let another process stop them ({@link PidFiles#stopAll}). Call {@link #stopAll(Duration)} first to stop them.
 * Thread-safe.
 */
public final class NodeSupervisor implements AutoCloseable {
    /**
     * Keeps compiled code in the code cache. JDK 17's code cache sweeper throws away compiled methods it has not
     * seen on a thread stack for a while, and a node runs many threads that each touch a method only now and then
     * (Netty event loops, gRPC, Ratis, RocksDB callbacks), so busy code was compiled again and again. On a fresh
     * five-node cluster on two cores, minutes 2 to 5 of 1 MiB PUTs ran at 58, 75, 78 and 80 MiB/s without flushing
     * against 46, 61, 67 and 68 MiB/s with it (docs/performance.md). A node uses about 25 MB of the 240 MB code
     * cache, so keeping everything is cheap.
     */
    public static final String KEEP_COMPILED_CODE = "-XX:-UseCodeCacheFlushing";

    /**
     * The parallel (throughput) collector. A node keeps object data off the heap (Netty buffers, RocksDB, segment
     * files), so its heap is small and mostly short-lived request garbage, which the parallel collector clears in
     * short pauses with no concurrent work and cheaper write barriers than G1. Five nodes on two cores took about a
     * third less CPU per 4 KiB PUT with it than with G1, at a lower p50 and no worse p99 (docs/performance.md).
     * JVM arguments that choose a collector ({@code -XX:+Use...GC}) replace it.
     */
    public static final String COLLECTOR = "-XX:+UseParallelGC";

    /** The line a node prints once it serves S3. */
    public static final String READY_MARKER = "S3 endpoint: ";
    /** The shell that starts nodes with umask 077 (see {@link #launcher}). */
    static final Path SHELL = Path.of("/bin/sh");

    private final Path clusterDir;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final SupervisorSettings settings;
    private final Map<Integer, Node> nodes = new TreeMap<>();
    private final List<NodeStateListener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * A supervisor with an injected clock (for start times and uptime) and executor (for readiness checks, timeouts
     * and listener calls; it is not shut down by {@link #close()}).
     */
    public NodeSupervisor(Path clusterDir, SupervisorSettings settings, Clock clock,
            ScheduledExecutorService executor) {
        this(clusterDir, settings, clock, executor, false);
    }

    private NodeSupervisor(Path clusterDir, SupervisorSettings settings, Clock clock,
            ScheduledExecutorService executor, boolean ownsExecutor) {
        this.clusterDir = clusterDir.toAbsolutePath().normalize();
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
        this.ownsExecutor = ownsExecutor;
    }

    /** A supervisor with its own daemon executor and the system clock. */
    public static NodeSupervisor create(Path clusterDir, SupervisorSettings settings) {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "node-supervisor");
            t.setDaemon(true);
            return t;
        });
        return new NodeSupervisor(clusterDir, settings, Clock.systemUTC(), executor, true);
    }

    public Path clusterDir() {
        return clusterDir;
    }

    public SupervisorSettings settings() {
        return settings;
    }

    public void addListener(NodeStateListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeListener(NodeStateListener listener) {
        listeners.remove(listener);
    }

    /**
     * Launches the node and returns at once (state STARTING, or FAILED if it could not be launched).
     *
     * @throws IllegalStateException if the node is already starting, running or stopping
     */
    public NodeProcessStatus start(int nodeId, NodeLaunchSpec spec) {
        Objects.requireNonNull(spec);
        if (closed) {
            throw new IllegalStateException("the supervisor is closed");
        }
        synchronized (this) {
            Node node = nodes.computeIfAbsent(nodeId, Node::new);
            if (node.state.isActive()) {
                throw new IllegalStateException("node " + nodeId + " is already " + node.state.name().toLowerCase()
                        + (node.process != null ? " (pid " + node.process.pid() + ")" : ""));
            }
            node.spec = spec;
            node.stopRequested = false;
            node.killRequested = false;
            node.exitCode = null;
            node.detail = null;
            node.exited = new CompletableFuture<>();
            Process process;
            try {
                OwnerOnly.createDirectories(spec.logFile().toAbsolutePath().getParent());
                appendOwnerOnly(spec.logFile(), "--- " + clock.instant() + " starting node " + nodeId + " ---\n");
                node.logOffset = Files.size(spec.logFile());
                // Emptied at each start, so it never grows without bound; created owner-only before the node
                // writes to it.
                Files.deleteIfExists(spec.consoleFile());
                appendOwnerOnly(spec.consoleFile(), "");
                ProcessBuilder builder = new ProcessBuilder(launcher(command(spec)))
                        .directory(clusterDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.consoleFile().toFile()));
                process = builder.start();
            } catch (IOException | UncheckedIOException e) {
                node.startedAt = clock.instant();
                node.pid = -1;
                node.detail = "could not launch: " + e.getMessage();
                transition(node, NodeState.FAILED);
                node.exited.complete(node.status());
                return node.status();
            }
            try {
                // The node reads nothing; closing stdin keeps it from depending on this JVM.
                process.getOutputStream().close();
            } catch (IOException e) {
                // Harmless.
            }
            node.process = process;
            node.pid = process.pid();
            node.startedAt = clock.instant();
            node.deadline = node.startedAt.plus(settings.startTimeout());
            node.startNanos = System.nanoTime();
            try {
                PidFiles.write(clusterDir, nodeId, process.toHandle());
            } catch (IOException e) {
                node.detail = "cannot write the pid file: " + e.getMessage();
            }
            transition(node, NodeState.STARTING);
            long poll = settings.pollInterval().toMillis();
            node.readiness = executor.scheduleWithFixedDelay(() -> checkReadiness(node, process), poll, poll,
                    TimeUnit.MILLISECONDS);
            process.onExit().thenRun(() -> runOnExecutor(() -> onExit(node, process)));
            return node.status();
        }
    }

    /**
     * SIGTERM, then SIGKILL after the stop timeout. The future completes with the final status (STOPPED with the
     * exit code), or at once if the node is not running.
     */
    public CompletableFuture<NodeProcessStatus> stop(int nodeId) {
        synchronized (this) {
            Node node = nodes.get(nodeId);
            if (node == null || node.process == null) {
                return CompletableFuture.completedFuture(status(nodeId));
            }
            Process process = node.process;
            if (!node.stopRequested && !node.killRequested) {
                node.stopRequested = true;
                transition(node, NodeState.STOPPING);
                process.destroy();
                executor.schedule(() -> {
                    if (process.isAlive()) {
                        process.destroyForcibly();
                    }
                }, settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            return node.exited.copy();
        }
    }

    /** SIGKILL at once; the future completes with the final status (EXITED with the exit code). */
    public CompletableFuture<NodeProcessStatus> kill(int nodeId) {
        synchronized (this) {
            Node node = nodes.get(nodeId);
            if (node == null || node.process == null) {
                return CompletableFuture.completedFuture(status(nodeId));
            }
            node.killRequested = true;
            node.stopRequested = false;
            node.process.destroyForcibly();
            return node.exited.copy();
        }
    }

    /** Stops the node (if running) and starts it again with its last launch spec; completes once relaunched. */
    public CompletableFuture<NodeProcessStatus> restart(int nodeId) {
        NodeLaunchSpec spec;
        synchronized (this) {
            Node node = nodes.get(nodeId);
            if (node == null || node.spec == null) {
                throw new IllegalStateException("node " + nodeId + " was never started by this supervisor");
            }
            spec = node.spec;
        }
        return stop(nodeId).thenApplyAsync(stopped -> start(nodeId, spec), executor);
    }

    /** Stops every node and waits for them to exit (bounded by the stop timeout plus {@code extra}). */
    public void stopAll(Duration extra) throws InterruptedException {
        List<CompletableFuture<NodeProcessStatus>> futures = new ArrayList<>();
        for (int id : nodeIds()) {
            futures.add(stop(id));
        }
        long deadline = System.nanoTime() + settings.stopTimeout().plus(extra).toNanos();
        for (CompletableFuture<NodeProcessStatus> f : futures) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                // Reported through the node's status.
            }
        }
    }

    /** The node's current status; STOPPED for a node this supervisor never started. */
    public synchronized NodeProcessStatus status(int nodeId) {
        Node node = nodes.get(nodeId);
        return node == null ? NodeProcessStatus.stopped(nodeId) : node.status();
    }

    /** Every node this supervisor has started, by id. */
    public synchronized List<NodeProcessStatus> statuses() {
        return nodes.values().stream().map(Node::status).toList();
    }

    public synchronized List<Integer> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    /** How long the node has been up, by the injected clock. */
    public Duration uptime(int nodeId) {
        return status(nodeId).uptime(clock.instant());
    }

    /** Waits until the node is in one of {@code states}. */
    public NodeProcessStatus await(int nodeId, Set<NodeState> states, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                NodeProcessStatus status = status(nodeId);
                if (states.contains(status.state())) {
                    return status;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("node " + nodeId + " is " + status.state() + ", not " + states
                            + ", after " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Waits until the node is RUNNING or has given up (FAILED, EXITED, STOPPED); returns that status. */
    public NodeProcessStatus awaitReady(int nodeId, Duration timeout) throws InterruptedException, TimeoutException {
        return await(nodeId, EnumSet.of(NodeState.RUNNING, NodeState.FAILED, NodeState.EXITED, NodeState.STOPPED),
                timeout);
    }

    /**
     * Runs {@code command} with umask 077 where there is a POSIX shell, so that every file the node and its
     * libraries create (RocksDB, Ratis) is owner-only; the JVM cannot set its own umask. {@code exec} keeps the
     * pid, so signals and pid files reach the JVM itself.
     */
    static List<String> launcher(List<String> command) {
        if (!Files.isExecutable(SHELL) || System.getProperty("os.name", "").startsWith("Windows")) {
            return command;
        }
        Path program = Path.of(command.get(0));
        if (program.isAbsolute() && !Files.isExecutable(program)) {
            // Unwrapped, the launch itself fails and says which program is missing.
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SHELL.toString(), "-c", "umask 077 && exec \"$@\"",
                "predastore-node"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void appendOwnerOnly(Path file, String text) throws IOException {
        if (!Files.exists(file) && OwnerOnly.posix(file)) {
            try {
                Files.createFile(file, OwnerOnly.fileAttribute());
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Created meanwhile; append below.
            }
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * The last {@code lines} lines of the node's log (empty if there is none), followed by what the process printed
     * on its console ({@link NodeLaunchSpec#consoleFile()}) if anything: that is where the JVM reports errors it
     * hits before or beyond logging, such as a bad JVM option or a crash.
     */
    public static List<String> tail(Path logFile, int lines) {
        List<String> log = tailOf(logFile, lines);
        Path consoleFile = NodeLaunchSpec.consoleFileOf(logFile);
        List<String> console = tailOf(consoleFile, lines);
        if (console.isEmpty() || consoleFile.equals(logFile)) {
            return log;
        }
        List<String> both = new ArrayList<>(log);
        both.add("--- console output (" + consoleFile.getFileName() + ") ---");
        both.addAll(console);
        return both.subList(Math.max(0, both.size() - lines), both.size());
    }

    private static List<String> tailOf(Path logFile, int lines) {
        try (SeekableByteChannel ch = Files.newByteChannel(logFile)) {
            long size = ch.size();
            long from = Math.max(0, size - 64 * 1024);
            ch.position(from);
            byte[] bytes = new byte[(int) (size - from)];
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // Keep reading.
            }
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Stops watching. Node processes keep running (see {@link #stopAll(Duration)}); listeners are dropped. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            for (Node node : nodes.values()) {
                if (node.readiness != null) {
                    node.readiness.cancel(false);
                }
            }
        }
        listeners.clear();
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    // ---- internals ----

    /** The command line a node is started with (package-private for tests). */
    List<String> command(NodeLaunchSpec spec) {
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.javaExecutable().toString());
        if (spec.jvmArgs().stream().noneMatch(a -> a.startsWith("-Xmx"))) {
            cmd.add("-Xmx" + settings.maxHeap());
        }
        if (!spec.jvmArgs().contains("jdk.incubator.vector")) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        if (spec.jvmArgs().stream().noneMatch(a -> a.startsWith("-XX:+Use") && a.endsWith("GC"))) {
            cmd.add(COLLECTOR);
        }
        if (spec.jvmArgs().stream().noneMatch(a -> a.contains("UseCodeCacheFlushing"))) {
            cmd.add(KEEP_COMPILED_CODE);
        }
        cmd.addAll(spec.jvmArgs());
        cmd.add("-jar");
        cmd.add(spec.jar().toAbsolutePath().toString());
        cmd.addAll(spec.programArgs());
        return cmd;
    }

    private void checkReadiness(Node node, Process process) {
        NodeLaunchSpec spec;
        long offset;
        synchronized (this) {
            if (node.process != process || node.state != NodeState.STARTING) {
                if (node.readiness != null && node.process != process) {
                    node.readiness.cancel(false);
                }
                return;
            }
            spec = node.spec;
            offset = node.logOffset;
        }
        boolean ready = logShowsReady(spec.logFile(), offset) || accepts(spec.s3Address());
        synchronized (this) {
            if (node.process != process || node.state != NodeState.STARTING) {
                return;
            }
            if (ready) {
                node.readiness.cancel(false);
                transition(node, NodeState.RUNNING);
            } else if (System.nanoTime() - node.startNanos > settings.startTimeout().toNanos()
                    || clock.instant().isAfter(node.deadline) && !clock.instant().equals(node.startedAt)) {
                node.readiness.cancel(false);
                node.failedToStart = true;
                node.detail = "not ready after " + settings.startTimeout().toSeconds() + " s; see " + spec.logFile()
                        + " and " + spec.consoleFile();
                transition(node, NodeState.FAILED);
                process.destroyForcibly();
            }
        }
    }

    private static boolean logShowsReady(Path log, long offset) {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.contains(READY_MARKER);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean accepts(InetSocketAddress address) {
        if (address == null) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void onExit(Node node, Process process) {
        synchronized (this) {
            if (node.process != process) {
                return;
            }
            if (node.readiness != null) {
                node.readiness.cancel(false);
            }
            node.exitCode = process.exitValue();
            node.process = null;
            PidFiles.removeIfOwned(clusterDir, node.id, process.pid());
            NodeState next;
            if (node.failedToStart) {
                next = NodeState.FAILED;
                node.failedToStart = false;
            } else if (node.stopRequested) {
                next = NodeState.STOPPED;
            } else if (node.killRequested) {
                next = NodeState.EXITED;
                node.detail = "killed";
            } else if (node.state == NodeState.STARTING) {
                next = NodeState.FAILED;
                node.detail = "exited with code " + node.exitCode + " before it was ready; see " + node.spec.logFile()
                        + " and " + node.spec.consoleFile();
            } else {
                next = NodeState.EXITED;
                node.detail = "exited with code " + node.exitCode;
            }
            if (next == node.state) {
                // FAILED already (start timeout): still tell listeners the exit code.
                NodeProcessStatus before = node.status();
                notifyListeners(before, node.status());
            } else {
                transition(node, next);
            }
            node.exited.complete(node.status());
        }
    }

    /** Must hold the lock. */
    private void transition(Node node, NodeState next) {
        NodeProcessStatus before = node.status();
        node.state = next;
        NodeProcessStatus after = node.status();
        notifyAll();
        notifyListeners(before, after);
    }

    private void notifyListeners(NodeProcessStatus before, NodeProcessStatus after) {
        if (listeners.isEmpty()) {
            return;
        }
        events.add(() -> {
            for (NodeStateListener listener : listeners) {
                try {
                    listener.stateChanged(before, after);
                } catch (RuntimeException e) {
                    // A broken listener must not stop the others or the supervisor.
                }
            }
        });
        runOnExecutor(this::drainEvents);
    }

    private void drainEvents() {
        while (draining.compareAndSet(false, true)) {
            try {
                Runnable event;
                while ((event = events.poll()) != null) {
                    event.run();
                }
            } finally {
                draining.set(false);
            }
            if (events.isEmpty()) {
                return;
            }
        }
    }

    private void runOnExecutor(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private final class Node {
        final int id;
        NodeLaunchSpec spec;
        NodeState state = NodeState.STOPPED;
        Process process;
        long pid = -1;
        Instant startedAt;
        Instant deadline;
        long startNanos;
        Integer exitCode;
        String detail;
        long logOffset;
        boolean stopRequested;
        boolean killRequested;
        boolean failedToStart;
        ScheduledFuture<?> readiness;
        CompletableFuture<NodeProcessStatus> exited = CompletableFuture.completedFuture(null);

        Node(int id) {
            this.id = id;
        }

        NodeProcessStatus status() {
            return new NodeProcessStatus(id, state, pid, startedAt, exitCode, detail, spec == null ? null : spec.logFile());
        }
    }
}
