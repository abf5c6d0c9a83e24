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
 * The simulator's shortcut (one placement per partition, weighted by the objects in it) against placing real
 * object hashes one by one on the product's ring.
 */
class ScalePlacementTableTest {
    private static final int WIDTH = 5;
    private static final int OBJECTS = 50_000;

    @Test
    void shardsPerMember_tenMembers_equalPlacingEachObject() {
        Ring ring = Ring.of(PlacementTable.members(10), RingConfig.defaults());
        long[] direct = new long[11];
        for (long i = 0; i < OBJECTS; i++) {
            for (Member m : ring.placement(hash(i), WIDTH)) {
                direct[PlacementTable.number(m)]++;
            }
        }

        double[] simulated = PlacementTable.of(ring, WIDTH)
                .shardsPerMember(ObjectSpread.weights(ObjectSpread.sampled(ring, OBJECTS)), 10);

        for (int n = 1; n <= 10; n++) {
            assertThat(simulated[n]).as("shards on node-%d", n).isEqualTo((double) direct[n]);
        }
        assertThat(direct[0]).isZero();
    }

    @Test
    void movementTo_tenToEleven_equalsComparingEachObjectsPlacement() {
        Ring ten = Ring.of(PlacementTable.members(10), RingConfig.defaults());
        Ring eleven = ten.withMember(PlacementTable.member(11));
        long slotMoves = 0;
        long setMoves = 0;
        long objectsTouched = 0;
        for (long i = 0; i < OBJECTS; i++) {
            List<Member> before = ten.placement(hash(i), WIDTH);
            List<Member> after = eleven.placement(hash(i), WIDTH);
            Set<Member> held = new HashSet<>(before);
            int added = 0;
            for (int s = 0; s < WIDTH; s++) {
                slotMoves += before.get(s).equals(after.get(s)) ? 0 : 1;
                added += held.contains(after.get(s)) ? 0 : 1;
            }
            setMoves += added;
            objectsTouched += added > 0 ? 1 : 0;
        }

        Movement m = PlacementTable.of(ten, WIDTH).movementTo(PlacementTable.of(eleven, WIDTH),
                ObjectSpread.weights(ObjectSpread.sampled(ten, OBJECTS)));

        assertThat(m.objects()).isEqualTo(OBJECTS);
        assertThat(m.slotMoves()).isEqualTo((double) slotMoves);
        assertThat(m.setMoves()).isEqualTo((double) setMoves);
        assertThat(m.objectsBySet()).isEqualTo((double) objectsTouched);
        assertThat(setMoves).isPositive();
    }

    private static long hash(long i) {
        return Ring.hashObject(ObjectSpread.BUCKET, ObjectSpread.key(i));
    }
}
