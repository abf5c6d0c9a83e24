package io.predastore.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AdminEndpointTest {
    @Test
    void parse_hostPort_becomesHttpUri() {
        assertThat(AdminEndpoint.parse(" 127.0.0.1:9100 ")).isEqualTo(URI.create("http://127.0.0.1:9100"));
        assertThat(AdminEndpoint.parse("node-3.lan:9100")).isEqualTo(URI.create("http://node-3.lan:9100"));
        assertThat(AdminEndpoint.parse("[::1]:9100")).isEqualTo(URI.create("http://[::1]:9100"));
        assertThat(AdminEndpoint.parse("https://10.0.0.5:9100/")).isEqualTo(URI.create("https://10.0.0.5:9100"));
        assertThat(AdminEndpoint.parse("10.0.0.5:9100", true)).isEqualTo(URI.create("https://10.0.0.5:9100"));
        assertThat(AdminEndpoint.parse("http://10.0.0.5:9100", true)).isEqualTo(URI.create("http://10.0.0.5:9100"));
        assertThat(AdminEndpoint.display(URI.create("http://10.0.0.5:9100"))).isEqualTo("10.0.0.5:9100");
    }

    @Test
    void parse_unusableText_saysWhatIsMissing() {
        assertThatThrownBy(() -> AdminEndpoint.parse(" ")).hasMessageContaining("Enter the admin endpoint");
        assertThatThrownBy(() -> AdminEndpoint.parse("127.0.0.1")).hasMessageContaining("Add the admin port");
        assertThatThrownBy(() -> AdminEndpoint.parse("127.0.0.1:99999")).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> AdminEndpoint.parse("ftp://h:21")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> AdminEndpoint.parse("h:9100/admin")).hasMessageContaining("without a path");
        assertThatThrownBy(() -> AdminEndpoint.parse("h 1:9100")).hasMessageContaining("not host:port");
    }
}
