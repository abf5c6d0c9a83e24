package io.predastore.protocol.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementHealthTest {

    @Test
    void of_k3m2NoneMissing_readableTwoMoreTolerated() {
        assertThat(PlacementHealth.of(3, 2, 0)).isEqualTo(
                new PlacementHealth(true, "readable, all 5 shards present, 2 more losses tolerated"));
    }

    @Test
    void of_k3m2OneMissing_readableOneMoreTolerated() {
        assertThat(PlacementHealth.of(3, 2, 1)).isEqualTo(
                new PlacementHealth(true, "readable, 1 shard missing, 1 more loss tolerated"));
    }

    @Test
    void of_k3m2TwoMissing_readableNoMoreTolerated() {
        assertThat(PlacementHealth.of(3, 2, 2)).isEqualTo(
                new PlacementHealth(true, "readable, 2 shards missing, no more losses tolerated"));
    }

    @Test
    void of_k3m2ThreeMissing_unreadable() {
        assertThat(PlacementHealth.of(3, 2, 3)).isEqualTo(
                new PlacementHealth(false, "unreadable: 3 shards missing, at most 2 can be lost"));
    }

    @Test
    void of_k3m2AllMissing_unreadable() {
        assertThat(PlacementHealth.of(3, 2, 5).readable()).isFalse();
    }

    @Test
    void of_noParity_oneMissingUnreadable() {
        assertThat(PlacementHealth.of(4, 0, 0).verdict()).isEqualTo(
                "readable, all 4 shards present, no more losses tolerated");
        assertThat(PlacementHealth.of(4, 0, 1).verdict()).isEqualTo(
                "unreadable: 1 shard missing, at most 0 can be lost");
    }

    @Test
    void of_outOfRange_refused() {
        assertThatThrownBy(() -> PlacementHealth.of(3, 2, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlacementHealth.of(3, 2, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PlacementHealth.of(0, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placement_worstSegmentDecides_unreachableAndCorruptCountAsMissing() {
        ObjectPlacement p = new ObjectPlacement("b", "k", 10, 3, 2, List.of(
                segment("s1", ShardState.PRESENT, ShardState.PRESENT, ShardState.PRESENT, ShardState.PRESENT,
                        ShardState.MISSING),
                segment("s2", ShardState.PRESENT, ShardState.CORRUPT, ShardState.PRESENT, ShardState.UNREACHABLE,
                        ShardState.PRESENT)));
        assertThat(p.health()).isEqualTo("readable, 2 shards missing, no more losses tolerated");
        assertThat(p.readable()).isTrue();
    }

    @Test
    void placement_unlistedShards_countAsMissing() {
        ObjectPlacement p = new ObjectPlacement("b", "k", 10, 3, 2, List.of(new SegmentPlacement("s", 10,
                List.of(new ShardPlacement(0, false, "n", ShardState.PRESENT),
                        new ShardPlacement(1, false, "n", ShardState.PRESENT)))));
        assertThat(p.readable()).isFalse();
        assertThat(p.health()).isEqualTo("unreadable: 3 shards missing, at most 2 can be lost");
    }

    private static SegmentPlacement segment(String id, ShardState... states) {
        List<ShardPlacement> shards = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            shards.add(new ShardPlacement(i, i >= 3, "node-" + i, states[i]));
        }
        return new SegmentPlacement(id, 5, shards);
    }
}
