package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RingPlacementPropertiesTest {

    @Property(tries = 300)
    void placement_randomHashAndCount_neverListsAMemberTwice(
            @ForAll @IntRange(min = 1, max = 64) int memberCount,
            @ForAll @IntRange(min = 1, max = 64) int requested,
            @ForAll long hash) {
        Ring ring = Ring.of(RingFigures.members(memberCount));
        int count = Math.min(requested, memberCount);

        List<Member> placement = ring.placement(hash, count);

        assertThat(placement).hasSize(count);
        assertThat(new HashSet<>(placement)).hasSize(count);
        assertThat(ring.members()).containsAll(placement);
    }

    @Property(tries = 200)
    void placement_largerCount_extendsSmallerPlacement(
            @ForAll @IntRange(min = 2, max = 32) int memberCount,
            @ForAll long hash) {
        Ring ring = Ring.of(RingFigures.members(memberCount));

        List<Member> all = ring.placement(hash, memberCount);
        for (int count = 1; count < memberCount; count++) {
            assertThat(ring.placement(hash, count)).isEqualTo(all.subList(0, count));
        }
    }
}
