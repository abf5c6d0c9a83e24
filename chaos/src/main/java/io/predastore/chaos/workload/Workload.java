package io.predastore.chaos.workload;

import io.predastore.chaos.history.HistoryFile;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The clients of a fault-injection run: {@link WorkloadConfig#workers()} threads sending seeded S3 operations (PUT,
 * GET, HEAD, DELETE, multipart uploads, conditional creates and replaces, listings) to random nodes through the AWS
 * SDK, each attempt recorded into a {@link HistoryFile} with its outcome as the client could tell it (see
 * {@link io.predastore.chaos.history.Outcome}), and counted in {@link #stats()}.
 *
 * <p>Use: {@link #createBucket}, {@link #start}, (faults come and go), {@link #stop}, (faults healed, cluster
 * settled) {@link #finalReads}, {@link #close}. Lifecycle methods are for one controlling thread; {@link #stats()}
 * may be read from any thread at any time.
 */
public final class Workload implements AutoCloseable {
    private final WorkloadConfig config;
    private final WorkloadStats stats = new WorkloadStats();
    private final NodeClients clients;
    private final Operations ops;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param config  what to run
     * @param history where every operation is appended; the caller closes it after this workload
     * @param clock   nanoseconds since the run started (e.g. {@code () -> System.nanoTime() - start}), shared with
     *                whatever else records times of the run, so that all its times compare
     */
    public Workload(WorkloadConfig config, HistoryFile history, LongSupplier clock) {
        this.config = config;
        this.clients = new NodeClients(config);
        this.ops = new Operations(config.bucket(), config.prefix(), new Recorder(history, stats, clock));
    }

    /** The configuration this workload runs. */
    public WorkloadConfig config() {
        return config;
    }

    /** The run's counts so far (live: it keeps counting). */
    public WorkloadStats stats() {
        return stats;
    }

    /**
     * Creates the run's bucket (not recorded in the history), trying each node in turn until one answers.
     *
     * @throws IllegalStateException if no node created it within {@code timeout}
     * @throws InterruptedException  if interrupted while waiting to try again
     */
    public void createBucket(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            List<NodeClients.Target> targets = clients.targets();
            try {
                targets.get(attempt % targets.size()).client().createBucket(b -> b.bucket(config.bucket()));
                return;
            } catch (BucketAlreadyOwnedByYouException e) {
                return;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("could not create bucket " + config.bucket() + " through any node within "
                + timeout + "; is the cluster up and the credential right? Last error: "
                + (last == null ? "none" : Outcomes.describe(last)), last);
    }

    /**
     * Sends every operation from now on (the final reads included) to {@code nodes} instead: the cluster's members
     * changed. Operations under way finish where they are. Any thread.
     *
     * @throws IllegalArgumentException if {@code nodes} is empty
     */
    public void useNodes(List<NodeEndpoint> nodes) {
        clients.use(nodes);
    }

    /** Starts the workers; they run until {@link #stop}. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("the workload has already been started");
        }
        for (int w = 0; w < config.workers(); w++) {
            Thread t = new Thread(new Worker(w, config, clients, ops, () -> stopping), "chaos-worker-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * Tells the workers to stop and waits for each to finish its current operation (bounded by the call timeout,
     * a few times over for a multipart upload), so that the history holds no operation still in flight.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if a worker is still running after {@code timeout}
     */
    public synchronized void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            t.join(left);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " is still running " + timeout + " after stop; its "
                        + "operation outlived the call timeout " + config.callTimeout());
            }
        }
    }

    /** {@link #start}, wait {@code duration}, {@link #stop} (waiting up to a minute for operations in flight). */
    public void run(Duration duration) throws InterruptedException {
        start();
        Thread.sleep(duration.toMillis());
        stop(Duration.ofMinutes(1));
    }

    /**
     * The end of a run, after faults are healed and the cluster has settled: a GET of every key through every node,
     * then one LIST of the prefix through every node, recorded as ordinary operations of worker
     * {@code workers()} (one past the last worker). A read that fails (e.g. 503 just after a restart) is tried
     * again, up to {@code attempts} times in all, {@code pause} apart, each attempt recorded, as long as
     * {@code retryFor} has not passed since the final reads began; after that every read left gets one attempt (a
     * node that never answers, each attempt waiting out the call timeout, would otherwise take many minutes).
     *
     * @return the last attempt of each read, GETs by key then node, then the LISTs by node
     * @throws InterruptedException if interrupted while pausing
     */
    public List<Op> finalReads(int attempts, Duration pause, Duration retryFor) throws InterruptedException {
        if (!threads.isEmpty() && !stopping) {
            throw new IllegalStateException("stop the workload before the final reads");
        }
        int worker = config.workers();
        long retryUntil = System.nanoTime() + retryFor.toNanos();
        List<NodeClients.Target> targets = clients.targets();
        List<Op> last = new ArrayList<>();
        for (String key : config.allKeys()) {
            for (NodeClients.Target t : targets) {
                last.add(retrying(attempts, pause, retryUntil,
                        () -> ops.get(t.client(), t.node().name(), worker, key)));
            }
        }
        for (NodeClients.Target t : targets) {
            last.add(retrying(attempts, pause, retryUntil, () -> ops.list(t.client(), t.node().name(), worker)));
        }
        return last;
    }

    private static Op retrying(int attempts, Duration pause, long retryUntil, java.util.function.Supplier<Op> read)
            throws InterruptedException {
        Op op = read.get();
        for (int i = 1; i < attempts && op.outcome() != Outcome.OK && System.nanoTime() - retryUntil < 0; i++) {
            Thread.sleep(pause.toMillis());
            op = read.get();
        }
        return op;
    }

    /**
     * Stops the workers if running (waiting up to a minute for operations in flight) and closes the SDK clients. An
     * interrupt while waiting is kept on the thread.
     */
    @Override
    public void close() {
        try {
            if (!threads.isEmpty()) {
                stop(Duration.ofMinutes(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.close();
        }
    }
}
