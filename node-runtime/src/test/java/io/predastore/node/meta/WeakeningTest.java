package io.predastore.node.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WeakeningTest {
    @Test
    void parse_namesAnyCaseAndSpacing_emptyIsNone() {
        assertThat(Weakening.parse("")).isEmpty();
        assertThat(Weakening.parse(" , ")).isEmpty();
        assertThat(Weakening.parse(" Local-Reads ")).isEqualTo(Set.of(Weakening.LOCAL_READS));
    }

    @Test
    void parse_unknown_isRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Weakening.parse("local-reads,ack-early")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("'ack-early'").hasMessageContaining("local-reads");
    }

    @Test
    void nothingIsWeakenedUnlessThePropertyIsSet() {
        assertThat(System.getProperty(Weakening.PROPERTY)).isNull();
        assertThat(Weakening.activeSet()).isEmpty();
        assertThat(Weakening.LOCAL_READS.active()).isFalse();
    }
}
