package io.predastore.chaos.nemesis;

import io.predastore.chaos.cluster.NodeControl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Injects faults into a running cluster on a thread of its own: it waits a random gap, injects the next fault of
 * its {@link FaultSchedule}, keeps it for its duration, heals it (restarting killed nodes and waiting until they
 * serve), records a {@link FaultEvent} in the fault log, and goes on until {@link #stop()}. One fault at a time, so
 * within tolerance no more than {@code parity} nodes are ever faulty at once. Each fault is planned on the members
 * as they are then ({@link NodeControl#nodeIds()}): a node a {@link FaultKind#CHURN} removed is never hit again, one
 * it added is hit like the others. A member being removed drains while the next faults go on; the nemesis lets go
 * of it once it has left ({@link NodeControl#reapRemoved()}).
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
                cluster.reapRemoved();
                FaultPlan plan = schedule.next(cluster.nodeIds(), cluster::leader);
                if (await(plan.gap().toNanos())) {
                    return;
                }
                long start = clock.getAsLong();
                String[] detail = new String[1];
                List<Integer> hit = new ArrayList<>(plan.nodes());
                Heal heal = inject(plan, detail, hit);
                try {
                    // A lost node stays down past the grace, so that the cluster declares it lost.
                    await(plan.duration().toNanos()
                            + (plan.kind() == FaultKind.LOSE ? cluster.deadNodeGrace().toNanos() : 0));
                } finally {
                    heal.run();
                }
                FaultEvent event = new FaultEvent(plan.kind(), hit.stream().distinct().sorted().toList(), start,
                        clock.getAsLong(), detail[0]);
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
     * {@code detail[0]}, and the nodes a churn added, removed or replaced to {@code hit}. If the injection fails part
     * way, what was done is healed before the failure is thrown.
     */
    private Heal inject(FaultPlan plan, String[] detail, List<Integer> hit) throws IOException, InterruptedException {
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
            // A replaced node is back once it serves; an addition is answered by a removal.
            case CHURN -> plan.replace() ? () -> { } : () -> removeMember(plan, detail, hit);
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
                case CHURN -> {
                    if (plan.replace()) {
                        int node = plan.nodes().get(0);
                        Optional<String> refused = cluster.replaceNode(node, options.healTimeout());
                        detail[0] = refused.map(r -> "node " + node + " not replaced: " + r)
                                .orElse("node " + node + " replaced by an empty one");
                    } else {
                        OptionalInt added = cluster.addNode(options.healTimeout());
                        hit.clear();
                        added.ifPresent(hit::add);
                        detail[0] = added.isPresent() ? "node " + added.getAsInt() + " added"
                                : "no node added: no spare host free";
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // A churn that failed part way is not answered by a removal: what it left is the failure to report.
            if (plan.kind() != FaultKind.CHURN) {
                try {
                    heal.run();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return heal;
    }

    /**
     * Removes a member drawn from {@code plan}'s seed among the members now (a node just added included): the first
     * in that order whose removal the cluster does not refuse. Appends it to {@code hit} and what happened to
     * {@code detail[0]}.
     */
    private void removeMember(FaultPlan plan, String[] detail, List<Integer> hit) throws IOException {
        List<Integer> order = new ArrayList<>(cluster.nodeIds());
        Collections.shuffle(order, new Random(plan.seed()));
        String refusal = "no member";
        for (int node : order) {
            Optional<String> refused = cluster.removeNode(node);
            if (refused.isEmpty()) {
                hit.add(node);
                detail[0] = (detail[0] == null ? "" : detail[0] + "; ") + "node " + node + " removed (draining)";
                return;
            }
            refusal = refused.get();
        }
        detail[0] = (detail[0] == null ? "" : detail[0] + "; ") + "no node removed: " + refusal;
    }

    /** Waits {@code nanos} or until stopped; true if stopped. */
    private boolean await(long nanos) throws InterruptedException {
        return stopping.await(nanos, TimeUnit.NANOSECONDS);
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }
}
