package io.predastore.chaos.nemesis;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a nemesis behaves. Use {@link #defaults(long)} and the {@code with...} methods.
 *
 * @param seed            seeds the {@link java.util.Random} that decides every fault, its nodes and its timing
 * @param faults          the kinds of fault it may inject (at least one)
 * @param beyondTolerance false (the default): never more than {@code parity} nodes faulty at once; true: up to
 *                        {@code parity + 1}, to check that the cluster then fails safe (errors, never wrong data)
 * @param minGap          the shortest quiet time before a fault
 * @param maxGap          the longest quiet time before a fault
 * @param minDuration     the shortest time a fault lasts
 * @param maxDuration     the longest time a fault lasts
 * @param healTimeout     how long a healed node (a restarted one) may take to serve again before the nemesis fails
 */
public record NemesisOptions(long seed, Set<FaultKind> faults, boolean beyondTolerance, Duration minGap,
        Duration maxGap, Duration minDuration, Duration maxDuration, Duration healTimeout) {
    public NemesisOptions {
        faults = Set.copyOf(faults);
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("a nemesis needs at least one kind of fault; pick from "
                    + EnumSet.allOf(FaultKind.class));
        }
        checkRange("gap", minGap, maxGap);
        checkRange("duration", minDuration, maxDuration);
        Objects.requireNonNull(healTimeout, "healTimeout");
    }

    /** Every fault, within tolerance, a fault every 3-8 s lasting 2-10 s, 2 minutes for a node to come back. */
    public static NemesisOptions defaults(long seed) {
        return new NemesisOptions(seed, EnumSet.allOf(FaultKind.class), false, Duration.ofSeconds(3),
                Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    /** The same with only {@code kinds} enabled. */
    public NemesisOptions withFaults(Set<FaultKind> kinds) {
        return new NemesisOptions(seed, kinds, beyondTolerance, minGap, maxGap, minDuration, maxDuration,
                healTimeout);
    }

    /** The same, allowing {@code parity + 1} faulty nodes or not. */
    public NemesisOptions withBeyondTolerance(boolean beyond) {
        return new NemesisOptions(seed, faults, beyond, minGap, maxGap, minDuration, maxDuration, healTimeout);
    }

    /** The same with quiet times between {@code min} and {@code max}. */
    public NemesisOptions withGap(Duration min, Duration max) {
        return new NemesisOptions(seed, faults, beyondTolerance, min, max, minDuration, maxDuration, healTimeout);
    }

    /** The same with faults lasting between {@code min} and {@code max}. */
    public NemesisOptions withDuration(Duration min, Duration max) {
        return new NemesisOptions(seed, faults, beyondTolerance, minGap, maxGap, min, max, healTimeout);
    }

    /** The same with another time a healed node may take to serve again. */
    public NemesisOptions withHealTimeout(Duration timeout) {
        return new NemesisOptions(seed, faults, beyondTolerance, minGap, maxGap, minDuration, maxDuration, timeout);
    }

    private static void checkRange(String what, Duration min, Duration max) {
        Objects.requireNonNull(min, "min " + what);
        Objects.requireNonNull(max, "max " + what);
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("the " + what + " must be a range 0 <= min <= max, not " + min + " to "
                    + max);
        }
    }
}
