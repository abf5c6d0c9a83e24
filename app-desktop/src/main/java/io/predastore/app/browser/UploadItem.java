package io.predastore.app.browser;

import io.predastore.app.service.Transfer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One file being uploaded: its key, progress (0..1), bytes and speed, and its {@link UploadState}. The state
 * machine is enforced here: a finished upload ignores late events, and a cancelled one ends as cancelled unless it
 * failed first. UI thread only; {@link #transfer()} is the thread-safe side the uploading thread advances.
 */
public final class UploadItem {
    private final String name;
    private final String key;
    private final Transfer transfer;
    private final Clock clock;
    private Instant started;
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("queued");
    private final ReadOnlyObjectWrapper<UploadState> state = new ReadOnlyObjectWrapper<>(UploadState.QUEUED);
    private final ReadOnlyBooleanWrapper cancellable = new ReadOnlyBooleanWrapper(true);

    public UploadItem(String name, String key, long size, Clock clock) {
        this.name = name;
        this.key = key;
        this.transfer = new Transfer(size);
        this.clock = clock;
        state.addListener((o, a, b) -> cancellable.set(b.isCancellable()));
    }

    public String name() {
        return name;
    }

    public String key() {
        return key;
    }

    public Transfer transfer() {
        return transfer;
    }

    /** The uploading thread picked it up. */
    void started() {
        if (state.get() == UploadState.QUEUED) {
            started = clock.instant();
            state.set(UploadState.UPLOADING);
            status.set("uploading");
        }
    }

    /** Shows the transfer's bytes and speed. */
    void refresh() {
        if (state.get() != UploadState.UPLOADING) {
            return;
        }
        long total = transfer.total();
        progress.set(total == 0 ? 0 : Math.min(1.0, (double) transfer.sent() / total));
        status.set(TransferRate.describe(transfer.sent(), total, started == null ? Duration.ZERO
                : Duration.between(started, clock.instant())));
    }

    /** The user pressed Cancel; returns whether the cancel was taken. */
    public boolean cancel() {
        if (!state.get().isCancellable()) {
            return false;
        }
        state.set(UploadState.CANCELLING);
        status.set("cancelling…");
        transfer.cancel();
        return true;
    }

    void succeeded() {
        if (state.get().isFinal()) {
            return;
        }
        if (state.get() == UploadState.CANCELLING) {
            cancelled();
            return;
        }
        progress.set(1.0);
        state.set(UploadState.DONE);
        Duration took = started == null ? Duration.ZERO : Duration.between(started, clock.instant());
        status.set("done, " + TransferRate.describe(transfer.total(), transfer.total(), took));
    }

    void cancelled() {
        if (!state.get().isFinal()) {
            state.set(UploadState.CANCELLED);
            status.set("cancelled, nothing stored");
        }
    }

    void failed(String message) {
        if (!state.get().isFinal()) {
            state.set(UploadState.FAILED);
            status.set("failed: " + message);
        }
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<UploadState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty cancellableProperty() {
        return cancellable.getReadOnlyProperty();
    }
}
