package io.predastore.chaos;

import io.predastore.chaos.check.CheckResult;
import io.predastore.chaos.check.Checker;
import io.predastore.chaos.check.Finding;
import io.predastore.chaos.check.FindingType;
import io.predastore.chaos.cluster.ChaosCluster;
import io.predastore.chaos.history.HistoryFile;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.Outcome;
import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultLog;
import io.predastore.chaos.nemesis.Nemesis;
import io.predastore.chaos.report.Availability;
import io.predastore.chaos.report.Machine;
import io.predastore.chaos.report.RunReport;
import io.predastore.chaos.report.Summary;
import io.predastore.chaos.workload.NodeEndpoint;
import io.predastore.chaos.workload.Workload;
import io.predastore.chaos.workload.WorkloadConfig;
import io.predastore.chaos.workload.WorkloadStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A fault-injection run, as a command ({@link #main}) and as a library ({@link #start} on a cluster of its own,
 * {@link #on} on one the caller keeps): the workload's clients and the nemesis run together on one clock for the
 * run's duration, the clients following the members as churn changes them; then the nemesis heals everything, the
 * workload stops, the cluster settles (a leader, every node serving, every member active or removed), every key is
 * read back through every member (a read that still fails is a finding), and the checker judges the history. The
 * run's directory gets {@code history.jsonl}, {@code faults.jsonl}, {@code report.md} and {@code timeline.svg}.
 *
 * <p>Beyond tolerance, errors are expected but wrong data never: the checker is the judge either way, and the
 * availability figures show what the faults cost. One run at a time per cluster; not thread-safe.
 */
public final class ChaosRun {
    /** How long the cluster may take to elect a leader and serve on every node once the faults are healed. */
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);
    /** How long the workers may take to finish the operations in flight when told to stop. */
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    /** Attempts of each final read, and the pause between them. */
    static final int FINAL_READ_ATTEMPTS = 10;
    static final Duration FINAL_READ_PAUSE = Duration.ofSeconds(1);
    /** How long failed final reads are tried again, over all of them; later ones get a single attempt. */
    static final Duration FINAL_READ_RETRY = Duration.ofMinutes(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    /**
     * How long, after every fault is healed, the members have to settle: every one active or removed (a drain the
     * last churn started done, the node gone).
     */
    static final Duration MEMBERS_TIMEOUT = Duration.ofMinutes(2);
    /** How long, after every fault is healed, the cluster has to bring every object back to full protection. */
    static final Duration PROTECTION_TIMEOUT = Duration.ofMinutes(3);

    private ChaosRun() {
    }

    /** Runs the command line (see {@link RunOptions#USAGE}) and exits with the run's code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * What {@link #main} does, returning the exit code: 0 no violation, 1 a violation, 2 only undecided keys, 3 the
     * run could not be done, 64 bad arguments. The last line on {@code out} is the summary line.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(RunOptions.USAGE);
            return 0;
        }
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("chaos: " + e.getMessage());
            err.print(RunOptions.USAGE);
            return 64;
        }
        if (!Arrays.asList(args).contains("--out")) {
            options = options.withOut(freeDirectory(options.out()));
        }
        out.println("chaos: seed " + options.seed() + " (repeat with: " + options.command() + ")");
        out.println("chaos: run directory " + options.out().toAbsolutePath());
        RunResult result;
        try {
            result = start(options, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = RunResult.notRun(options.out(), "interrupted");
        }
        if (result.exitCode() == Summary.NOT_RUN) {
            result.problems().forEach(p -> err.println("chaos: " + p));
        }
        if (result.report() != null) {
            out.println("chaos: report " + result.reportFile().toAbsolutePath());
        }
        out.println(result.summary().line());
        out.flush();
        return result.exitCode();
    }

    /**
     * Removes what crashed runs left, starts a cluster in {@code <out>/cluster}, runs {@link #on} it and always closes
     * it (also on Ctrl-C, through a shutdown hook). A cluster that does not start gives a {@link Summary#NOT_RUN}
     * result saying why.
     */
    public static RunResult start(RunOptions options, PrintStream log) throws InterruptedException {
        ChaosCluster cluster;
        try {
            if (!Files.isRegularFile(options.nodeJar())) {
                throw new IOException("no node jar at " + options.nodeJar().toAbsolutePath() + "; build it with `mvn "
                        + "-pl node-runtime -am package -DskipTests` or pass --node-jar");
            }
            Files.createDirectories(options.out());
            removeLeftovers(log);
            if (!options.weaken().isEmpty()) {
                log.println("chaos: every node is weakened on purpose (" + options.weakenText() + "): this run must "
                        + "find violations");
            }
            log.println("chaos: starting " + options.nodes() + " nodes from " + options.nodeJar());
            cluster = ChaosCluster.start(options.out().resolve("cluster"), options.nodeJar(), ChaosCluster.RS,
                    options.nodes(), ChaosCluster.DEFAULT_READY_TIMEOUT, options.nodeJvmOptions());
        } catch (IOException | RuntimeException e) {
            return RunResult.notRun(options.out(), "the cluster could not be started: " + e.getMessage());
        }
        // On Ctrl-C the hook stops the node processes; the hosts remove their namespaces in a hook of their own
        // (closing the whole cluster here as well would race it, removing the same namespaces twice).
        Thread hook = new Thread(() -> killNodes(cluster), "chaos-cluster-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return on(cluster, options, log);
        } catch (IOException | RuntimeException e) {
            return RunResult.notRun(options.out(), "the run failed: " + e + "; node logs are in "
                    + cluster.directory().resolve("logs"));
        } finally {
            closeQuietly(cluster, log);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook runs (and finds the cluster closed).
            }
        }
    }

    /**
     * Runs on a cluster the caller started and will close; leaves it healed. {@code options.out()} is created if
     * needed; its history, fault log and report files are overwritten.
     *
     * @throws IOException if the history or fault log cannot be written or read, or the bucket cannot be created
     */
    public static RunResult on(ChaosCluster cluster, RunOptions options, PrintStream log)
            throws IOException, InterruptedException {
        Path out = Files.createDirectories(options.out());
        Path historyFile = out.resolve("history.jsonl");
        Path faultFile = out.resolve("faults.jsonl");
        Machine atStart = Machine.now();
        List<String> problems = new ArrayList<>();
        List<Finding> afterHeal = new ArrayList<>();
        List<FaultEvent> faults = List.of();
        AtomicLong origin = new AtomicLong(System.nanoTime());
        LongSupplier clock = () -> System.nanoTime() - origin.get();
        Instant started;
        Instant healed;
        try (HistoryFile history = HistoryFile.create(historyFile); FaultLog faultLog = FaultLog.create(faultFile)) {
            WorkloadConfig config = WorkloadConfig.defaults(endpoints(cluster), cluster.accessKey(),
                    cluster.secretKey(), options.workers(), options.seed());
            try (Workload workload = new Workload(config, history, clock)) {
                // The clients follow the members: a node added takes requests once active, one removed none once
                // it drains.
                cluster.setMembersListener(() -> workload.useNodes(endpoints(cluster)));
                try {
                    workload.createBucket(Duration.ofMinutes(1));
                } catch (IllegalStateException e) {
                    throw new IOException(e.getMessage(), e);
                }
                Nemesis nemesis = options.faults().isEmpty() ? null
                        : new Nemesis(cluster, options.nemesisOptions(), clock, faultLog);
                origin.set(System.nanoTime());
                started = Instant.now();
                workload.start();
                if (nemesis != null) {
                    nemesis.start();
                }
                log.println("chaos: load for " + RunOptions.format(options.duration()) + " with faults "
                        + options.faultsText() + (options.beyondTolerance() ? " beyond tolerance" : ""));
                awaitLoad(options.duration(), workload.stats(), nemesis, clock, log);
                if (nemesis != null) {
                    try {
                        faults = nemesis.stop();
                    } catch (IOException e) {
                        faults = nemesis.events();
                        problems.add(e.getMessage());
                        healQuietly(cluster, problems);
                    }
                }
                try {
                    workload.stop(STOP_TIMEOUT);
                } catch (IllegalStateException e) {
                    problems.add(e.getMessage());
                }
                log.printf(Locale.ROOT, "chaos: load over after %.0f s: %d operations, %d faults%n",
                        clock.getAsLong() / 1e9, workload.stats().total(), faults.size());
                settle(cluster, problems);
                Optional<String> unsettled = cluster.awaitMembersSettled(MEMBERS_TIMEOUT);
                unsettled.ifPresent(u -> {
                    log.println("chaos: " + u);
                    afterHeal.add(new Finding(FindingType.MEMBERS_UNSETTLED, "", u, List.of()));
                });
                cluster.setMembersListener(null);
                workload.useNodes(endpoints(cluster));
                healed = Instant.now();
                List<Op> finals = workload.finalReads(FINAL_READ_ATTEMPTS, FINAL_READ_PAUSE, FINAL_READ_RETRY);
                afterHeal.addAll(unread(finals));
                long unread = finals.stream().filter(o -> o.outcome() != Outcome.OK).count();
                if (unread > 0) {
                    log.println("chaos: " + unread + " final read(s) still failed after their attempts");
                }
            } finally {
                cluster.setMembersListener(null);
            }
        }
        List<Finding> unprotected = List.of();
        if (!options.faults().isEmpty() && options.weaken().isEmpty()) {
            log.println("chaos: waiting for every object to be back at full protection");
            unprotected = ProtectionWait.await(cluster, healed, PROTECTION_TIMEOUT);
            unprotected.forEach(f -> log.println("chaos: " + f.explanation()));
        }
        log.println("chaos: checking the history");
        CheckResult result = new Checker().check(historyFile).with(unprotected).with(afterHeal);
        List<Op> history = HistoryFile.read(historyFile);
        List<Op> load = history.stream().filter(o -> o.worker() < options.workers()).toList();
        RunReport report = new RunReport(options.seed(), options.command(), settings(options), started, result,
                faults, Availability.of(load, faults), atStart, Machine.now(), problems);
        report.write(out, history);
        Summary summary = report.summary();
        int exit = summary.exitCode() == Summary.VALID && !problems.isEmpty() ? Summary.NOT_RUN : summary.exitCode();
        return new RunResult(exit, summary, out, report, problems);
    }

    /** The S3 endpoints of the cluster's current members, as the workload reaches them. */
    static List<NodeEndpoint> endpoints(ChaosCluster cluster) {
        return cluster.nodeIds().stream().map(n -> new NodeEndpoint(n, cluster.s3Endpoint(n), null)).toList();
    }

    /**
     * One {@link FindingType#UNREADABLE} finding per key (or listing) whose final read through some member did not
     * end OK after every attempt, naming the reads that failed.
     */
    static List<Finding> unread(List<Op> finals) {
        Map<String, List<Op>> failed = new TreeMap<>();
        for (Op op : finals) {
            if (op.outcome() != Outcome.OK) {
                failed.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        List<Finding> findings = new ArrayList<>();
        failed.forEach((key, ops) -> findings.add(new Finding(FindingType.UNREADABLE, key, "the final "
                + ops.get(0).type() + " through " + ops.stream().map(Op::node).distinct().toList() + " still ended "
                + ops.get(0).outcome() + " after its attempts, every fault healed"
                + (ops.get(0).error() == null ? "" : ": " + ops.get(0).error()), ops)));
        return findings;
    }

    /** Waits out the load, printing progress now and then. */
    private static void awaitLoad(Duration duration, WorkloadStats stats, Nemesis nemesis, LongSupplier clock,
            PrintStream log) throws InterruptedException {
        long end = duration.toNanos();
        long nextProgress = PROGRESS_EVERY.toNanos();
        for (long now = clock.getAsLong(); now < end; now = clock.getAsLong()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(end - now, Math.max(1, nextProgress - now)));
            if (clock.getAsLong() >= nextProgress && clock.getAsLong() < end) {
                log.printf(Locale.ROOT, "chaos: %4d s: %d ops (%d ok, %d refused, %d failed, %d unknown), %d faults "
                        + "healed%n", clock.getAsLong() / 1_000_000_000L, stats.total(), stats.count(Outcome.OK),
                        stats.count(Outcome.REFUSED), stats.count(Outcome.FAILED), stats.count(Outcome.UNKNOWN),
                        nemesis == null ? 0 : nemesis.events().size());
                nextProgress += PROGRESS_EVERY.toNanos();
            }
        }
    }

    /** Waits until a leader exists and every node serves; what does not happen becomes a problem of the run. */
    private static void settle(ChaosCluster cluster, List<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        try {
            cluster.awaitLeader(SETTLE_TIMEOUT);
            for (int n : cluster.nodeIds()) {
                cluster.awaitServing(n, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (IOException e) {
            problems.add("the cluster did not settle after the faults were healed: " + e.getMessage());
        }
    }

    private static void healQuietly(ChaosCluster cluster, List<String> problems) {
        try {
            cluster.heal();
        } catch (IOException e) {
            problems.add("healing the network failed: " + e.getMessage());
        }
    }

    /** Removes the namespaces and links of dead runs; failing that is not fatal (the run takes fresh names). */
    private static void removeLeftovers(PrintStream log) {
        try {
            List<String> removed = ChaosCluster.removeLeftovers();
            if (!removed.isEmpty()) {
                log.println("chaos: removed what earlier runs left: " + removed);
            }
        } catch (IOException e) {
            log.println("chaos: " + e.getMessage());
        }
    }

    private static void killNodes(ChaosCluster cluster) {
        for (int n : cluster.nodeIds()) {
            try {
                cluster.kill(n);
            } catch (IOException e) {
                System.err.println("chaos: " + e.getMessage());
            }
        }
    }

    private static void closeQuietly(ChaosCluster cluster, PrintStream log) {
        try {
            cluster.close();
        } catch (IOException e) {
            log.println("chaos: " + e.getMessage());
        }
    }

    private static String settings(RunOptions o) {
        return RunOptions.format(o.duration()) + " of load, " + o.workers() + " workers, faults " + o.faultsText()
                + (o.beyondTolerance() ? " (beyond tolerance: up to parity + 1 nodes at once)" : " (within tolerance)")
                + ", a fault every " + RunOptions.format(o.minGap()) + "-" + RunOptions.format(o.maxGap())
                + " lasting " + RunOptions.format(o.minFault()) + "-" + RunOptions.format(o.maxFault())
                + (o.weaken().isEmpty() ? "" : "; nodes weakened on purpose: " + o.weakenText());
    }

    /** {@code dir}, or {@code dir-2}, {@code dir-3}... the first that does not exist, so reruns keep earlier ones. */
    static Path freeDirectory(Path dir) {
        Path candidate = dir;
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = dir.resolveSibling(dir.getFileName() + "-" + i);
        }
        return candidate;
    }
}
