package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.node.store.UploadInfo;
import io.predastore.node.store.cluster.ClusterRecords.StoredObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Listings over the replicated object and upload tables: ordered scans in pages, and when a key rolls up into
 * a common prefix, the next scan starts just past every key sharing it, so a page of prefixes never reads the
 * keys under them. A record that cannot be decoded is left out of the listing (and noted, see
 * {@link io.predastore.node.store.UndecodableRecords}), so one bad record never fails the listing of its bucket.
 */
final class ClusterListing {
    private static final int SCAN_PAGE = 256;

    private final ClusterContext cx;

    ClusterListing(ClusterContext cx) {
        this.cx = cx;
    }

    ListObjectsResult listObjects(ListObjectsRequest r) throws IOException {
        cx.bucketRecord(r.bucket());
        byte[] bucketPrefix = MetaKeys.bucketPrefix(r.bucket());
        byte[] scanPrefix = MetaKeys.object(r.bucket(), r.prefix());
        byte[] from = r.after() == null ? null : after(bucketPrefix, r.after(), r.delimiter());
        List<ObjectInfo> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.OBJECTS, scanPrefix, from, SCAN_PAGE);
            byte[] next = null;
            for (MetaEntry e : page) {
                String key = MetaKeys.string(e.key(), bucketPrefix.length, e.key().length);
                String common = commonPrefix(key, r.prefix(), r.delimiter());
                if (objects.size() + prefixes.size() == r.maxKeys()) {
                    return new ListObjectsResult(objects, prefixes, true, last);
                }
                if (common != null) {
                    prefixes.add(common);
                    last = common;
                    next = MetaKeys.successor(MetaKeys.object(r.bucket(), common));
                    break;
                }
                last = key;
                try {
                    StoredObject o = cx.object(r.bucket(), key, e.value());
                    objects.add(DistributedBackend.info(r.bucket(), key, o));
                } catch (UndecodableRecordException bad) {
                    // Noted and logged once; the listing goes on without it.
                }
            }
            if (next == null) {
                if (page.size() < SCAN_PAGE) {
                    return new ListObjectsResult(objects, prefixes, false, last);
                }
                byte[] lastKey = page.get(page.size() - 1).key();
                next = Arrays.copyOf(lastKey, lastKey.length + 1);
            }
            from = next;
        }
    }

    /** The first key to scan after {@code after}; past everything under it when it is a rolled-up prefix. */
    private static byte[] after(byte[] bucketPrefix, String after, String delimiter) {
        byte[] key = MetaKeys.concat(bucketPrefix, MetaKeys.utf8(after));
        if (delimiter != null && after.endsWith(delimiter)) {
            return MetaKeys.successor(key);
        }
        return Arrays.copyOf(key, key.length + 1);
    }

    static String commonPrefix(String key, String prefix, String delimiter) {
        if (delimiter == null) {
            return null;
        }
        int at = key.indexOf(delimiter, prefix.length());
        return at < 0 ? null : key.substring(0, at + delimiter.length());
    }

    ListUploadsResult listUploads(ListUploadsRequest r) throws IOException {
        cx.bucketRecord(r.bucket());
        byte[] bucketPrefix = MetaKeys.bucketPrefix(r.bucket());
        byte[] scanPrefix = MetaKeys.object(r.bucket(), r.prefix() == null ? "" : r.prefix());
        String prefix = r.prefix() == null ? "" : r.prefix();
        byte[] from = null;
        if (r.keyMarker() != null && !r.keyMarker().isEmpty()) {
            from = r.uploadIdMarker() == null || r.uploadIdMarker().isEmpty()
                    ? MetaKeys.successor(MetaKeys.concat(MetaKeys.object(r.bucket(), r.keyMarker()), new byte[] {0}))
                    : successorOf(MetaKeys.upload(r.bucket(), r.keyMarker(), r.uploadIdMarker()));
        }
        List<UploadInfo> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String nextKey = null;
        String nextId = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.UPLOADS, scanPrefix, from, SCAN_PAGE);
            byte[] next = null;
            for (MetaEntry e : page) {
                int split = lastZero(e.key());
                String key = MetaKeys.string(e.key(), bucketPrefix.length, split);
                String uploadId = MetaKeys.string(e.key(), split + 1, e.key().length);
                if (uploads.size() + prefixes.size() == r.maxUploads()) {
                    return new ListUploadsResult(uploads, prefixes, true, nextKey, nextId);
                }
                String common = commonPrefix(key, prefix, r.delimiter());
                if (common != null) {
                    prefixes.add(common);
                    nextKey = common;
                    nextId = null;
                    next = MetaKeys.successor(MetaKeys.object(r.bucket(), common));
                    break;
                }
                nextKey = key;
                nextId = uploadId;
                try {
                    ClusterRecords.StoredUpload u = cx.upload(r.bucket(), key, uploadId, e.key(), e.value());
                    uploads.add(new UploadInfo(r.bucket(), key, uploadId, u.initiated(), u.metadata()));
                } catch (UndecodableRecordException bad) {
                    // Noted and logged once; the listing goes on without it.
                }
            }
            if (next == null) {
                if (page.size() < SCAN_PAGE) {
                    return new ListUploadsResult(uploads, prefixes, false, nextKey, nextId);
                }
                next = successorOf(page.get(page.size() - 1).key());
            }
            from = next;
        }
    }

    private static byte[] successorOf(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    private static int lastZero(byte[] key) {
        for (int i = key.length - 1; i >= 0; i--) {
            if (key[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("upload key without separator");
    }
}
