package io.predastore.app.browser;

import io.predastore.app.service.ObjectStore;
import io.predastore.app.service.TransferCancelledException;
import io.predastore.app.task.Async;
import java.time.Clock;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The browser's uploads: one {@link UploadItem} per file, newest first, at most {@link #PARALLEL} transferring at
 * once (the rest wait as queued). Progress from the uploading threads is coalesced into at most one pending update
 * on the UI thread per upload. UI thread only, except the transfers themselves.
 *
 * <p>Each upload runs as a JavaFX {@code Task} through {@link Async}, but the rows are not ControlsFX
 * {@code TaskProgressView} cells bound to those tasks: a {@code Task} is {@code CANCELLED} as soon as
 * {@code cancel()} is called (and that view's Cancel interrupts the thread, which would also cut short the multipart
 * abort), whereas an upload is cancelled only once its abort has returned. The {@link UploadItem} state machine shows
 * "cancelling…" until then, "failed" when the transfer failed before the cancel took effect, and keeps every outcome
 * until the user clears finished uploads.
 */
final class UploadQueue {
    /** Uploads that run at once. */
    static final int PARALLEL = 3;

    private final Async async;
    private final Clock clock;
    private final Semaphore slots = new Semaphore(PARALLEL, true);
    private final ObservableList<UploadItem> items = FXCollections.observableArrayList();
    private final ObservableList<UploadItem> itemsView = FXCollections.unmodifiableObservableList(items);

    UploadQueue(Async async, Clock clock) {
        this.async = async;
        this.clock = clock;
    }

    /**
     * Uploads one planned file into {@code bucket}; {@code name} is what its row shows. {@code finished} runs on the
     * UI thread after it was stored or cancelled.
     */
    void start(ObjectStore store, String bucket, String name, UploadPlan.Item planned, Consumer<String> finished) {
        UploadItem item = new UploadItem(name, planned.key(), planned.size(), clock);
        items.add(0, item);
        AtomicBoolean scheduled = new AtomicBoolean();
        item.transfer().onChange(() -> {
            if (scheduled.compareAndSet(false, true)) {
                async.ui(() -> {
                    scheduled.set(false);
                    item.refresh();
                });
            }
        });
        async.run("Uploading " + planned.key(), () -> {
            slots.acquire();
            try {
                item.transfer().checkCancelled();
                async.ui(item::started);
                store.upload(bucket, planned.key(), planned.file(), item.transfer());
                return Boolean.TRUE;
            } catch (TransferCancelledException e) {
                return Boolean.FALSE;
            } finally {
                slots.release();
            }
        }, stored -> {
            if (stored) {
                item.succeeded();
            } else {
                item.cancelled();
            }
            finished.accept(planned.key());
        }, item::failed);
    }

    /** Forgets the finished uploads. */
    void clearFinished() {
        items.removeIf(u -> u.stateProperty().get().isFinal());
    }

    ObservableList<UploadItem> items() {
        return itemsView;
    }
}
