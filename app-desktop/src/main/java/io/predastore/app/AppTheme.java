package io.predastore.app;

import java.net.URL;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/**
 * The app's look: the stylesheet and the window icons, read from the class path, where the build puts the
 * repository's {@code assets/} folder (under {@code io/predastore/app/assets/}). Call on the FX thread.
 */
final class AppTheme {
    /** The class-path folder of the assets. */
    static final String ROOT = "/io/predastore/app/assets/";
    static final String STYLESHEET = ROOT + "css/predastore.css";
    /** Icon sizes given to the window; the window system picks the one that fits. */
    static final List<Integer> ICON_SIZES = List.of(16, 32, 48, 64, 128, 256);

    private AppTheme() {
    }

    static String iconResource(int size) {
        return ROOT + "icons/predastore-" + size + ".png";
    }

    /**
     * Adds the stylesheet to the scene and the icons to the stage. The headless Monocle platform (the UI tests) has
     * no window decorations to show icons in, and handing it icons stalled its FX thread for seconds, so it gets none.
     */
    static void apply(Stage stage, Scene scene) {
        scene.getStylesheets().add(require(STYLESHEET).toExternalForm());
        if ("Monocle".equalsIgnoreCase(System.getProperty("glass.platform"))) {
            return;
        }
        for (int size : ICON_SIZES) {
            stage.getIcons().add(new Image(require(iconResource(size)).toExternalForm()));
        }
    }

    static URL require(String resource) {
        URL url = AppTheme.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the class path; build the app with Maven, which "
                    + "copies it from the assets folder");
        }
        return url;
    }
}
