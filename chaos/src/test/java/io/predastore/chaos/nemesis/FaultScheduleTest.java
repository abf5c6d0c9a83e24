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
            // A churn that adds a node names none beforehand; it removes one when healed.
            assertThat(p.nodes()).hasSizeBetween(p.kind() == FaultKind.CHURN && !p.replace() ? 0 : 1, 2)
                    .doesNotHaveDuplicates().isSorted();
            assertThat(NODES).containsAll(p.nodes());
        });
        assertThat(plans).anySatisfy(p -> assertThat(p.nodes()).hasSize(2));
        assertThat(plans).extracting(FaultPlan::kind).contains(FaultKind.values());
    }

    @Test
    void next_beyondTolerance_hitsParityPlusOneButNoMore() {
        List<FaultPlan> plans = plans(NemesisOptions.defaults(1).withBeyondTolerance(true), 1000, OptionalInt.of(1));
        assertThat(plans).allSatisfy(p -> assertThat(p.nodes()).hasSizeBetween(
                p.kind() == FaultKind.CHURN && !p.replace() ? 0 : 1, 3));
        for (FaultKind kind : EnumSet.complementOf(EnumSet.of(FaultKind.ROT, FaultKind.WIPE, FaultKind.LOSE,
                FaultKind.CHURN))) {
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
    void next_churn_alternatesAddingAndReplacing_replacingOneMemberOfThoseGiven() {
        FaultSchedule schedule = new FaultSchedule(NemesisOptions.defaults(6).withFaults(EnumSet.of(FaultKind.CHURN,
                FaultKind.KILL)), NODES, 2);
        List<Integer> members = new ArrayList<>(NODES);
        List<FaultPlan> churns = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            FaultPlan p = schedule.next(List.copyOf(members), OptionalInt::empty);
            assertThat(members).as("%s hits members only", p).containsAll(p.nodes());
            if (p.kind() == FaultKind.CHURN) {
                churns.add(p);
                if (!p.replace()) {
                    // What a nemesis does: a new node, then one member removed.
                    members.add(members.get(members.size() - 1) + 1);
                    members.remove(Integer.valueOf(members.get(Math.floorMod(p.seed(), members.size()))));
                }
            }
        }
        assertThat(churns).hasSizeGreaterThan(100);
        for (int i = 0; i < churns.size(); i++) {
            FaultPlan p = churns.get(i);
            assertThat(p.replace()).as("churn %d", i).isEqualTo(i % 2 == 1);
            assertThat(p.nodes()).hasSize(p.replace() ? 1 : 0);
        }
        assertThat(churns).filteredOn(FaultPlan::replace).extracting(p -> p.nodes().get(0))
                .as("nodes added later are replaced too").anyMatch(n -> n > 5);
    }

    @Test
    void next_otherMembers_sameKindsTimingsAndSeeds() {
        FaultSchedule five = new FaultSchedule(NemesisOptions.defaults(8), NODES, 2);
        FaultSchedule six = new FaultSchedule(NemesisOptions.defaults(8), NODES, 2);
        List<Integer> grown = List.of(1, 2, 4, 5, 6, 7);
        for (int i = 0; i < 200; i++) {
            FaultPlan a = five.next(NODES, () -> OptionalInt.of(2));
            FaultPlan b = six.next(grown, () -> OptionalInt.of(2));
            assertThat(List.of(b.kind(), b.gap(), b.duration(), b.seed(), b.replace()))
                    .isEqualTo(List.of(a.kind(), a.gap(), a.duration(), a.seed(), a.replace()));
            assertThat(grown).containsAll(b.nodes());
        }
    }

    @Test
    void plan_onlyAChurnReplaces_andOnlyAnAdditionNamesNoNode() {
        assertThatThrownBy(() -> new FaultPlan(Duration.ZERO, FaultKind.KILL, List.of(1), Duration.ZERO, 0, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultPlan(Duration.ZERO, FaultKind.CHURN, List.of(), Duration.ZERO, 0, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultPlan(Duration.ZERO, FaultKind.KILL, List.of(), Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new FaultPlan(Duration.ZERO, FaultKind.CHURN, List.of(), Duration.ZERO, 0).nodes()).isEmpty();
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
