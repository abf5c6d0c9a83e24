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
 * Decides the faults of a run, one after the other, from a seeded {@link Random}: the same seed, options and nodes
 * (and the same leaders named when asked) give the same faults. No I/O; not thread-safe (one nemesis thread uses it).
 *
 * <p>Faults never overlap, so a fault of at most {@code parity} nodes keeps the cluster within tolerance; in
 * {@code beyondTolerance} mode a fault may hit {@code parity + 1} nodes. {@link FaultKind#ROT} always hits one node.
 */
public final class FaultSchedule {
    private final Random random;
    private final NemesisOptions options;
    private final List<Integer> nodeIds;
    private final List<FaultKind> kinds;
    private final int maxFaulty;

    /**
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
        if (maxFaulty >= this.nodeIds.size()) {
            throw new IllegalArgumentException("a fault of " + maxFaulty + " nodes would hit every one of the "
                    + this.nodeIds.size() + " nodes; use a cluster with more nodes than parity + 1");
        }
    }

    /** The most nodes one fault may hit: {@code parity}, or {@code parity + 1} beyond tolerance. */
    public int maxFaulty() {
        return maxFaulty;
    }

    /**
     * The next fault. {@code leader} is asked only when the fault is to hit the Raft leader; when it names none (or
     * a node not in the cluster), the nodes are drawn at random as usual.
     */
    public FaultPlan next(Supplier<OptionalInt> leader) {
        // Every draw happens whatever the outcome of earlier ones, so one answer of the leader does not shift the rest.
        Duration gap = between(options.minGap(), options.maxGap());
        FaultKind kind = kinds.get(random.nextInt(kinds.size()));
        Duration duration = between(options.minDuration(), options.maxDuration());
        boolean isolateOne = random.nextBoolean();
        int count = 1 + random.nextInt(maxFaulty);
        boolean hitLeader = random.nextBoolean();
        List<Integer> shuffled = new ArrayList<>(nodeIds);
        Collections.shuffle(shuffled, random);
        long seed = random.nextLong();

        int size = count;
        if (kind == FaultKind.ROT || kind == FaultKind.WIPE || kind == FaultKind.LOSE) {
            size = 1;
        } else if (kind == FaultKind.PARTITION) {
            // Within tolerance the side cut off stays a minority, so the rest keeps a Raft majority.
            size = isolateOne ? 1 : options.beyondTolerance() ? count : Math.max(1, Math.min(count,
                    (nodeIds.size() - 1) / 2));
        }
        List<Integer> nodes = new ArrayList<>(shuffled.subList(0, size));
        if (hitLeader && kind != FaultKind.PARTITION || hitLeader && size == 1) {
            OptionalInt l = leader.get();
            if (l.isPresent() && nodeIds.contains(l.getAsInt()) && !nodes.contains(l.getAsInt())) {
                nodes.set(0, l.getAsInt());
            }
        }
        Collections.sort(nodes);
        return new FaultPlan(gap, kind, nodes, duration, seed);
    }

    private Duration between(Duration min, Duration max) {
        long spread = max.toMillis() - min.toMillis();
        return min.plusMillis(spread <= 0 ? 0 : (long) (random.nextDouble() * (spread + 1)));
    }
}
