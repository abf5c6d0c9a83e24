package io.predastore.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a member leaving does to placements on the real ring (ten members, RS 3+2 width, default configuration),
 * partition by partition. Where the partition's owner stays, only the departed member's shard is replaced (one member
 * out of the set, one in) and the shard indexes before it stay put; the indexes after it shift along the ring, so
 * re-placing by index moves more than the departed share. Anything else moves only where bounded loads reassign the
 * partition's owner.
 */
class ScaleLeaveTest {
    private static final int WIDTH = 5;
    private static final int MEMBERS = 10;

    @Test
    void withoutMember_eachOfTen_movesDepartedShardsPlusOnlyOwnerReassignments() {
        Ring ring = Ring.of(PlacementTable.members(MEMBERS), RingConfig.defaults());
        int partitions = ring.config().partitionCount();
        double[] one = ObjectSpread.even(partitions, partitions);
        PlacementTable before = PlacementTable.of(ring, WIDTH);
        double[] held = before.shardsPerMember(one, MEMBERS);
        for (int gone = 1; gone <= MEMBERS; gone++) {
            Ring shrunk = ring.withoutMember(PlacementTable.member(gone));
            PlacementTable after = PlacementTable.of(shrunk, WIDTH);
            int extraSetMoves = 0;
            for (int p = 0; p < partitions; p++) {
                List<Member> was = ring.placement(p, WIDTH);
                List<Member> now = shrunk.placement(p, WIDTH);
                assertThat(now).doesNotContain(PlacementTable.member(gone));
                int index = was.indexOf(PlacementTable.member(gone));
                Set<Member> added = new HashSet<>(now);
                added.removeAll(was);
                if (!ring.ownerOf(p).equals(shrunk.ownerOf(p))) {
                    extraSetMoves += added.size() - (index >= 0 ? 1 : 0);
                } else if (index < 0) {
                    assertThat(now).as("partition %d without node-%d", p, gone).isEqualTo(was);
                } else {
                    assertThat(now.subList(0, index)).isEqualTo(was.subList(0, index));
                    assertThat(added).hasSize(1);
                }
            }

            Movement m = before.movementTo(after, one);

            assertThat(m.setMoves()).as("set moves when node-%d leaves", gone).isEqualTo(held[gone] + extraSetMoves);
            assertThat(m.slotMoves()).isGreaterThanOrEqualTo(m.setMoves());
        }
    }
}
