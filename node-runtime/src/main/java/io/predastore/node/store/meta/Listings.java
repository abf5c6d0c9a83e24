package io.predastore.node.store.meta;

import io.predastore.node.meta.MetaCursor;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.node.store.UploadInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ListObjects and ListMultipartUploads for every backend, over a {@link MetaCursor} of the {@code OBJECTS} or
 * {@code UPLOADS} table (keys as {@link MetaKeys} lays them out, so byte order is the S3 listing order). When a key
 * rolls up into a common prefix the cursor seeks just past every key sharing it, so a page of prefixes never reads
 * the keys under them. A record that does not decode is left out (and noted, see {@link UndecodableRecords}), so
 * one bad record never fails the listing of its bucket. Stateless and thread-safe; the caller checks that the
 * bucket exists.
 */
public final class Listings {
    private Listings() {
    }

    /** Reads what a listing shows of one object record, at the cursor's current entry. */
    @FunctionalInterface
    public interface ObjectDecoder {
        /**
         * @throws UndecodableRecordException if the record does not decode (already noted); the listing skips it
         */
        ObjectInfo info(String key, MetaCursor at) throws IOException;
    }

    /** Opens a cursor over one table's keys with a prefix; the listing closes it. */
    @FunctionalInterface
    public interface CursorSource {
        MetaCursor open(MetaTable table, byte[] prefix) throws IOException;
    }

    /** One page of {@code request}'s bucket, decoding each listed record with {@code decoder}. */
    public static ListObjectsResult objects(ListObjectsRequest request, CursorSource cursors, ObjectDecoder decoder)
            throws IOException {
        if (request.maxKeys() == 0) {
            return new ListObjectsResult(List.of(), List.of(), false, null);
        }
        byte[] base = MetaKeys.bucketPrefix(request.bucket());
        byte[] prefix = MetaKeys.concat(base, MetaKeys.utf8(request.prefix()));
        byte[] after = request.after() == null ? null : MetaKeys.utf8(request.after());
        byte[] delimiter = request.delimiter() == null ? null : MetaKeys.utf8(request.delimiter());
        List<ObjectInfo> found = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        String last = null;
        boolean truncated = false;
        int count = 0;
        try (MetaCursor c = cursors.open(MetaTable.OBJECTS, prefix)) {
            c.seek(after == null ? prefix : MetaKeys.max(prefix, MetaKeys.concat(base, after, new byte[] {0})));
            while (c.valid()) {
                byte[] k = c.key();
                int at = delimiter == null ? -1 : MetaKeys.indexOf(k, delimiter, prefix.length);
                if (at >= 0) {
                    byte[] full = Arrays.copyOf(k, at + delimiter.length);
                    byte[] common = Arrays.copyOfRange(full, base.length, full.length);
                    if (after == null || MetaKeys.compare(common, after) > 0) {
                        if (count == request.maxKeys()) {
                            truncated = true;
                            break;
                        }
                        last = MetaKeys.string(common, 0, common.length);
                        commonPrefixes.add(last);
                        count++;
                    }
                    c.seek(MetaKeys.successor(full));
                    continue;
                }
                if (count == request.maxKeys()) {
                    truncated = true;
                    break;
                }
                last = MetaKeys.string(k, base.length, k.length);
                try {
                    found.add(decoder.info(last, c));
                    count++;
                } catch (UndecodableRecordException bad) {
                    // Noted and logged once; the listing goes on without it.
                }
                c.next();
            }
        }
        return new ListObjectsResult(found, commonPrefixes, truncated, last);
    }

    /** One page of {@code request}'s uploads in progress, ordered by key then upload id. */
    public static ListUploadsResult uploads(ListUploadsRequest request, CursorSource cursors,
            UndecodableRecords undecodable) throws IOException {
        String bucket = request.bucket();
        List<UploadInfo> found = new ArrayList<>();
        List<String> commonPrefixes = new ArrayList<>();
        if (request.maxUploads() <= 0) {
            return new ListUploadsResult(found, commonPrefixes, false, null, null);
        }
        byte[] base = MetaKeys.bucketPrefix(bucket);
        byte[] prefix = MetaKeys.concat(base, MetaKeys.utf8(request.prefix() == null ? "" : request.prefix()));
        byte[] delimiter = empty(request.delimiter()) ? null : MetaKeys.utf8(request.delimiter());
        byte[] keyMarker = empty(request.keyMarker()) ? null : MetaKeys.utf8(request.keyMarker());
        byte[] idMarker = keyMarker == null || empty(request.uploadIdMarker())
                ? null : MetaKeys.utf8(request.uploadIdMarker());
        byte[] seek = prefix;
        if (keyMarker != null) {
            byte[] markerKey = MetaKeys.concat(base, keyMarker, new byte[] {0});
            seek = MetaKeys.max(seek, idMarker == null ? MetaKeys.successor(markerKey)
                    : MetaKeys.concat(markerKey, idMarker, new byte[] {0}));
        }
        String nextKey = null;
        String nextId = null;
        boolean truncated = false;
        int count = 0;
        try (MetaCursor c = cursors.open(MetaTable.UPLOADS, prefix)) {
            c.seek(seek);
            while (c.valid()) {
                byte[] k = c.key();
                int keyEnd = lastZero(k);
                if (keyEnd < base.length) {
                    c.next(); // not an upload key: nothing of this bucket can be listed from it
                    continue;
                }
                byte[] objectKey = Arrays.copyOfRange(k, base.length, keyEnd);
                int at = delimiter == null ? -1 : MetaKeys.indexOf(k, delimiter, prefix.length);
                if (at >= 0 && at + delimiter.length <= keyEnd) {
                    byte[] full = Arrays.copyOf(k, at + delimiter.length);
                    byte[] common = Arrays.copyOfRange(full, base.length, full.length);
                    if (keyMarker == null || MetaKeys.compare(common, keyMarker) > 0) {
                        if (count == request.maxUploads()) {
                            truncated = true;
                            break;
                        }
                        nextKey = MetaKeys.string(common, 0, common.length);
                        nextId = null;
                        commonPrefixes.add(nextKey);
                        count++;
                    }
                    c.seek(MetaKeys.successor(full));
                    continue;
                }
                String uploadId = MetaKeys.string(k, keyEnd + 1, k.length);
                boolean afterMarker = keyMarker == null || MetaKeys.compare(objectKey, keyMarker) > 0
                        || (Arrays.equals(objectKey, keyMarker) && idMarker != null
                                && MetaKeys.compare(MetaKeys.utf8(uploadId), idMarker) > 0);
                if (afterMarker) {
                    if (count == request.maxUploads()) {
                        truncated = true;
                        break;
                    }
                    nextKey = MetaKeys.string(objectKey, 0, objectKey.length);
                    nextId = uploadId;
                    try {
                        found.add(UploadCodec.decode(bucket, nextKey, uploadId, c.value()));
                        count++;
                    } catch (IOException | RuntimeException bad) {
                        // Noted and logged once; the listing goes on without it.
                        undecodable.report(MetaTable.UPLOADS, k, "upload " + uploadId + " of " + bucket + "/"
                                + nextKey, bad);
                    }
                }
                c.next();
            }
        }
        return new ListUploadsResult(found, commonPrefixes, truncated, nextKey, nextId);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** Where the key ends in {@code bucket 0x00 key 0x00 uploadId}: keys and ids never hold 0x00. */
    private static int lastZero(byte[] uploadKey) {
        for (int i = uploadKey.length - 1; i >= 0; i--) {
            if (uploadKey[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
