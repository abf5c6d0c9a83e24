package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.ListPartsResult;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.MultipartRules;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.UploadInfo;
import io.predastore.node.store.UploadPartRequest;
import io.predastore.node.store.meta.MultipartAssembly;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.node.store.meta.UploadCodec;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multipart uploads on the cluster: each part is erasure-coded into its own shard set as it arrives; completing
 * writes only metadata (the object record lists the parts' shard sets in order), so no byte is copied twice.
 */
final class ClusterMultipart {
    private static final int PART_SCAN = 1000;
    /** Tries of a complete or an abort that lost a race with a part being moved off a draining node. */
    private static final int MAX_ATTEMPTS = 4;

    private final ClusterContext cx;

    ClusterMultipart(ClusterContext cx) {
        this.cx = cx;
    }

    String create(String bucket, String key, ObjectMetadata metadata) throws IOException {
        byte[] bucketRecord = cx.bucketRecordForWrite(bucket);
        String uploadId = ClusterContext.newObjectId(cx.now()) + "u";
        byte[] record = UploadCodec.encode(new UploadInfo(bucket, key, uploadId, cx.now(), metadata));
        boolean ok = cx.meta.apply(new MetaBatch(List.of(ClusterContext.bucketExists(bucket, bucketRecord)),
                List.of(new MetaBatch.Put(MetaTable.UPLOADS, MetaKeys.upload(bucket, key, uploadId), record))));
        if (!ok) {
            cx.forgetBucket(bucket);
            throw new StorageException(StorageError.NO_SUCH_BUCKET,
                    "The bucket '" + bucket + "' was deleted.", "/" + bucket,
                    null);
        }
        return uploadId;
    }

    private byte[] uploadRecord(String bucket, String key, String uploadId) throws IOException {
        Optional<byte[]> u = cx.meta.get(MetaTable.UPLOADS, MetaKeys.upload(bucket, key, uploadId));
        if (u.isEmpty()) {
            cx.bucketRecord(bucket);
            throw new StorageException(StorageError.NO_SUCH_UPLOAD,
                    "There is no multipart upload " + uploadId + " for key '"
                    + key + "'; it may have been completed or aborted.", "/" + bucket + "/" + key, null);
        }
        return u.get();
    }

    PartInfo uploadPart(DistributedBackend backend, UploadPartRequest r, InputStream body) throws IOException {
        byte[] upload = uploadRecord(r.bucket(), r.key(), r.uploadId());
        cx.requireRoom("store part " + r.partNumber() + " of " + r.bucket() + "/" + r.key());
        DistributedBackend.Written w = backend.writeShards(r.bucket(), r.key(), body, r.contentLength());
        try {
            if (r.expectedMd5() != null && !MessageDigest.isEqual(r.expectedMd5(), w.md5())) {
                throw new StorageException(StorageError.BODY_DIGEST_MISMATCH,
                        "The Content-MD5 you specified did not match what we received.");
            }
            PartRecord<ShardSet> part = new PartRecord<>(HexFormat.of().formatHex(w.md5()), w.set().length(),
                    cx.now(), r.checksum().get(), w.set());
            byte[] partKey = MetaKeys.part(r.uploadId(), r.partNumber());
            byte[] uploadKey = MetaKeys.upload(r.bucket(), r.key(), r.uploadId());
            Optional<byte[]> replaced = cx.meta.get(MetaTable.PARTS, partKey);
            List<MetaBatch.Op> ops = new ArrayList<>();
            ops.add(new MetaBatch.Put(MetaTable.PARTS, partKey, ClusterRecords.encodePart(part)));
            String tombstone = null;
            if (replaced.isPresent()) {
                tombstone = ClusterContext.newObjectId(cx.now());
                ShardSet old = ClusterRecords.decodePart(replaced.get()).location();
                ops.add(ShardReaper.tombstone(tombstone, List.of(old)));
            }
            boolean ok = cx.meta.apply(new MetaBatch(List.of(
                    new MetaBatch.Condition(MetaTable.UPLOADS, uploadKey, upload),
                    new MetaBatch.Condition(MetaTable.PARTS, partKey, replaced.orElse(null))), ops));
            if (!ok) {
                uploadRecord(r.bucket(), r.key(), r.uploadId());
                throw new StorageException(StorageError.WRITE_CONFLICT, "Part " + r.partNumber()
                        + " was uploaded twice at the same time; retry.");
            }
            if (tombstone != null) {
                cx.reaper.reapLater(tombstone, cx.executor);
            }
            return new PartInfo(r.partNumber(), part.etag(), part.size(), part.lastModified(), part.checksum());
        } catch (IOException | RuntimeException e) {
            if (DistributedBackend.refused(e)) {
                backend.discard(w.set());
            } else {
                backend.parkUncertain(r.bucket(), r.key(), w.set(), e);
            }
            throw e;
        }
    }

    /** A stored part: its record and the bytes it was read as (what a write conditioned on it expects). */
    private record StoredPart(byte[] raw, PartRecord<ShardSet> record) {
    }

    /** Every stored part of an upload, by part number. */
    private Map<Integer, StoredPart> parts(String uploadId) throws IOException {
        Map<Integer, StoredPart> out = new LinkedHashMap<>();
        byte[] prefix = MetaKeys.utf8(uploadId);
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = cx.meta.scan(MetaTable.PARTS, prefix, from, PART_SCAN);
            for (MetaEntry e : page) {
                if (e.key().length == prefix.length + 4) {
                    out.put(MetaKeys.partNumber(e.key()), new StoredPart(e.value(),
                            ClusterRecords.decodePart(e.value())));
                }
            }
            if (page.size() < PART_SCAN) {
                return out;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = java.util.Arrays.copyOf(last, last.length + 1);
        }
    }

    /**
     * Conditions that every part read is still stored as read: a part whose shards were moved meanwhile (off a
     * draining node) has a new record, and completing or aborting with the old one would name, or delete, the
     * wrong copies.
     */
    private static List<MetaBatch.Condition> unchanged(String uploadId, Map<Integer, StoredPart> parts) {
        List<MetaBatch.Condition> out = new ArrayList<>(parts.size());
        parts.forEach((n, p) -> out.add(new MetaBatch.Condition(MetaTable.PARTS, MetaKeys.part(uploadId, n),
                p.raw())));
        return out;
    }

    /** Whether a conditional write of the upload failed only because a part record changed (it was moved). */
    private boolean onlyPartsChanged(byte[] uploadKey, byte[] upload, byte[] objectKey, byte[] object)
            throws IOException {
        return java.util.Arrays.equals(cx.meta.get(MetaTable.UPLOADS, uploadKey).orElse(null), upload)
                && (objectKey == null
                        || java.util.Arrays.equals(cx.meta.get(MetaTable.OBJECTS, objectKey).orElse(null), object));
    }

    ObjectInfo complete(DistributedBackend backend, CompleteMultipartUploadRequest r) throws IOException {
        try {
            for (int attempt = 1; ; attempt++) {
                ObjectInfo done = tryComplete(r, attempt < MAX_ATTEMPTS);
                if (done != null) {
                    return done;
                }
            }
        } catch (StorageException e) {
            if (e.error() != StorageError.NO_SUCH_UPLOAD) {
                throw e;
            }
            // Perhaps a retry of a completion that succeeded (its answer lost, or its outcome unknown here).
            Optional<byte[]> current = cx.meta.get(MetaTable.OBJECTS, MetaKeys.object(r.bucket(), r.key()));
            if (current.isPresent()) {
                ObjectRecord<ShardSet> record = cx.object(r.bucket(), r.key(), current.get());
                if (MultipartAssembly.completedBy(record.header(), r.uploadId(), r.parts())) {
                    return record.info(r.bucket(), r.key());
                }
            }
            throw e;
        }
    }

    /** One attempt at completing; null when a part was moved meanwhile and {@code again} allows another. */
    private ObjectInfo tryComplete(CompleteMultipartUploadRequest r, boolean again) throws IOException {
        byte[] bucketRecord = cx.bucketRecordForWrite(r.bucket());
        byte[] upload = uploadRecord(r.bucket(), r.key(), r.uploadId());
        List<CompletedPart> listed = r.parts();
        MultipartRules.checkOrder(listed);
        Map<Integer, StoredPart> read = parts(r.uploadId());
        Map<Integer, MultipartAssembly.Part<ShardSet>> stored = new LinkedHashMap<>();
        read.forEach((n, p) -> stored.put(n, new MultipartAssembly.Part<>(p.record().size(), p.record().etag(),
                p.record().checksum(), p.record().location())));
        MultipartAssembly.Assembled<ShardSet> assembled = MultipartAssembly.assemble(r.uploadId(), listed, stored);
        ObjectRecord<ShardSet> record = ObjectRecord.stored(new ObjectHeader(assembled.size(), assembled.etag(),
                cx.now(), UploadCodec.decode(r.bucket(), r.key(), r.uploadId(), upload).metadata(), listed.size(),
                assembled.checksum(), r.uploadId()), assembled.segments());

        byte[] objectKey = MetaKeys.object(r.bucket(), r.key());
        byte[] uploadKey = MetaKeys.upload(r.bucket(), r.key(), r.uploadId());
        Optional<byte[]> current = cx.meta.get(MetaTable.OBJECTS, objectKey);
        DistributedBackend.checkPrecondition(r.precondition(), r.bucket(), r.key(), current);
        List<MetaBatch.Op> ops = new ArrayList<>();
        ops.add(new MetaBatch.Put(MetaTable.OBJECTS, objectKey, ClusterRecords.encodeObject(record)));
        ops.add(new MetaBatch.Delete(MetaTable.UPLOADS, uploadKey));
        for (CompletedPart cp : listed) {
            ops.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(r.uploadId(), cp.partNumber())));
        }
        List<ShardSet> garbage = new ArrayList<>();
        for (Map.Entry<Integer, ShardSet> unused : assembled.unused().entrySet()) {
            ops.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(r.uploadId(), unused.getKey())));
            garbage.add(unused.getValue());
        }
        if (current.isPresent()) {
            garbage.addAll(ClusterRecords.decodeObject(current.get()).segments());
        }
        String tombstone = null;
        if (!garbage.isEmpty()) {
            tombstone = ClusterContext.newObjectId(cx.now());
            ops.add(ShardReaper.tombstone(tombstone, garbage));
        }
        List<MetaBatch.Condition> conditions = new ArrayList<>(List.of(
                ClusterContext.bucketExists(r.bucket(), bucketRecord),
                new MetaBatch.Condition(MetaTable.UPLOADS, uploadKey, upload),
                new MetaBatch.Condition(MetaTable.OBJECTS, objectKey, current.orElse(null))));
        conditions.addAll(unchanged(r.uploadId(), read));
        if (!cx.meta.apply(new MetaBatch(conditions, ops))) {
            if (again && onlyPartsChanged(uploadKey, upload, objectKey, current.orElse(null))) {
                return null;
            }
            cx.forgetBucket(r.bucket());
            cx.bucketRecord(r.bucket());
            uploadRecord(r.bucket(), r.key(), r.uploadId());
            throw new StorageException(StorageError.WRITE_CONFLICT, "The key '" + r.key()
                    + "' changed while the upload was completing; retry.");
        }
        if (tombstone != null) {
            cx.reaper.reapLater(tombstone, cx.executor);
        }
        dropLateParts(r.uploadId());
        return record.info(r.bucket(), r.key());
    }

    void abort(String bucket, String key, String uploadId) throws IOException {
        for (int attempt = 1; !tryAbort(bucket, key, uploadId, attempt < MAX_ATTEMPTS); attempt++) {
            // a part was moved meanwhile: read the parts again
        }
    }

    /** One attempt at aborting; false when a part was moved meanwhile and {@code again} allows another. */
    private boolean tryAbort(String bucket, String key, String uploadId, boolean again) throws IOException {
        byte[] upload = uploadRecord(bucket, key, uploadId);
        Map<Integer, StoredPart> stored = parts(uploadId);
        List<MetaBatch.Op> ops = new ArrayList<>();
        byte[] uploadKey = MetaKeys.upload(bucket, key, uploadId);
        ops.add(new MetaBatch.Delete(MetaTable.UPLOADS, uploadKey));
        List<ShardSet> garbage = new ArrayList<>();
        for (Map.Entry<Integer, StoredPart> p : stored.entrySet()) {
            ops.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(uploadId, p.getKey())));
            garbage.add(p.getValue().record().location());
        }
        String tombstone = ClusterContext.newObjectId(cx.now());
        if (!garbage.isEmpty()) {
            ops.add(ShardReaper.tombstone(tombstone, garbage));
        }
        List<MetaBatch.Condition> conditions = new ArrayList<>(List.of(
                new MetaBatch.Condition(MetaTable.UPLOADS, uploadKey, upload)));
        conditions.addAll(unchanged(uploadId, stored));
        if (!cx.meta.apply(new MetaBatch(conditions, ops))) {
            if (again && onlyPartsChanged(uploadKey, upload, null, null)) {
                return false;
            }
            uploadRecord(bucket, key, uploadId);
            throw new StorageException(StorageError.WRITE_CONFLICT, "The upload changed while aborting; retry.");
        }
        if (!garbage.isEmpty()) {
            cx.reaper.reapLater(tombstone, cx.executor);
        }
        dropLateParts(uploadId);
        return true;
    }

    /**
     * Deletes the parts an upload that is gone still has, and their shards. A part committed after a completion or an
     * abort read the parts, and before that committed, is in neither's batch. Once the upload record is gone no part
     * can commit (each is conditioned on it), so one read now finds every such part.
     */
    private void dropLateParts(String uploadId) throws IOException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<Integer, StoredPart> late = parts(uploadId);
            if (late.isEmpty()) {
                return;
            }
            List<MetaBatch.Op> ops = new ArrayList<>();
            List<ShardSet> garbage = new ArrayList<>();
            for (Map.Entry<Integer, StoredPart> p : late.entrySet()) {
                ops.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(uploadId, p.getKey())));
                garbage.add(p.getValue().record().location());
            }
            String tombstone = ClusterContext.newObjectId(cx.now());
            ops.add(ShardReaper.tombstone(tombstone, garbage));
            if (cx.meta.apply(new MetaBatch(unchanged(uploadId, late), ops))) {
                cx.reaper.reapLater(tombstone, cx.executor);
                return;
            }
            // a late part was moved off a draining node meanwhile: read them again
        }
    }

    ListPartsResult listParts(String bucket, String key, String uploadId, int marker, int maxParts)
            throws IOException {
        byte[] upload = uploadRecord(bucket, key, uploadId);
        UploadInfo info = UploadCodec.decode(bucket, key, uploadId, upload);
        byte[] prefix = MetaKeys.utf8(uploadId);
        List<MetaEntry> page = cx.meta.scan(MetaTable.PARTS, prefix, MetaKeys.part(uploadId, marker + 1),
                maxParts + 1);
        List<PartInfo> parts = new ArrayList<>();
        for (MetaEntry e : page) {
            if (parts.size() == maxParts) {
                break;
            }
            parts.add(ClusterRecords.decodePart(e.value()).info(MetaKeys.partNumber(e.key())));
        }
        // A page of no parts is empty and not truncated, as a listing of no keys is: it cannot make progress.
        boolean truncated = maxParts > 0 && page.size() > maxParts;
        int next = parts.isEmpty() ? marker : parts.get(parts.size() - 1).partNumber();
        return new ListPartsResult(info, parts, truncated, next);
    }
}
