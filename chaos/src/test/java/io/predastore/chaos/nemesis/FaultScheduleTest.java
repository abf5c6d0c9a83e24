package io.predastore.chaos.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
    private static final List<Integer> NODES = List.of(1, 2, 3, 4, 5);

    static List<FaultPlan> plans(NemesisOptions options, int count, OptionalInt leader) {
        FaultSchedule schedule = new FaultSchedule(options, NODES, 2);
        List<FaultPlan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plans.add(schedule.next(() -> leader));
        }
        return plans;
    }

    @Test
    void next_sameSeed_sameFaults() {
        List<FaultPlan> a = plans(NemesisOptions.defaults(42), 300, OptionalInt.of(3));
        List<FaultPlan> b = plans(NemesisOptions.defaults(42), 300, OptionalInt.of(3));
        assertThat(a).isEqualTo(b);
        assertThat(plans(NemesisOptions.defaults(43), 300, OptionalInt.of(3))).isNotEqualTo(a);
    }

    @Test
    void next_leaderUnknown_drawsTheSameTimingAndKinds() {
        List<FaultPlan> known = plans(NemesisOptions.defaults(7), 100, OptionalInt.of(4));
        List<FaultPlan> unknown = plans(NemesisOptions.defaults(7), 100, OptionalInt.empty());
        for (int i = 0; i < known.size(); i++) {
            assertThat(unknown.get(i).kind()).isEqualTo(known.get(i).kind());
            assertThat(unknown.get(i).gap()).isEqualTo(known.get(i).gap());
            assertThat(unknown.get(i).duration()).isEqualTo(known.get(i).duration());
        }
    }

    @Test
    void next_withinTolerance_neverMoreThanParityNodes() {
        List<FaultPlan> plans = plans(NemesisOptions.defaults(1), 1000, OptionalInt.of(1));
        assertThat(plans).allSatisfy(p -> {
            assertThat(p.nodes()).hasSizeBetween(1, 2).doesNotHaveDuplicates().isSorted();
            assertThat(NODES).containsAll(p.nodes());
        });
        assertThat(plans).anySatisfy(p -> assertThat(p.nodes()).hasSize(2));
        assertThat(plans).extracting(FaultPlan::kind).contains(FaultKind.values());
    }

    @Test
    void next_beyondTolerance_hitsParityPlusOneButNoMore() {
        List<FaultPlan> plans = plans(NemesisOptions.defaults(1).withBeyondTolerance(true), 1000, OptionalInt.of(1));
        assertThat(plans).allSatisfy(p -> assertThat(p.nodes()).hasSizeBetween(1, 3));
        for (FaultKind kind : EnumSet.complementOf(EnumSet.of(FaultKind.ROT, FaultKind.WIPE, FaultKind.LOSE))) {
            assertThat(plans).as(kind.name()).anySatisfy(p -> {
                assertThat(p.kind()).isEqualTo(kind);
                assertThat(p.nodes()).hasSize(3);
            });
        }
    }

    @Test
    void next_partitionWithinTolerance_cutsOffAMinorityAndSometimesOneNode() {
        List<FaultPlan> partitions = plans(NemesisOptions.defaults(5).withFaults(EnumSet.of(FaultKind.PARTITION)),
                500, OptionalInt.of(2));
        assertThat(partitions).allSatisfy(p -> assertThat(p.nodes().size()).isLessThanOrEqualTo(2));
        assertThat(partitions).anySatisfy(p -> assertThat(p.nodes()).hasSize(1));
        assertThat(partitions).anySatisfy(p -> assertThat(p.nodes()).hasSize(2));
    }

    @Test
    void next_rotWipeLose_alwaysOneNode_evenBeyondTolerance_withItsOwnSeed() {
        List<FaultPlan> rots = plans(NemesisOptions.defaults(4).withFaults(EnumSet.of(FaultKind.ROT, FaultKind.WIPE,
                FaultKind.LOSE))
                .withBeyondTolerance(true), 300, OptionalInt.of(3));
        assertThat(rots).allSatisfy(p -> assertThat(p.nodes()).hasSize(1));
        assertThat(rots).extracting(p -> p.nodes().get(0)).containsAll(NODES);
        assertThat(rots).extracting(FaultPlan::seed).doesNotHaveDuplicates();
    }

    @Test
    void next_kill_hitsTheLeaderAtLeastHalfOfTheTime() {
        List<FaultPlan> kills = plans(NemesisOptions.defaults(9).withFaults(EnumSet.of(FaultKind.KILL)), 1000,
                OptionalInt.of(5));
        long withLeader = kills.stream().filter(p -> p.nodes().contains(5)).count();
        assertThat(withLeader).isGreaterThanOrEqualTo(500);
    }

    @Test
    void next_timing_staysInTheConfiguredRanges() {
        NemesisOptions options = NemesisOptions.defaults(3).withGap(Duration.ofSeconds(3), Duration.ofSeconds(8))
                .withDuration(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat(plans(options, 500, OptionalInt.empty())).allSatisfy(p -> {
            assertThat(p.gap()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
            assertThat(p.duration()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
        });
    }

    @Test
    void new_parityZeroWithinTolerance_isRefused() {
        assertThatThrownBy(() -> new FaultSchedule(NemesisOptions.defaults(1), NODES, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyondTolerance");
        assertThatThrownBy(() -> new FaultSchedule(NemesisOptions.defaults(1).withBeyondTolerance(true),
                List.of(1, 2, 3), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every one of the 3 nodes");
    }
}
