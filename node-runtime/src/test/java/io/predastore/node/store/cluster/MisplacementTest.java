package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.testing.TestClock;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which shards of a set are misplaced and where they go, on RS 3+2 over in-process nodes (six members, or seven): a shard outside the
 * set's place moves only onto a free node of the place, and waits while that node is down or full; a draining node's
 * shards go to a free node of the place, else to any other active node free of the set; a removed node's shards are
 * not moves (they are rebuilt as lost).
 */
class MisplacementTest {
    private static final List<Integer> ALL = List.of(1, 2, 3, 4, 5, 6);

    @TempDir
    Path dir;

    private LocalRouter router;
    private LocalMetadataStore meta;
    private ClusterContext cx;

    @BeforeEach
    void open() throws IOException {
        router = new LocalRouter(dir.resolve("shards"), 7);
        meta = LocalMetadataStore.open(dir.resolve("meta"));
        cx = new ClusterContext(meta, router, Runnable::run, new TestClock(Instant.parse("2030-01-01T00:00:00Z")), 3,
                2, 5, 64 * 1024, Duration.ZERO);
    }

    @AfterEach
    void close() throws IOException {
        meta.close();
        router.close();
    }

    /** The ring order of {@code active} for the key, as the write path computes it. */
    private static List<Integer> order(String key, List<Integer> active) {
        Ring ring = Ring.of(active.stream().map(id -> new Member(MetaPeerConfig.peerIdOf(id))).toList());
        return ring.placement(Ring.hashObject("b", key), active.size()).stream()
                .map(m -> MetaPeerConfig.nodeIdOf(m.id())).toList();
    }

    private static ShardSet set(List<Integer> nodes) {
        return new ShardSet("s", 100_000, 3, 2, 4096, nodes.stream().mapToInt(Integer::intValue).toArray());
    }

    private Misplacement of(MemberSet members, ShardSet set) {
        return Misplacement.of(cx, members, "b", "k", set, router.liveNodes(), router.nodesBelowReserve());
    }

    @Test
    void aSetOnItsPlace_hasNothingMisplaced() {
        ShardSet onPlace = set(order("k", ALL).subList(0, 5));
        assertThat(of(new MemberSet(2, ALL, List.of()), onPlace).misplaced()).isEmpty();
    }

    @Test
    void aShardOutsideThePlace_movesOntoTheFreeNodeOfThePlace_andWaitsWhileItIsDown() {
        List<Integer> order = order("k", ALL);
        List<Integer> nodes = new ArrayList<>(order.subList(0, 4));
        nodes.add(2, order.get(5)); // shard 2 on the one node outside the place
        ShardSet set = set(nodes);
        MemberSet members = new MemberSet(2, ALL, List.of());

        Misplacement plan = of(members, set);
        assertThat(plan.misplaced()).containsExactly(2);
        assertThat(plan.cause(2)).isEqualTo(RepairCause.REBALANCE);
        assertThat(plan.target(2)).isEqualTo(order.get(4));
        assertThat(plan.shardBytes()).isEqualTo(set.layout().shardLength(set.length()));

        router.down(order.get(4));
        Misplacement waiting = of(members, set);
        assertThat(waiting.misplaced()).as("still misplaced: the place does not follow who is up").containsExactly(2);
        assertThat(waiting.movable()).isEmpty();
        assertThat(waiting.target(2)).isEqualTo(ShardSet.MISSING);
    }

    @Test
    void aDrainingNodesShard_goesToTheFreeNodeOfThePlace_elseToAnotherActiveNode() {
        List<Integer> seven = List.of(1, 2, 3, 4, 5, 6, 7);
        int draining = order("k", seven).get(0);
        List<Integer> active = seven.stream().filter(n -> n != draining).toList();
        List<Integer> activeOrder = order("k", active);
        // The set holds the draining node and four nodes of the place; the fifth node of the place is free, and so
        // is the one active node outside the place.
        List<Integer> nodes = new ArrayList<>(List.of(draining));
        nodes.addAll(activeOrder.subList(0, 4));
        ShardSet set = set(nodes);
        MemberSet members = new MemberSet(3, active, List.of(draining));

        Misplacement plan = of(members, set);
        assertThat(plan.misplaced()).containsExactly(0);
        assertThat(plan.cause(0)).isEqualTo(RepairCause.DRAIN);
        assertThat(plan.target(0)).isEqualTo(activeOrder.get(4));

        router.down(activeOrder.get(4));
        Misplacement around = of(members, set);
        assertThat(around.target(0)).as("a drained shard leaves even while the free node of the place is down")
                .isEqualTo(activeOrder.get(5));
    }

    @Test
    void aRemovedNodesShard_isNotAMove() {
        List<Integer> order = order("k", ALL);
        int removed = order.get(0);
        List<Integer> active = ALL.stream().filter(n -> n != removed).toList();
        List<Integer> nodes = new ArrayList<>(List.of(removed));
        nodes.addAll(order("k", active).subList(0, 4));

        MemberSet members = new MemberSet(4, active, List.of());
        assertThat(of(members, set(nodes)).misplaced()).isEmpty();
        assertThat(Misplacement.removed(members, removed)).isTrue();
        assertThat(Misplacement.removed(members, active.get(0))).isFalse();
        assertThat(Misplacement.removed(new MemberSet(5, List.of(), List.of()), removed))
                .as("a member list without active members says nothing").isFalse();
    }
}
