package io.predastore.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    @Test
    void defaults_areValid_handshakeBoundedByTenSeconds() {
        assertThat(ConnectionLimits.DEFAULTS.maxConnections()).isEqualTo(1024);
        assertThat(ConnectionLimits.DEFAULTS.headerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConnectionLimits.DEFAULTS.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(new ConnectionLimits(1, Duration.ofSeconds(2)).handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void outOfRange_refusedNamingTheOption() {
        assertThatThrownBy(() -> new ConnectionLimits(0, Duration.ofSeconds(30)))
                .hasMessageContaining("--max-connections");
        assertThatThrownBy(() -> new ConnectionLimits(10, Duration.ofMillis(999)))
                .hasMessageContaining("--header-timeout");
        assertThatThrownBy(() -> new ConnectionLimits(10, Duration.ofHours(2)))
                .hasMessageContaining("--header-timeout");
    }
}
