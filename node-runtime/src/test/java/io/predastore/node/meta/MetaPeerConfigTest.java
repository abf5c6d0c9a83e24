package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A node's Raft peer id is spelled in one place, and read back there too. */
class MetaPeerConfigTest {
    @Test
    void peerId_roundTripsToTheNodeId_andAnythingElseIsRefused() {
        assertThat(MetaPeerConfig.peerIdOf(7)).isEqualTo("node-7");
        assertThat(MetaPeerConfig.nodeIdOf(MetaPeerConfig.peerIdOf(12))).isEqualTo(12);
        for (String bad : new String[] {null, "n1", "node-", "node-x", "peer-3"}) {
            assertThatThrownBy(() -> MetaPeerConfig.nodeIdOf(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
