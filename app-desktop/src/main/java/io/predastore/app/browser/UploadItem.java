package io.predastore.app.browser;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** One file being uploaded, with its progress (0..1) and status. UI thread only. */
public final class UploadItem {
    private final String name;
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("queued");

    public UploadItem(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    void progress(double fraction) {
        if (fraction > progress.get()) {
            progress.set(fraction);
        }
    }

    void status(String text) {
        status.set(text);
    }
}
