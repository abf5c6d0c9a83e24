package io.predastore.app.browser;

import io.predastore.app.format.ByteSize;
import io.predastore.app.service.ObjectDetails;
import io.predastore.app.service.ObjectEntry;
import io.predastore.app.service.ObjectStore;
import io.predastore.app.task.Async;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The bucket browser: buckets, the objects and folders under the current prefix (narrowed by a search prefix),
 * breadcrumbs, the selection and what can be done with it (download, delete, presigned link, details), uploads
 * of files and folders with progress, speed and cancel, and downloads for dragging out. UI thread only; S3 calls
 * run through {@link Async}.
 */
public final class BrowserViewModel {
    /** How long a copied link works. */
    public static final Duration LINK_VALIDITY = Duration.ofHours(1);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final Async async;
    private final ZoneId zone;
    private final UploadQueue uploads;
    private ObjectStore s3;
    private BiConsumer<String, String> placementHandler = (b, k) -> { };
    private final ObservableList<String> buckets = FXCollections.observableArrayList();
    private final ObservableList<String> bucketsView = FXCollections.unmodifiableObservableList(buckets);
    private final ObservableList<ObjectRow> entries = FXCollections.observableArrayList();
    private final ObservableList<ObjectRow> entriesView = FXCollections.unmodifiableObservableList(entries);
    private final ObservableList<ObjectRow> selection = FXCollections.observableArrayList();
    private final ObservableList<ObjectRow> selectionView = FXCollections.unmodifiableObservableList(selection);
    private final ObservableList<Crumb> crumbs = FXCollections.observableArrayList();
    private final ObservableList<Crumb> crumbsView = FXCollections.unmodifiableObservableList(crumbs);
    private final ReadOnlyStringWrapper bucket = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper prefix = new ReadOnlyStringWrapper("");
    private final StringProperty search = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper endpoint = new ReadOnlyStringWrapper("not connected");
    private final ReadOnlyBooleanWrapper hasSelection = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper singleObject = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<ObjectDetails> details = new ReadOnlyObjectWrapper<>();

    public BrowserViewModel(Async async, ZoneId zone) {
        this(async, zone, Clock.systemUTC());
    }

    public BrowserViewModel(Async async, ZoneId zone, Clock clock) {
        this.async = async;
        this.zone = zone;
        this.uploads = new UploadQueue(async, clock);
        search.addListener((o, a, b) -> refresh());
    }

    /** Connects to an S3 endpoint and lists its buckets. */
    public void setService(ObjectStore service) {
        this.s3 = service;
        endpoint.set(service == null ? "not connected" : service.endpoint().toString());
        refreshBuckets();
    }

    /** What "Show placement" in the details does with a bucket and key (the app switches to the ring). */
    public void setPlacementHandler(BiConsumer<String, String> handler) {
        this.placementHandler = Objects.requireNonNull(handler);
    }

    public void refreshBuckets() {
        ObjectStore s = s3;
        if (s == null) {
            return;
        }
        async.run("Listing buckets", s::listBuckets, list -> {
            buckets.setAll(list);
            if (bucket.get() != null && !list.contains(bucket.get())) {
                selectBucket(null);
            } else if (bucket.get() != null) {
                refresh();
            }
        });
    }

    public void createBucket(String name) {
        ObjectStore s = s3;
        if (s == null || name == null || name.isBlank()) {
            return;
        }
        String n = name.trim();
        async.run("Creating bucket " + n, () -> {
            s.createBucket(n);
            return s.listBuckets();
        }, list -> {
            buckets.setAll(list);
            selectBucket(n);
        });
    }

    public void selectBucket(String name) {
        bucket.set(name);
        navigate("");
    }

    /** Opens a folder (a prefix ending in {@code /}) or the bucket root ({@code ""}); clears the search. */
    public void navigate(String newPrefix) {
        prefix.set(newPrefix == null ? "" : newPrefix);
        updateCrumbs();
        if (search.get() == null || search.get().isEmpty()) {
            refresh();
        } else {
            search.set("");
        }
    }

    /** Opens a folder row; objects are not opened. */
    public void open(ObjectRow row) {
        if (row != null && row.folder()) {
            navigate(row.key());
        }
    }

    /** One level up. */
    public void up() {
        String p = prefix.get();
        if (p.isEmpty()) {
            return;
        }
        String trimmed = p.substring(0, p.length() - 1);
        int slash = trimmed.lastIndexOf('/');
        navigate(slash < 0 ? "" : trimmed.substring(0, slash + 1));
    }

    /** Lists the current folder, narrowed to names starting with the search text. */
    public void refresh() {
        ObjectStore s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            entries.clear();
            return;
        }
        String p = prefix.get();
        String q = search.get() == null ? "" : search.get();
        async.run("Listing " + b + "/" + p + q, () -> s.list(b, p, q), list -> {
            if (!b.equals(bucket.get()) || !p.equals(prefix.get()) || !q.equals(search.get())) {
                return;
            }
            List<ObjectRow> rows = new ArrayList<>();
            for (ObjectEntry e : list) {
                rows.add(new ObjectRow(e.name(p), e.key(), e.folder(), e.size(),
                        e.folder() ? "" : ByteSize.format(e.size()),
                        e.lastModified() == null ? "" : TIME.format(e.lastModified().atZone(zone))));
            }
            entries.setAll(rows);
        });
    }

    private void updateCrumbs() {
        List<Crumb> next = new ArrayList<>();
        if (bucket.get() != null) {
            next.add(new Crumb(bucket.get(), ""));
            String p = prefix.get();
            int start = 0;
            int slash;
            while ((slash = p.indexOf('/', start)) >= 0) {
                next.add(new Crumb(p.substring(start, slash), p.substring(0, slash + 1)));
                start = slash + 1;
            }
        }
        crumbs.setAll(next);
    }

    // ---- selection ----

    /** The rows selected in the table (the view pushes every change). */
    public void select(List<ObjectRow> rows) {
        List<ObjectRow> next = List.copyOf(rows);
        if (next.equals(selection)) {
            return;
        }
        selection.setAll(next);
        hasSelection.set(!next.isEmpty());
        ObjectRow one = next.size() == 1 && !next.get(0).folder() ? next.get(0) : null;
        singleObject.set(one != null);
        details.set(null);
        ObjectStore s = s3;
        String b = bucket.get();
        if (one != null && s != null && b != null) {
            async.run("Reading the details of " + one.key(), () -> s.head(b, one.key()), d -> {
                if (selection.size() == 1 && selection.get(0).equals(one)) {
                    details.set(d);
                }
            });
        }
    }

    /** Switches to the ring showing where the shards of the object in the details are. */
    public void showPlacement() {
        ObjectDetails d = details.get();
        if (d != null) {
            placementHandler.accept(d.bucket(), d.key());
        }
    }

    // ---- uploads ----

    /**
     * Uploads dropped files and folders into the current folder (folders recursively, keeping their relative
     * paths), each file with its own progress and cancel; the intent of a drop.
     */
    public void upload(List<Path> dropped) {
        ObjectStore s = s3;
        String b = bucket.get();
        if (s == null || b == null || dropped.isEmpty()) {
            return;
        }
        String p = prefix.get();
        async.run("Reading the dropped files", () -> UploadPlan.plan(p, dropped), plan -> {
            for (UploadPlan.Item item : plan) {
                uploads.start(s, b, item.key().substring(p.length()), item, key -> {
                    if (b.equals(bucket.get())) {
                        refresh();
                    }
                });
            }
        });
    }

    /** Cancels an upload (aborts it; no object is left). */
    public void cancel(UploadItem item) {
        item.cancel();
    }

    /** Forgets the finished uploads. */
    public void clearFinishedUploads() {
        uploads.clearFinished();
    }

    // ---- downloads ----

    /**
     * Downloads the selection into {@code dir}: objects as files named after them, folders recursively as
     * folders; {@code done} gets the number of files written, on the UI thread.
     */
    public void downloadSelected(Path dir, Consumer<Integer> done) {
        download(List.copyOf(selection), dir, done);
    }

    private void download(List<ObjectRow> rows, Path dir, Consumer<Integer> done) {
        ObjectStore s = s3;
        String b = bucket.get();
        if (s == null || b == null || rows.isEmpty()) {
            return;
        }
        String p = prefix.get();
        async.run("Downloading " + rows.size() + " item(s)", () -> BulkOperations.download(s, b, p, rows, dir),
                done::accept);
    }

    /** Downloads one object into {@code target}; {@code done} runs on the UI thread afterwards. */
    public void download(String key, Path target, Runnable done) {
        ObjectStore s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        async.run("Downloading " + key, () -> {
            s.download(b, key, target);
            return target;
        }, t -> done.run());
    }

    /**
     * For dragging the selection out of the window: returns the files the drag carries (in a new temporary folder)
     * at once, and downloads into them in the background. Each object or folder is downloaded under a staging
     * name and moved to its final name when complete, so a drop target that reads too early finds nothing rather
     * than a partial file. {@code ready} runs on the UI thread once all are in place.
     */
    public List<File> prepareDragOut(Path tempRoot, Consumer<List<File>> ready) {
        ObjectStore s = s3;
        String b = bucket.get();
        List<ObjectRow> rows = List.copyOf(selection);
        if (s == null || b == null || rows.isEmpty()) {
            return List.of();
        }
        String p = prefix.get();
        Path dir = tempRoot.resolve("predastore-drag-" + UUID.randomUUID());
        List<File> files = BulkOperations.targets(p, rows, dir).stream().map(Path::toFile).toList();
        async.run("Preparing " + rows.size() + " item(s) for dragging", () -> {
            BulkOperations.stage(s, b, p, rows, dir);
            return files;
        }, ready::accept);
        return files;
    }

    // ---- delete, link ----

    /** Deletes the selected objects, and everything under the selected folders. */
    public void deleteSelected(Consumer<Integer> done) {
        ObjectStore s = s3;
        String b = bucket.get();
        List<ObjectRow> rows = List.copyOf(selection);
        if (s == null || b == null || rows.isEmpty()) {
            return;
        }
        async.run("Deleting " + rows.size() + " item(s)", () -> BulkOperations.delete(s, b, rows), n -> {
            refresh();
            done.accept(n);
        }, message -> refresh());
    }

    /** Deletes one object. */
    public void delete(String key) {
        ObjectStore s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        async.run("Deleting " + key, () -> {
            s.delete(b, key);
            return key;
        }, k -> refresh());
    }

    /** A presigned GET link for the single selected object, valid for {@link #LINK_VALIDITY}. */
    public void presignSelected(Consumer<String> onUrl) {
        if (singleObject.get()) {
            presign(selection.get(0).key(), onUrl);
        }
    }

    /** A presigned GET link valid for {@link #LINK_VALIDITY}. */
    public void presign(String key, Consumer<String> onUrl) {
        ObjectStore s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        async.run("Presigning " + key, () -> s.presignGet(b, key, LINK_VALIDITY), onUrl);
    }

    // ---- properties ----

    public ObservableList<String> buckets() {
        return bucketsView;
    }

    public ObservableList<ObjectRow> entries() {
        return entriesView;
    }

    public ObservableList<ObjectRow> selection() {
        return selectionView;
    }

    public ObservableList<Crumb> crumbs() {
        return crumbsView;
    }

    /** Newest first. */
    public ObservableList<UploadItem> uploads() {
        return uploads.items();
    }

    public ReadOnlyStringProperty bucketProperty() {
        return bucket.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty prefixProperty() {
        return prefix.getReadOnlyProperty();
    }

    /** The search text: only names in the current folder starting with it are listed. */
    public StringProperty searchProperty() {
        return search;
    }

    public ReadOnlyStringProperty endpointProperty() {
        return endpoint.getReadOnlyProperty();
    }

    /** Whether something is selected (download and delete act on it). */
    public ReadOnlyBooleanProperty hasSelectionProperty() {
        return hasSelection.getReadOnlyProperty();
    }

    /** Whether exactly one object (not a folder) is selected (link and details need one). */
    public ReadOnlyBooleanProperty singleObjectProperty() {
        return singleObject.getReadOnlyProperty();
    }

    /** The HeadObject answer for the single selected object, or null. */
    public ReadOnlyObjectProperty<ObjectDetails> detailsProperty() {
        return details.getReadOnlyProperty();
    }
}
