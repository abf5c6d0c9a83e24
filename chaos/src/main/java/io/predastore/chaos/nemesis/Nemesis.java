package io.predastore.chaos.nemesis;

import io.predastore.chaos.cluster.NodeControl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Injects faults into a running cluster on a thread of its own: it waits a random gap, injects the next fault of
 * its {@link FaultSchedule}, keeps it for its duration, heals it (restarting killed nodes and waiting until they
 * serve), records a {@link FaultEvent} in the fault log, and goes on until {@link #stop()}. One fault at a time, so
 * within tolerance no more than {@code parity} nodes are ever faulty at once.
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} may be called from any thread, once each.
 */
public final class Nemesis {
    private static final long STOP_WAIT_MINUTES = 5;

    private final NodeControl cluster;
    private final NemesisOptions options;
    private final FaultSchedule schedule;
    private final LongSupplier clock;
    private final FaultLog log;
    private final List<FaultEvent> events = new ArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile Exception failure;

    /**
     * @param cluster the nodes to hurt
     * @param options seed, faults, timing
     * @param clock   nanoseconds since the run started, the same clock as the history's
     * @param log     where every fault is recorded as it is healed; the caller closes it
     */
    public Nemesis(NodeControl cluster, NemesisOptions options, LongSupplier clock, FaultLog log) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.schedule = new FaultSchedule(options, cluster.nodeIds(), cluster.parity());
        this.thread = new Thread(this::run, "nemesis");
        this.thread.setDaemon(true);
    }

    /** Starts injecting faults. */
    public void start() {
        thread.start();
    }

    /**
     * Stops injecting: the fault under way is healed at once (a killed node is restarted and waited for), then every
     * partition is healed once more for safety.
     *
     * @return every fault of the run, in the order healed
     * @throws IOException if a fault could not be injected or healed (the cluster may be left hurt; the message
     *                     says how), or the nemesis did not stop within 5 minutes
     */
    public List<FaultEvent> stop() throws IOException, InterruptedException {
        stopping.countDown();
        if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
            thread.join(TimeUnit.MINUTES.toMillis(STOP_WAIT_MINUTES));
        }
        if (thread.isAlive()) {
            throw new IOException("the nemesis did not stop within " + STOP_WAIT_MINUTES + " minutes; a node it "
                    + "restarted may not come back: see the node logs");
        }
        cluster.heal();
        Exception failed = failure;
        if (failed != null) {
            throw new IOException("the nemesis failed: " + failed.getMessage(), failed);
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The faults healed so far. */
    public List<FaultEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private void run() {
        try {
            while (!stopped()) {
                FaultPlan plan = schedule.next(cluster::leader);
                if (await(plan.gap().toNanos())) {
                    return;
                }
                long start = clock.getAsLong();
                String[] detail = new String[1];
                Heal heal = inject(plan, detail);
                try {
                    // A lost node stays down past the grace, so that the cluster declares it lost.
                    await(plan.duration().toNanos()
                            + (plan.kind() == FaultKind.LOSE ? cluster.deadNodeGrace().toNanos() : 0));
                } finally {
                    heal.run();
                }
                FaultEvent event = new FaultEvent(plan.kind(), plan.nodes(), start, clock.getAsLong(), detail[0]);
                synchronized (events) {
                    events.add(event);
                }
                log.append(event);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = e;
            Thread.currentThread().interrupt();
        }
    }

    /** Undoes one injected fault. */
    @FunctionalInterface
    private interface Heal {
        void run() throws IOException, InterruptedException;
    }

    /**
     * Injects {@code plan} and returns how to heal it; what the fault did, where worth saying, goes to
     * {@code detail[0]}. If the injection fails part way, what was done is healed before the failure is thrown.
     */
    private Heal inject(FaultPlan plan, String[] detail) throws IOException, InterruptedException {
        List<Integer> done = new ArrayList<>();
        Heal heal = switch (plan.kind()) {
            case KILL, WIPE, LOSE -> () -> {
                for (int n : done) {
                    cluster.start(n);
                }
                for (int n : done) {
                    cluster.awaitServing(n, options.healTimeout());
                }
            };
            case PAUSE -> () -> {
                for (int n : done) {
                    cluster.resume(n);
                }
            };
            case PARTITION -> cluster::heal;
            case DISK_FULL -> () -> {
                for (int n : done) {
                    cluster.freeDisk(n);
                }
            };
            // Rot is not undone: it stays until a read finds it and the shard is repaired.
            case ROT -> () -> { };
        };
        try {
            switch (plan.kind()) {
                case KILL, LOSE -> {
                    for (int n : plan.nodes()) {
                        cluster.kill(n);
                        done.add(n);
                    }
                }
                case WIPE -> {
                    for (int n : plan.nodes()) {
                        cluster.kill(n);
                        done.add(n);
                        cluster.wipe(n);
                    }
                }
                case PAUSE -> {
                    for (int n : plan.nodes()) {
                        cluster.pause(n);
                        done.add(n);
                    }
                }
                case PARTITION -> cluster.isolate(plan.nodes());
                case DISK_FULL -> {
                    for (int n : plan.nodes()) {
                        done.add(n);
                        cluster.fillDisk(n);
                    }
                }
                case ROT -> {
                    int flipped = cluster.rot(plan.nodes().get(0), plan.seed());
                    detail[0] = flipped + (flipped == 1 ? " byte" : " bytes") + " flipped";
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                heal.run();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return heal;
    }

    /** Waits {@code nanos} or until stopped; true if stopped. */
    private boolean await(long nanos) throws InterruptedException {
        return stopping.await(nanos, TimeUnit.NANOSECONDS);
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }
}
