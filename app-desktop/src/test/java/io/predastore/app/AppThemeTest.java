package io.predastore.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AppThemeTest {
    @Test
    void stylesheet_fromAssets_isOnTheClassPath() throws IOException {
        try (InputStream in = AppTheme.require(AppTheme.STYLESHEET).openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("-fx-accent");
        }
    }

    @Test
    void icons_everySize_arePngsOnTheClassPath() throws IOException {
        for (int size : AppTheme.ICON_SIZES) {
            try (InputStream in = AppTheme.require(AppTheme.iconResource(size)).openStream()) {
                byte[] head = in.readNBytes(8);
                assertThat(head).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            }
        }
    }

    @Test
    void require_missingResource_namesIt() {
        assertThatThrownBy(() -> AppTheme.require("/nope.css")).hasMessageContaining("/nope.css");
    }
}
