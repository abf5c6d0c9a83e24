package io.predastore.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.config.TuningConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleTimeoutPropertyTest {
    private static final TuningConfig TUNED = TuningConfig.DEFAULTS.withS3IdleTimeout(Duration.ofSeconds(45));

    @Test
    void applyTo_unset_keepsTheTunedValue() {
        assertThat(IdleTimeoutProperty.applyTo(TUNED, null, true)).isEqualTo(TUNED);
    }

    @Test
    void applyTo_wholeSeconds_overrideTheKey() {
        assertThat(IdleTimeoutProperty.applyTo(TUNED, "2", true).s3IdleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(IdleTimeoutProperty.applyTo(TuningConfig.DEFAULTS, " 300 ", false).s3IdleTimeout())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void applyTo_unusableValue_isIgnored() {
        assertThat(IdleTimeoutProperty.applyTo(TUNED, "0", true)).isEqualTo(TUNED);
        assertThat(IdleTimeoutProperty.applyTo(TUNED, "-5", false)).isEqualTo(TUNED);
        assertThat(IdleTimeoutProperty.applyTo(TUNED, "2m", false)).isEqualTo(TUNED);
        assertThat(IdleTimeoutProperty.applyTo(TUNED, "86401", false)).isEqualTo(TUNED);
        assertThat(IdleTimeoutProperty.applyTo(TUNED, "99999999999999999999", false)).isEqualTo(TUNED);
    }
}
