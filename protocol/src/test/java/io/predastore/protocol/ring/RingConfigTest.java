package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RingConfigTest {

    @Test
    void defaults_always_match271PartitionsTwentyVirtualNodesAndOnePointTwoFive() {
        assertThat(RingConfig.defaults()).isEqualTo(new RingConfig(271, 20, 1.25));
    }

    @Test
    void constructor_zeroPartitions_throwsWithValue() {
        assertThatThrownBy(() -> new RingConfig(0, 20, 1.25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitionCount must be positive, got 0");
    }

    @Test
    void constructor_negativeReplicationFactor_throwsWithValue() {
        assertThatThrownBy(() -> new RingConfig(271, -1, 1.25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replicationFactor must be positive, got -1");
    }

    @Test
    void constructor_loadFactorOne_throwsWithValue() {
        assertThatThrownBy(() -> new RingConfig(271, 20, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("greater than 1.0, got 1.0");
    }

    @Test
    void constructor_loadFactorNaNOrInfinite_throws() {
        assertThatThrownBy(() -> new RingConfig(271, 20, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RingConfig(271, 20, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadCap_defaults_roundsDownLoadFactorTimesAverage() {
        RingConfig config = RingConfig.defaults();

        assertThat(config.loadCap(5)).isEqualTo(67);
        assertThat(config.loadCap(16)).isEqualTo(21);
        assertThat(config.loadCap(64)).isEqualTo(5);
        assertThat(config.loadCap(1000)).isEqualTo(1);
    }

    @Test
    void loadCap_zeroMembers_throws() {
        assertThatThrownBy(() -> RingConfig.defaults().loadCap(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
