package io.predastore.protocol.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Measures balance and partition movement for docs/ring.md.
 *
 * <p>Rerun with {@code mvn -B -pl protocol test -Dtest='RingBalanceTest,RingMovementTest'}; the tests print the
 * same figures.
 */
final class RingFigures {

    /** Seed of the random cluster sweep, fixed so figures and assertions are reproducible. */
    static final long SWEEP_SEED = 20240611L;

    /** Number of random clusters in the sweep. */
    static final int SWEEP_CLUSTERS = 500;

    private RingFigures() {
    }

    /** Balance of one ring. */
    record Balance(int members, double average, int cap, int max, int min) {
        double maxOverAverage() {
            return max / average;
        }

        @Override
        public String toString() {
            return String.format("members=%d avg=%.2f cap=%d max=%d min=%d max/avg=%.3f",
                    members, average, cap, max, min, maxOverAverage());
        }
    }

    /** Partition movement between two rings. */
    record Movement(String change, int partitions, int moved, int removedOwned, int extra) {
        @Override
        public String toString() {
            String summary = String.format("%s: moved=%d of %d (%.1f%%)", change, moved, partitions,
                    100.0 * moved / partitions);
            return removedOwned == 0 ? summary
                    : summary + String.format(", removed member owned=%d, other partitions moved=%d", removedOwned,
                            extra);
        }
    }

    /** Worst cases over random clusters of 2..64 members. */
    record Sweep(int clusters, int worstExtraOnRemoval, double worstAddMovedFraction, double worstAddOverIdeal) {
        @Override
        public String toString() {
            return String.format("sweep of %d clusters (2..64 members): removal moved at most %d partitions not owned"
                    + " by the removed member; adding moved at most %.1f%% of partitions, %.2fx the ideal 1/(n+1)",
                    clusters, worstExtraOnRemoval, 100 * worstAddMovedFraction, worstAddOverIdeal);
        }
    }

    static List<Member> members(int count) {
        List<Member> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(new Member("node-" + i));
        }
        return result;
    }

    static Balance balance(int memberCount) {
        Ring ring = Ring.of(members(memberCount));
        int min = ring.loads().values().stream().mapToInt(Integer::intValue).min().orElse(0);
        return new Balance(memberCount, ring.averageLoad(), ring.loadCap(), ring.maxLoad(), min);
    }

    static Movement movement(String change, Ring before, Ring after) {
        Member removed = before.members().stream().filter(m -> !after.contains(m)).findFirst().orElse(null);
        int moved = 0;
        int extra = 0;
        int removedOwned = removed == null ? 0 : before.loadOf(removed);
        for (int p = 0; p < before.config().partitionCount(); p++) {
            Member was = before.ownerOf(p);
            if (!was.equals(after.ownerOf(p))) {
                moved++;
                if (!was.equals(removed)) {
                    extra++;
                }
            }
        }
        return new Movement(change, before.config().partitionCount(), moved, removedOwned,
                removed == null ? 0 : extra);
    }

    static Sweep sweep() {
        Random random = new Random(SWEEP_SEED);
        int worstExtra = 0;
        double worstAddFraction = 0;
        double worstAddOverIdeal = 0;
        for (int t = 0; t < SWEEP_CLUSTERS; t++) {
            int n = 2 + random.nextInt(63);
            List<Member> members = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                members.add(new Member("m" + random.nextInt(1_000_000) + "-" + i));
            }
            Ring ring = Ring.of(members);
            Member victim = members.get(random.nextInt(n));
            worstExtra = Math.max(worstExtra, movement("remove", ring, ring.withoutMember(victim)).extra());
            Movement add = movement("add", ring, ring.withMember(new Member("new-" + t)));
            double fraction = (double) add.moved() / add.partitions();
            worstAddFraction = Math.max(worstAddFraction, fraction);
            worstAddOverIdeal = Math.max(worstAddOverIdeal, fraction * (n + 1));
        }
        return new Sweep(SWEEP_CLUSTERS, worstExtra, worstAddFraction, worstAddOverIdeal);
    }

    static List<Movement> removalsFromSix() {
        Ring six = Ring.of(members(6));
        List<Movement> result = new ArrayList<>();
        for (Member member : six.members()) {
            result.add(movement("remove " + member.id() + " from 6", six, six.withoutMember(member)));
        }
        return result;
    }

    /** Adding node-n to node-0..node-(n-1), then removing each member of the n+1 ring in turn. */
    static List<String> scalingTable() {
        List<String> lines = new ArrayList<>();
        for (int n : new int[] {2, 5, 8, 16, 32, 64}) {
            Ring before = Ring.of(members(n));
            Member added = new Member("node-" + n);
            Ring after = before.withMember(added);
            Movement add = movement("add", before, after);
            int worstExtra = 0;
            int totalExtra = 0;
            for (Member member : after.members()) {
                int extra = movement("remove", after, after.withoutMember(member)).extra();
                worstExtra = Math.max(worstExtra, extra);
                totalExtra += extra;
            }
            lines.add(String.format("%d -> %d members: add moved %d (ideal %.1f, new member got %d);"
                    + " removing one of %d moved at most %d (mean %.1f) other partitions",
                    n, n + 1, add.moved(), (double) add.partitions() / (n + 1), after.loadOf(added), n + 1,
                    worstExtra, (double) totalExtra / (n + 1)));
        }
        return lines;
    }

    static Movement addSixthToFive() {
        Ring five = Ring.of(members(5));
        return movement("add node-5 to 5", five, five.withMember(new Member("node-5")));
    }

    public static void main(String[] args) {
        for (int n : new int[] {5, 16, 64}) {
            System.out.println(balance(n));
        }
        System.out.println(addSixthToFive());
        removalsFromSix().forEach(System.out::println);
        scalingTable().forEach(System.out::println);
        System.out.println(sweep());
    }
}
