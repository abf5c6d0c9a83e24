package io.predastore.bench.scale;

import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One cluster size on one ring configuration: its placement, the balance of shards over its members, and what one
 * member joining or leaving moves. Fractions here do not depend on the object count (objects spread evenly over
 * partitions); absolute figures scale linearly with it. Immutable once built.
 */
final class Scenario {
    final RingConfig config;
    final int members;
    final int width;
    final Ring ring;
    final PlacementTable table;
    /** Shards per member for one object per partition, by member number. */
    final double[] shardsPerObjectPerPartition;
    /** One member joining, for each of several newcomers' ids (what a newcomer takes depends on its tokens). */
    final List<Change> joins;
    final List<Change> leaves;

    /**
     * One member joining or leaving.
     *
     * @param member the newcomer's or the departed member's number
     * @param memberShards shards the newcomer receives or the departed member held, for one object per partition
     * @param movement what moves
     */
    record Change(int member, double memberShards, Movement movement) {
    }

    private Scenario(RingConfig config, int members, int width, int samples) {
        this.config = config;
        this.members = members;
        this.width = width;
        this.ring = Ring.of(PlacementTable.members(members), config);
        this.table = PlacementTable.of(ring, width);
        double[] one = ObjectSpread.even(config.partitionCount(), config.partitionCount());
        this.shardsPerObjectPerPartition = table.shardsPerMember(one, members);
        this.joins = new ArrayList<>();
        for (int n = members + 1; n <= members + samples; n++) {
            PlacementTable grown = PlacementTable.of(ring.withMember(PlacementTable.member(n)), width);
            joins.add(new Change(n, grown.shardsPerMember(one, n)[n], table.movementTo(grown, one)));
        }
        this.leaves = new ArrayList<>();
        for (int n : leavingMembers(members, samples)) {
            Member gone = PlacementTable.member(n);
            PlacementTable shrunk = PlacementTable.of(ring.withoutMember(gone), width);
            leaves.add(new Change(n, shardsPerObjectPerPartition[n], table.movementTo(shrunk, one)));
        }
    }

    /** The mean of {@code measure} over {@code changes}. */
    static double mean(List<Change> changes, ToDoubleFunction<Change> measure) {
        return changes.stream().mapToDouble(measure).average().orElse(Double.NaN);
    }

    /** The largest {@code measure} over {@code changes}. */
    static double max(List<Change> changes, ToDoubleFunction<Change> measure) {
        return changes.stream().mapToDouble(measure).max().orElse(Double.NaN);
    }

    /** The smallest {@code measure} over {@code changes}. */
    static double min(List<Change> changes, ToDoubleFunction<Change> measure) {
        return changes.stream().mapToDouble(measure).min().orElse(Double.NaN);
    }

    /**
     * Builds the scenario.
     *
     * @param samples how many members to add, one at a time (numbers {@code members + 1} on), and to remove, one
     *     at a time (spread evenly over the member numbers)
     * @throws IllegalArgumentException if {@code members} is below {@code width} + 1 (a leave must still place
     *     every shard)
     */
    static Scenario of(RingConfig config, int members, int width, int samples) {
        if (members <= width) {
            throw new IllegalArgumentException(members + " members cannot lose one and still place " + width
                    + " shards per object; use at least " + (width + 1));
        }
        return new Scenario(config, members, width, samples);
    }

    /** {@code samples} member numbers spread evenly over {@code 1..members}, always including 1. */
    static List<Integer> leavingMembers(int members, int samples) {
        List<Integer> numbers = new ArrayList<>();
        int count = Math.min(samples, members);
        for (int i = 0; i < count; i++) {
            numbers.add(1 + (int) ((long) i * members / count));
        }
        return numbers;
    }

    /** Average shards per member for one object per partition: {@code partitions * width / members}. */
    double averageShards() {
        return (double) config.partitionCount() * width / members;
    }

    double maxShards() {
        double max = 0;
        for (int n = 1; n <= members; n++) {
            max = Math.max(max, shardsPerObjectPerPartition[n]);
        }
        return max;
    }

    double minShards() {
        double min = Double.MAX_VALUE;
        for (int n = 1; n <= members; n++) {
            min = Math.min(min, shardsPerObjectPerPartition[n]);
        }
        return min;
    }

    int membersWithoutShards() {
        int none = 0;
        for (int n = 1; n <= members; n++) {
            none += shardsPerObjectPerPartition[n] == 0 ? 1 : 0;
        }
        return none;
    }
}
