package io.predastore.bench.scale;

import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the shards of every partition go on one ring: {@link Ring#placement(long, int)} evaluated once per
 * partition. A placement depends on an object's hash only through its partition ({@link Ring#partitionOf}), so this
 * table is the placement of every object; counting objects is weighting each partition by the objects it holds.
 * That is what makes a billion objects as cheap to simulate as a thousand.
 *
 * <p>Members are named {@code node-1 .. node-N}, as the node runtime names them when it builds its ring of live
 * nodes, and are kept here by their number. Immutable and thread-safe.
 */
final class PlacementTable {
    private static final String PREFIX = "node-";

    private final int partitions;
    private final int width;
    /** Member number of shard {@code i} of partition {@code p}, at {@code p * width + i}. */
    private final int[] slots;

    private PlacementTable(int partitions, int width, int[] slots) {
        this.partitions = partitions;
        this.width = width;
        this.slots = slots;
    }

    /**
     * Places every partition of {@code ring}. Partition {@code p} is placed through the hash {@code p} itself, which
     * falls in partition {@code p} because {@code p} is below the partition count.
     *
     * @param ring the ring, its members named {@code node-<number>}
     * @param width shards per object, {@code data + parity}
     * @return the table
     * @throws IllegalArgumentException if the ring has fewer members than {@code width}, or a member is not named
     *     {@code node-<number>}
     */
    static PlacementTable of(Ring ring, int width) {
        int partitions = ring.config().partitionCount();
        int[] slots = new int[partitions * width];
        for (int p = 0; p < partitions; p++) {
            List<Member> placed = ring.placement(p, width);
            for (int i = 0; i < width; i++) {
                slots[p * width + i] = number(placed.get(i));
            }
        }
        return new PlacementTable(partitions, width, slots);
    }

    /** {@code node-1 .. node-count}. */
    static List<Member> members(int count) {
        List<Member> members = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            members.add(member(n));
        }
        return members;
    }

    static Member member(int number) {
        return new Member(PREFIX + number);
    }

    static int number(Member member) {
        String id = member.id();
        if (!id.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the simulator names members node-<number>, got " + id);
        }
        return Integer.parseInt(id.substring(PREFIX.length()));
    }

    int partitions() {
        return partitions;
    }

    int width() {
        return width;
    }

    /** The member number holding shard {@code shard} of partition {@code partition}'s objects. */
    int member(int partition, int shard) {
        return slots[partition * width + shard];
    }

    /**
     * The shards each member holds when partition {@code p} holds {@code weight[p]} objects.
     *
     * @param weight objects per partition
     * @param highestMember the highest member number in the table
     * @return shards per member, indexed by member number (index 0 unused)
     */
    double[] shardsPerMember(double[] weight, int highestMember) {
        double[] shards = new double[highestMember + 1];
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < width; i++) {
                shards[slots[p * width + i]] += weight[p];
            }
        }
        return shards;
    }

    /**
     * What changes between this placement and {@code after} (same partition count and width), objects weighted by
     * partition.
     *
     * @param after the placement on the changed ring
     * @param weight objects per partition
     * @return the movement
     * @throws IllegalArgumentException if the tables differ in partition count or width
     */
    Movement movementTo(PlacementTable after, double[] weight) {
        if (after.partitions != partitions || after.width != width) {
            throw new IllegalArgumentException("placements of " + partitions + " x " + width + " and "
                    + after.partitions + " x " + after.width + " shards cannot be compared");
        }
        double objects = 0;
        double slotMoves = 0;
        double setMoves = 0;
        double objectsBySlot = 0;
        double objectsBySet = 0;
        for (int p = 0; p < partitions; p++) {
            int changedSlots = 0;
            int newMembers = 0;
            for (int i = 0; i < width; i++) {
                int member = after.slots[p * width + i];
                if (member != slots[p * width + i]) {
                    changedSlots++;
                }
                if (!holds(p, member)) {
                    newMembers++;
                }
            }
            objects += weight[p];
            slotMoves += changedSlots * weight[p];
            setMoves += newMembers * weight[p];
            objectsBySlot += changedSlots > 0 ? weight[p] : 0;
            objectsBySet += newMembers > 0 ? weight[p] : 0;
        }
        return new Movement(objects, objects * width, slotMoves, setMoves, objectsBySlot, objectsBySet);
    }

    private boolean holds(int partition, int member) {
        for (int i = 0; i < width; i++) {
            if (slots[partition * width + i] == member) {
                return true;
            }
        }
        return false;
    }
}
