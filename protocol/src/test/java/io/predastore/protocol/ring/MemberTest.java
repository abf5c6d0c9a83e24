package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemberTest {

    @Test
    void constructor_blankId_throwsIllegalArgument() {
        assertThatThrownBy(() -> new Member(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void constructor_nullId_throwsNullPointer() {
        assertThatThrownBy(() -> new Member(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void compareTo_differentIds_ordersById() {
        assertThat(new Member("node-1")).isLessThan(new Member("node-2"));
        assertThat(new Member("node-1")).isEqualTo(new Member("node-1"));
    }
}
