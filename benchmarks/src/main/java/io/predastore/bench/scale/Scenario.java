package io.predastore.bench.scale;

import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.util.ArrayList;
import java.util.List;

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
    final Movement join;
    /** Shards the joining member receives, for one object per partition. */
    final double joinerShards;
    final List<Leave> leaves;

    /**
     * One member leaving.
     *
     * @param member the departed member's number
     * @param departedShards shards it held, for one object per partition
     * @param movement what moves
     */
    record Leave(int member, double departedShards, Movement movement) {
    }

    private Scenario(RingConfig config, int members, int width, int leaveSamples) {
        this.config = config;
        this.members = members;
        this.width = width;
        this.ring = Ring.of(PlacementTable.members(members), config);
        this.table = PlacementTable.of(ring, width);
        double[] one = ObjectSpread.even(config.partitionCount(), config.partitionCount());
        this.shardsPerObjectPerPartition = table.shardsPerMember(one, members);
        PlacementTable grown = PlacementTable.of(ring.withMember(PlacementTable.member(members + 1)), width);
        this.join = table.movementTo(grown, one);
        this.joinerShards = grown.shardsPerMember(one, members + 1)[members + 1];
        this.leaves = new ArrayList<>();
        for (int n : leavingMembers(members, leaveSamples)) {
            Member gone = PlacementTable.member(n);
            PlacementTable shrunk = PlacementTable.of(ring.withoutMember(gone), width);
            leaves.add(new Leave(n, shardsPerObjectPerPartition[n], table.movementTo(shrunk, one)));
        }
    }

    /**
     * Builds the scenario.
     *
     * @param leaveSamples how many members to remove, one at a time (spread evenly over the member numbers)
     * @throws IllegalArgumentException if {@code members} is below {@code width} + 1 (a leave must still place
     *     every shard)
     */
    static Scenario of(RingConfig config, int members, int width, int leaveSamples) {
        if (members <= width) {
            throw new IllegalArgumentException(members + " members cannot lose one and still place " + width
                    + " shards per object; use at least " + (width + 1));
        }
        return new Scenario(config, members, width, leaveSamples);
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
