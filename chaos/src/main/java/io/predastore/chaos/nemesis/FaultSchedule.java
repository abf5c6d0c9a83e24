package io.predastore.chaos.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Decides the faults of a run, one after the other, from a seeded {@link Random}: the same seed, options and members
 * (and the same leaders named when asked) give the same faults. The kinds, timings and sizes of the faults depend on
 * the seed alone; only which nodes they hit depends on the members when each fault is planned, which
 * {@link FaultKind#CHURN} changes. No I/O; not thread-safe (one nemesis thread uses it).
 *
 * <p>Faults never overlap, so a fault of at most {@code parity} nodes keeps the cluster within tolerance; in
 * {@code beyondTolerance} mode a fault may hit {@code parity + 1} nodes. {@link FaultKind#ROT} always hits one node.
 * Churn events alternate: the first adds a node (and removes one when healed), the second replaces one, and so on.
 */
public final class FaultSchedule {
    private final Random random;
    private final NemesisOptions options;
    private final List<Integer> nodeIds;
    private final List<FaultKind> kinds;
    private final int maxFaulty;
    private int churns;

    /**
     * @param nodeIds the members at the start (what {@link #next(Supplier)} keeps drawing from)
     * @throws IllegalArgumentException when no node may be faulty (parity 0 within tolerance), or all could be
     */
    public FaultSchedule(NemesisOptions options, List<Integer> nodeIds, int parity) {
        this.options = options;
        this.random = new Random(options.seed());
        this.nodeIds = List.copyOf(nodeIds);
        this.kinds = List.copyOf(EnumSet.copyOf(options.faults()));
        this.maxFaulty = options.beyondTolerance() ? parity + 1 : parity;
        if (maxFaulty < 1) {
            throw new IllegalArgumentException("with parity " + parity + " no node may fail within tolerance; enable "
                    + "beyondTolerance to inject faults into this cluster");
        }
        checkMembers(this.nodeIds);
    }

    /** The most nodes one fault may hit: {@code parity}, or {@code parity + 1} beyond tolerance. */
    public int maxFaulty() {
        return maxFaulty;
    }

    /** The next fault on the members given at construction; see {@link #next(List, Supplier)}. */
    public FaultPlan next(Supplier<OptionalInt> leader) {
        return next(nodeIds, leader);
    }

    /**
     * The next fault, hitting some of {@code members} (the members faults may hit now, ascending). {@code leader} is
     * asked only when the fault is to hit the Raft leader; when it names none (or a node not among
     * {@code members}), the nodes are drawn at random as usual.
     *
     * @throws IllegalArgumentException when a fault of {@link #maxFaulty()} nodes would hit every member
     */
    public FaultPlan next(List<Integer> members, Supplier<OptionalInt> leader) {
        checkMembers(members);
        // Every draw happens whatever the outcome of earlier ones and whatever the members, so one answer of the
        // leader, or a member added, does not shift the rest: the nodes are drawn from a random of their own.
        Duration gap = between(options.minGap(), options.maxGap());
        FaultKind kind = kinds.get(random.nextInt(kinds.size()));
        Duration duration = between(options.minDuration(), options.maxDuration());
        boolean isolateOne = random.nextBoolean();
        int count = 1 + random.nextInt(maxFaulty);
        boolean hitLeader = random.nextBoolean();
        long pick = random.nextLong();
        long seed = random.nextLong();
        List<Integer> shuffled = new ArrayList<>(members);
        Collections.shuffle(shuffled, new Random(pick));
        boolean replace = kind == FaultKind.CHURN && churns++ % 2 == 1;

        int size = count;
        if (kind == FaultKind.ROT || kind == FaultKind.WIPE || kind == FaultKind.LOSE || replace) {
            size = 1;
        } else if (kind == FaultKind.CHURN) {
            size = 0;
        } else if (kind == FaultKind.PARTITION) {
            // Within tolerance the side cut off stays a minority, so the rest keeps a Raft majority.
            size = isolateOne ? 1 : options.beyondTolerance() ? count : Math.max(1, Math.min(count,
                    (members.size() - 1) / 2));
        }
        List<Integer> nodes = new ArrayList<>(shuffled.subList(0, size));
        if (size > 0 && (hitLeader && kind != FaultKind.PARTITION || hitLeader && size == 1)) {
            OptionalInt l = leader.get();
            if (l.isPresent() && members.contains(l.getAsInt()) && !nodes.contains(l.getAsInt())) {
                nodes.set(0, l.getAsInt());
            }
        }
        Collections.sort(nodes);
        return new FaultPlan(gap, kind, nodes, duration, seed, replace);
    }

    private void checkMembers(List<Integer> members) {
        if (maxFaulty >= members.size()) {
            throw new IllegalArgumentException("a fault of " + maxFaulty + " nodes would hit every one of the "
                    + members.size() + " nodes; use a cluster with more nodes than parity + 1");
        }
    }

    private Duration between(Duration min, Duration max) {
        long spread = max.toMillis() - min.toMillis();
        return min.plusMillis(spread <= 0 ? 0 : (long) (random.nextDouble() * (spread + 1)));
    }
}
