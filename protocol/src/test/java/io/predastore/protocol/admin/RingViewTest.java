package io.predastore.protocol.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingViewTest {

    @Test
    void of_ring_membersTokensLoadsAndOwnersMatchTheRing() {
        Ring ring = Ring.of(List.of(new Member("a"), new Member("b"), new Member("c")), new RingConfig(31, 4, 1.25));
        RingView view = RingView.of(ring, id -> !id.equals("c"));

        assertThat(view.partitionCount()).isEqualTo(31);
        assertThat(view.replicationFactor()).isEqualTo(4);
        assertThat(view.loadFactor()).isEqualTo(1.25);
        assertThat(view.members()).extracting(RingMember::id).containsExactly("a", "b", "c");
        assertThat(view.members()).extracting(RingMember::alive).containsExactly(true, true, false);
        RingMember a = view.members().get(0);
        assertThat(a.tokens()).hasSize(4);
        assertThat(a.rawTokens()).containsExactlyElementsOf(ring.virtualNodesOf(new Member("a")).stream()
                .map(v -> v.unsignedToken()).toList());
        assertThat(a.load()).isEqualTo(ring.loadOf(new Member("a")));
        assertThat(view.partitionOwners()).hasSize(31);
        assertThat(view.partitionOwners().get(7)).isEqualTo(ring.ownerOf(7).id());
        assertThat(view.members().stream().mapToInt(RingMember::load).sum()).isEqualTo(31);
    }
}
