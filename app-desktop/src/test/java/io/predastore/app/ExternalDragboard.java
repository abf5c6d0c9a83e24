package io.predastore.app;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.security.AccessControlContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.util.Pair;

/**
 * A {@link Dragboard} as JavaFX builds one for a drag that comes from another application: a real
 * {@code Dragboard} over a clipboard peer holding the dragged content and offering the source's transfer modes.
 * The toolkit's own peer for that case wraps the native drag, which headless Monocle has none of; its local
 * clipboard peer is only for drags that start in the window and refuses to tell transfer modes.
 */
final class ExternalDragboard implements TKClipboard {
    private final Map<DataFormat, Object> content = new LinkedHashMap<>();
    private final Set<TransferMode> modes;
    private Image view;
    private double offsetX;
    private double offsetY;

    private ExternalDragboard(Set<TransferMode> modes) {
        this.modes = Set.copyOf(modes);
    }

    /** A dragboard whose source offers {@code modes}; fill it with {@link Dragboard#setContent}. */
    static Dragboard create(Set<TransferMode> modes) {
        return DragboardHelper.createDragboard(new ExternalDragboard(modes));
    }

    @Override
    @SuppressWarnings("removal")
    public void setSecurityContext(AccessControlContext context) {
    }

    @Override
    public Set<DataFormat> getContentTypes() {
        return Set.copyOf(content.keySet());
    }

    @Override
    @SafeVarargs
    public final boolean putContent(Pair<DataFormat, Object>... entries) {
        content.clear();
        for (Pair<DataFormat, Object> e : entries) {
            content.put(e.getKey(), e.getValue());
        }
        return true;
    }

    @Override
    public Object getContent(DataFormat format) {
        return content.get(format);
    }

    @Override
    public boolean hasContent(DataFormat format) {
        return content.containsKey(format);
    }

    @Override
    public Set<TransferMode> getTransferModes() {
        return modes;
    }

    @Override
    public void setDragView(Image image) {
        view = image;
    }

    @Override
    public void setDragViewOffsetX(double x) {
        offsetX = x;
    }

    @Override
    public void setDragViewOffsetY(double y) {
        offsetY = y;
    }

    @Override
    public Image getDragView() {
        return view;
    }

    @Override
    public double getDragViewOffsetX() {
        return offsetX;
    }

    @Override
    public double getDragViewOffsetY() {
        return offsetY;
    }
}
