package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaVotersTest {
    private static List<MetaPeerConfig> peers(String... ids) {
        List<MetaPeerConfig> out = new ArrayList<>();
        int port = 7000;
        for (String id : ids) {
            out.add(new MetaPeerConfig(id, "127.0.0.1", port++));
        }
        return out;
    }

    @Test
    void target_isFiveFromFiveUp_threeForThreeOrFour_allBelowThree() {
        assertThat(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 50L).stream().map(MetaVoters::target).toList())
                .containsExactly(1, 2, 3, 3, 5, 5, 5, 5);
    }

    @Test
    void initial_lowestNodeIdsFirst_byNumberNotByText() {
        assertThat(MetaVoters.initial(peers("node-10", "node-2", "node-7", "node-1", "node-3", "node-4", "node-5")))
                .containsExactlyInAnyOrder("node-1", "node-2", "node-3", "node-4", "node-5");
        assertThat(MetaVoters.initial(peers("node-4", "node-1", "node-3", "node-2")))
                .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        assertThat(MetaVoters.initial(peers("node-1", "node-2", "node-3", "node-4", "node-5"))).hasSize(5);
        assertThat(MetaVoters.initial(peers("b", "a", "d", "c"))).containsExactlyInAnyOrder("a", "b", "c");
    }
}
