package io.predastore.app.browser;

import io.predastore.app.Async;
import io.predastore.app.cluster.NodesViewModel;
import io.predastore.app.service.S3Service;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The bucket browser: buckets, the objects and folders under the current prefix, breadcrumbs, uploads with
 * progress, download, delete, create bucket, presigned links. UI thread only; S3 calls run through {@link Async}.
 */
public final class BrowserViewModel {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final Async async;
    private final ZoneId zone;
    private S3Service s3;
    private final ObservableList<String> buckets = FXCollections.observableArrayList();
    private final ObservableList<String> bucketsView = FXCollections.unmodifiableObservableList(buckets);
    private final ObservableList<ObjectRow> entries = FXCollections.observableArrayList();
    private final ObservableList<ObjectRow> entriesView = FXCollections.unmodifiableObservableList(entries);
    private final ObservableList<Crumb> crumbs = FXCollections.observableArrayList();
    private final ObservableList<Crumb> crumbsView = FXCollections.unmodifiableObservableList(crumbs);
    private final ObservableList<UploadItem> uploads = FXCollections.observableArrayList();
    private final ObservableList<UploadItem> uploadsView = FXCollections.unmodifiableObservableList(uploads);
    private final ReadOnlyStringWrapper bucket = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper prefix = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper endpoint = new ReadOnlyStringWrapper("not connected");

    public BrowserViewModel(Async async, ZoneId zone) {
        this.async = async;
        this.zone = zone;
    }

    /** Connects to an S3 endpoint and lists its buckets. */
    public void setService(S3Service service) {
        this.s3 = service;
        endpoint.set(service == null ? "not connected" : service.endpoint().toString());
        refreshBuckets();
    }

    public void refreshBuckets() {
        S3Service s = s3;
        if (s == null) {
            return;
        }
        async.run("Listing buckets", s::listBuckets, list -> {
            buckets.setAll(list);
            if (bucket.get() != null && !list.contains(bucket.get())) {
                selectBucket(null);
            }
        });
    }

    public void createBucket(String name) {
        S3Service s = s3;
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

    /** Opens a folder (a prefix ending in {@code /}) or the bucket root ({@code ""}). */
    public void navigate(String newPrefix) {
        prefix.set(newPrefix == null ? "" : newPrefix);
        updateCrumbs();
        refresh();
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

    public void refresh() {
        S3Service s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            entries.clear();
            return;
        }
        String p = prefix.get();
        async.run("Listing " + b + "/" + p, () -> s.list(b, p), list -> {
            if (!b.equals(bucket.get()) || !p.equals(prefix.get())) {
                return;
            }
            List<ObjectRow> rows = new ArrayList<>();
            for (S3Service.Entry e : list) {
                rows.add(new ObjectRow(e.name(p), e.key(), e.folder(), e.size(),
                        e.folder() ? "" : NodesViewModel.formatBytes(e.size()),
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

    /** Uploads files into the current bucket and folder, each with its own progress; the intent of a drop. */
    public void upload(List<Path> files) {
        S3Service s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        String p = prefix.get();
        for (Path file : files) {
            UploadItem item = new UploadItem(file.getFileName().toString());
            uploads.add(0, item);
            item.status("uploading");
            String key = p + file.getFileName();
            async.run("Uploading " + file.getFileName(), () -> {
                s.upload(b, key, file, f -> async.ui(() -> item.progress(f)));
                return key;
            }, k -> {
                item.progress(1.0);
                item.status("done");
                refresh();
            }, message -> item.status("failed: " + message));
        }
    }

    /** Downloads an object into {@code target}; {@code done} runs on the UI thread afterwards. */
    public void download(String key, Path target, Runnable done) {
        S3Service s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        async.run("Downloading " + key, () -> {
            s.download(b, key, target);
            return target;
        }, t -> done.run());
    }

    public void delete(String key) {
        S3Service s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        async.run("Deleting " + key, () -> {
            s.delete(b, key);
            return key;
        }, k -> refresh());
    }

    /** A presigned GET link valid for one hour. */
    public void presign(String key, Consumer<String> onUrl) {
        S3Service s = s3;
        String b = bucket.get();
        if (s == null || b == null) {
            return;
        }
        async.run("Presigning " + key, () -> s.presignGet(b, key, Duration.ofHours(1)), onUrl);
    }

    public ObservableList<String> buckets() {
        return bucketsView;
    }

    public ObservableList<ObjectRow> entries() {
        return entriesView;
    }

    public ObservableList<Crumb> crumbs() {
        return crumbsView;
    }

    public ObservableList<UploadItem> uploads() {
        return uploadsView;
    }

    public ReadOnlyStringProperty bucketProperty() {
        return bucket.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty prefixProperty() {
        return prefix.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty endpointProperty() {
        return endpoint.getReadOnlyProperty();
    }
}
