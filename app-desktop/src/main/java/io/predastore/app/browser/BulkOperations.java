package io.predastore.app.browser;

import io.predastore.app.service.ObjectEntry;
import io.predastore.app.service.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the browser does to several selected rows at once, blocking, for a background thread: download them
 * (folders recursively), stage them for dragging out, delete them (folders with everything under them). Rows are
 * relative to {@code prefix}, the folder they were listed in. Holds no state.
 */
final class BulkOperations {
    private BulkOperations() {
    }

    /** Downloads every row into {@code dir} under its path relative to {@code prefix}; returns the files written. */
    static int download(ObjectStore s, String bucket, String prefix, List<ObjectRow> rows, Path dir)
            throws IOException {
        int files = 0;
        for (ObjectRow row : rows) {
            List<ObjectEntry> objects = row.folder() ? s.listRecursive(bucket, row.key())
                    : List.of(new ObjectEntry(row.key(), false, row.size(), null));
            for (ObjectEntry o : objects) {
                if (o.key().endsWith("/")) {
                    continue;
                }
                Path target = UploadPlan.localPath(dir, prefix, o.key());
                Files.createDirectories(target.getParent());
                s.download(bucket, o.key(), target);
                files++;
            }
        }
        return files;
    }

    /** The file or folder each row becomes in {@code dir} (no I/O). */
    static List<Path> targets(String prefix, List<ObjectRow> rows, Path dir) {
        List<Path> out = new ArrayList<>();
        for (ObjectRow row : rows) {
            out.add(UploadPlan.localPath(dir, prefix, name(row)));
        }
        return List.copyOf(out);
    }

    /**
     * Downloads each row into {@link #targets}: first under {@code dir/.staging}, then moved into place in one
     * step, so nobody reading {@code dir} sees a partial file or folder.
     */
    static void stage(ObjectStore s, String bucket, String prefix, List<ObjectRow> rows, Path dir)
            throws IOException {
        Path staging = dir.resolve(".staging");
        for (ObjectRow row : rows) {
            Path stagingDir = staging.resolve(UUID.randomUUID().toString());
            download(s, bucket, prefix, List.of(row), stagingDir);
            Path target = UploadPlan.localPath(dir, prefix, name(row));
            Files.createDirectories(target.getParent());
            Files.move(UploadPlan.localPath(stagingDir, prefix, name(row)), target, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(stagingDir);
        }
        Files.deleteIfExists(staging);
    }

    /** Deletes every row's object, or every object under a folder row; returns how many were deleted. */
    static int delete(ObjectStore s, String bucket, List<ObjectRow> rows) {
        int n = 0;
        for (ObjectRow row : rows) {
            List<String> keys = row.folder()
                    ? s.listRecursive(bucket, row.key()).stream().map(ObjectEntry::key).toList()
                    : List.of(row.key());
            for (String k : keys) {
                s.delete(bucket, k);
                n++;
            }
        }
        return n;
    }

    /** A folder row's key without its trailing slash, an object row's key. */
    private static String name(ObjectRow row) {
        return row.folder() ? row.key().substring(0, row.key().length() - 1) : row.key();
    }
}
