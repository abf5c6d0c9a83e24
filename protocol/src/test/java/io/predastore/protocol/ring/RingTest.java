package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingTest {

    private static final Member NODE_0 = new Member("node-0");

    @Test
    void of_noMembers_throwsIllegalArgument() {
        assertThatThrownBy(() -> Ring.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a ring needs at least one member");
    }

    @Test
    void of_duplicateIds_throwsNamingTheId() {
        assertThatThrownBy(() -> Ring.of(List.of(new Member("node-1"), new Member("node-1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate member id: node-1");
    }

    @Test
    void of_shuffledMembers_buildsTheSameRing() {
        List<Member> members = new ArrayList<>(RingFigures.members(12));
        Ring sorted = Ring.of(members);
        Collections.shuffle(members, new java.util.Random(3));
        Ring shuffled = Ring.of(members);

        assertThat(shuffled.partitionOwners()).isEqualTo(sorted.partitionOwners());
        assertThat(shuffled.virtualNodes()).isEqualTo(sorted.virtualNodes());
        assertThat(shuffled.members()).isEqualTo(sorted.members());
    }

    @Test
    void withMember_existingMember_throws() {
        Ring ring = Ring.of(RingFigures.members(3));

        assertThatThrownBy(() -> ring.withMember(NODE_0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("member already in the ring: node-0");
    }

    @Test
    void withMember_newMember_leavesOriginalUnchanged() {
        Ring ring = Ring.of(RingFigures.members(3));
        Ring bigger = ring.withMember(new Member("node-9"));

        assertThat(ring.members()).hasSize(3);
        assertThat(bigger.members()).hasSize(4).contains(new Member("node-9"));
        assertThat(bigger.config()).isEqualTo(ring.config());
    }

    @Test
    void withoutMember_unknownOrLastMember_throws() {
        Ring ring = Ring.of(List.of(NODE_0));

        assertThatThrownBy(() -> ring.withoutMember(new Member("node-7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("member not in the ring: node-7");
        assertThatThrownBy(() -> ring.withoutMember(NODE_0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot remove the last member: node-0");
    }

    @Test
    void partitionOf_negativeHash_treatsHashAsUnsigned() {
        Ring ring = Ring.of(RingFigures.members(3));

        assertThat(ring.partitionOf(-1L)).isEqualTo((int) Long.remainderUnsigned(-1L, 271));
        assertThat(ring.partitionOf(Long.MIN_VALUE)).isBetween(0, 270);
        assertThat(ring.partitionOf(542L)).isZero();
    }

    @Test
    void hashObject_bucketAndKey_hashesSlashJoinedUtf8() {
        byte[] identity = "photos/été.jpg".getBytes(StandardCharsets.UTF_8);

        assertThat(Ring.hashObject("photos", "été.jpg")).isEqualTo(XxHash64.hash(identity));
        assertThat(Ring.hashObject(identity)).isEqualTo(XxHash64.hash(identity));
    }

    @Test
    void placement_countAboveMembers_throwsNamingBothNumbers() {
        Ring ring = Ring.of(RingFigures.members(5));

        assertThatThrownBy(() -> ring.placement(42L, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("placement count 6 exceeds the member count 5");
    }

    @Test
    void placement_zeroCount_throws() {
        Ring ring = Ring.of(RingFigures.members(5));

        assertThatThrownBy(() -> ring.placement(42L, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("placement count must be positive, got 0");
    }

    @Test
    void placement_identityBytes_equalsPlacementOfTheirHash() {
        Ring ring = Ring.of(RingFigures.members(8));
        byte[] identity = "bucket/key".getBytes(StandardCharsets.UTF_8);

        assertThat(ring.placement(identity, 6)).isEqualTo(ring.placement(Ring.hashObject("bucket", "key"), 6));
    }

    @Test
    void placement_firstElement_isPartitionOwner() {
        Ring ring = Ring.of(RingFigures.members(8));

        for (long hash = 0; hash < 1000; hash++) {
            assertThat(ring.placement(hash, 3).get(0)).isEqualTo(ring.ownerOf(ring.partitionOf(hash)));
        }
    }

    @Test
    void placement_allMembers_returnsEveryMemberOnce() {
        Ring ring = Ring.of(RingFigures.members(7));

        assertThat(ring.placement(123L, 7)).containsExactlyInAnyOrderElementsOf(ring.members());
    }

    @Test
    void virtualNodes_defaultConfig_sortedByUnsignedTokenWithReplicationFactorPerMember() {
        Ring ring = Ring.of(RingFigures.members(4));
        List<VirtualNode> nodes = ring.virtualNodes();

        assertThat(nodes).hasSize(80);
        for (int i = 1; i < nodes.size(); i++) {
            assertThat(Long.compareUnsigned(nodes.get(i - 1).token(), nodes.get(i).token())).isNotPositive();
        }
        for (Member member : ring.members()) {
            List<VirtualNode> own = ring.virtualNodesOf(member);
            assertThat(own).hasSize(20).allMatch(n -> n.member().equals(member));
            for (int i = 0; i < own.size(); i++) {
                assertThat(own.get(i).index()).isEqualTo(i);
                assertThat(own.get(i).token())
                        .isEqualTo(XxHash64.hash((member.id() + "#" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void virtualNodesOf_unknownMember_throws() {
        Ring ring = Ring.of(RingFigures.members(2));

        assertThatThrownBy(() -> ring.virtualNodesOf(new Member("node-5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("member not in the ring: node-5");
    }

    @Test
    void fractionOf_extremePositions_staysInUnitInterval() {
        assertThat(Ring.fractionOf(0L)).isZero();
        assertThat(Ring.fractionOf(Long.MIN_VALUE)).isEqualTo(0.5);
        assertThat(Ring.fractionOf(-1L)).isLessThan(1.0).isGreaterThan(0.999);
    }

    @Test
    void partitionPosition_partitionZero_isHashOfEightZeroBytes() {
        Ring ring = Ring.of(RingFigures.members(2));

        assertThat(ring.partitionPosition(0)).isEqualTo(XxHash64.hash(new byte[8]));
        assertThatThrownBy(() -> ring.partitionPosition(271)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void ownerOf_everyPartition_isNextUncappedMemberClockwise() {
        Ring ring = Ring.of(RingFigures.members(9));
        List<VirtualNode> nodes = ring.virtualNodes();
        int[] loads = new int[9];
        for (int p = 0; p < 271; p++) {
            long position = ring.partitionPosition(p);
            int idx = 0;
            while (idx < nodes.size() && Long.compareUnsigned(nodes.get(idx).token(), position) < 0) {
                idx++;
            }
            idx %= nodes.size();
            while (loads[ring.members().indexOf(nodes.get(idx).member())] >= ring.loadCap()) {
                idx = (idx + 1) % nodes.size();
            }
            Member expected = nodes.get(idx).member();
            loads[ring.members().indexOf(expected)]++;

            assertThat(ring.ownerOf(p)).as("owner of partition %d", p).isEqualTo(expected);
        }
    }

    @Test
    void loads_defaultConfig_reportAverageCapAndPerMemberCounts() {
        Ring ring = Ring.of(RingFigures.members(5));

        assertThat(ring.averageLoad()).isEqualTo(54.2);
        assertThat(ring.loadCap()).isEqualTo(67);
        assertThat(ring.loads()).hasSize(5);
        assertThat(ring.loads().keySet()).containsExactlyElementsOf(ring.members());
        for (Member member : ring.members()) {
            long owned = ring.partitionOwners().stream().filter(member::equals).count();
            assertThat(ring.loadOf(member)).isEqualTo((int) owned);
        }
        assertThat(ring.maxLoad()).isEqualTo(Collections.max(ring.loads().values()));
    }

    @Test
    void singleMember_anyHash_placesOnThatMember() {
        Ring ring = Ring.of(List.of(NODE_0), new RingConfig(7, 1, 1.01));

        assertThat(ring.placement(-5L, 1)).containsExactly(NODE_0);
        assertThat(ring.loadOf(NODE_0)).isEqualTo(7);
    }
}
