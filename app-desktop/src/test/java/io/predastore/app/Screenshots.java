package io.predastore.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/**
 * Renders a scene to {@code docs/screenshots/NAME.png}, only when {@code -Dpredastore.screenshots=true} (so a normal
 * build never rewrites the committed images). Call on the FX thread.
 */
public final class Screenshots {
    private Screenshots() {
    }

    public static boolean enabled() {
        return Boolean.getBoolean("predastore.screenshots");
    }

    public static void save(Scene scene, String name) {
        if (!enabled()) {
            return;
        }
        Path dir = Path.of(System.getProperty("predastore.screenshotDir", "../docs/screenshots"));
        WritableImage image = scene.snapshot(null);
        try {
            Files.createDirectories(dir);
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name + ".png").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
