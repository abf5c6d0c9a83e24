package io.predastore.node.store.fs;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.disk.DiskReserve;
import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaCursor;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.DeletePrecondition;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ListPartsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.MultipartRules;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.RecordIo;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.UndecodableRecordException;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.node.store.UploadInfo;
import io.predastore.node.store.UploadPartRequest;
import io.predastore.node.store.WritePrecondition;
import io.predastore.node.store.meta.BucketCodec;
import io.predastore.node.store.meta.Listings;
import io.predastore.node.store.meta.MultipartAssembly;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import io.predastore.node.store.meta.PartRecord;
import io.predastore.node.store.meta.Preconditions;
import io.predastore.node.store.meta.RecordCodec;
import io.predastore.node.store.meta.UploadCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node backend: metadata in a local {@link LocalMetadataStore} (the same tables, record encodings,
 * listing, multipart and precondition code as the cluster, without Raft), object bytes inline in the record (up to
 * {@value #INLINE_LIMIT} bytes) or in blob files named by random ids.
 *
 * <h2>Layout</h2>
 * {@code <dataDir>/meta} is the metadata store: buckets and uploads as {@link io.predastore.node.store.meta.BucketCodec}
 * and {@link io.predastore.node.store.meta.UploadCodec} write them, objects and parts as
 * {@link io.predastore.node.store.meta.RecordCodec} writes them with {@link BlobSegment} locations, and the blob
 * bookkeeping tables {@code intents} and {@code garbage}. {@code <dataDir>/tmp/<id>} holds blobs being written and
 * {@code <dataDir>/blobs/<2 hex>/<id>} the complete ones. {@code <dataDir>/FORMAT} says which format the directory
 * has; older formats are migrated on open ({@link DataDirFormat}).
 *
 * <h2>Write path</h2>
 * Small bodies are buffered, hashed and committed as one synced batch. Larger bodies (and every part) stream into
 * {@code tmp/<id>} while their MD5 is computed; the file is fsynced, an intent naming the blob is written (synced),
 * the file is renamed into {@code blobs/} and that directory fsynced; then one synced batch stores the record,
 * deletes the intent and records the replaced version's blobs in {@code garbage}. After the commit the garbage files
 * are deleted and their garbage entries removed. RocksDB group-commits concurrent synced writes, so many writers
 * share fsyncs.
 *
 * <h2>Atomicity</h2>
 * Each commit runs under one of {@value #LOCK_STRIPES} striped locks chosen by bucket and key, held only for
 * the precondition check, the record read and the synced write, so {@code If-None-Match: *} and
 * {@code If-Match} are decided against the version being replaced. Object writes hold the shared side of a
 * bucket lock whose exclusive side creates and deletes buckets, so no write lands in a bucket being deleted.
 *
 * <h2>Crash safety</h2>
 * A version is visible only after its data is durable and its record committed. On open, {@code tmp/} is
 * emptied and the blobs named by leftover intents (renamed but never committed) and garbage entries (replaced
 * but not yet deleted) are removed; nothing else is scanned.
 *
 * <h2>Reads</h2>
 * {@link #getObject} reads the record and opens all its blob files; an open channel keeps the inode alive, so
 * the version stays readable through overwrites and deletes. If a concurrent overwrite removed a file between
 * the record read and the open, the read is retried against the new record. The handle and the bodies it opens
 * share the channels through a reference count ({@link PinnedBlobs}): the last of them to close closes the
 * channels, so a body outlives its handle and nothing leaks. Listing seeks past every key under a rolled-up
 * common prefix instead of reading them, and decodes only the record header of each listed key.
 *
 * <h2>Full disks</h2>
 * Every write of new data is first admitted by the disk's {@link io.predastore.node.disk.DiskReserve}: objects and
 * parts for their length while they stream in, and every write (bucket and upload creation and multipart
 * completion too) for {@link io.predastore.node.disk.DiskReserve#RECORD_BYTES} of records. Deletes, aborts and
 * bucket deletion are never refused, and free space as soon as they commit (blob files) or once RocksDB compacts
 * (inline objects). If the file system runs out anyway (another process filled it), the write fails with
 * {@link io.predastore.node.disk.StorageFullException} and whatever it had written (temp file, intent) is removed,
 * as for any failed write.
 *
 * <h2>Limits</h2>
 * A read of a multipart object opens one file descriptor per part (up to 10,000) for as long as it is open.
 * {@link #close()} waits for operations in flight, including uploads still reading their body.
 */
@SuppressWarnings("try") // guards are held by try-with-resources without being referenced
public final class FilesystemBackend implements Backend {
    static final int INLINE_LIMIT = 64 * 1024;
    static final long MIN_PART_SIZE = MultipartRules.MIN_PART_SIZE;
    private static final RecordCodec<BlobSegment> RECORDS = new RecordCodec<>(BlobSegment.CODEC);
    private static final int LOCK_STRIPES = 1024;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final int HEADER_READ = 4096;
    /** Entries read per scan when a whole table or prefix is walked (buckets, parts, blob bookkeeping). */
    private static final int SCAN_PAGE = 1000;
    private static final byte[] NO_VALUE = new byte[0];
    private static final Logger LOG = LoggerFactory.getLogger(FilesystemBackend.class);

    private final Clock clock;
    /** Records met that do not decode: each fails its own reads only, and listings skip it. */
    private final UndecodableRecords undecodable;
    private final NodeDisk disk;
    private final boolean ownsDisk;
    private final BlobStore blobs;
    private final LocalMetadataStore meta;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantReadWriteLock bucketLock = new ReentrantReadWriteLock();
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private boolean closed;

    /** Cursor seeks and steps taken by listings; lets tests prove that common prefixes are skipped. */
    final AtomicLong listIteratorSteps = new AtomicLong();
    private final AtomicLong uploadStamp = new AtomicLong();

    private FilesystemBackend(Path dataDir, Clock clock, NodeDisk disk, boolean ownsDisk) throws IOException {
        this.clock = clock;
        this.undecodable = new UndecodableRecords(clock);
        this.disk = disk;
        this.ownsDisk = ownsDisk;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        // The metadata first: it refuses a directory of a newer format before anything in it is touched.
        try {
            this.meta = DataDirFormat.open(dataDir, disk, RECORDS);
        } catch (IOException e) {
            throw new IOException("Cannot open the metadata of " + dataDir + ": " + e.getMessage()
                    + "; check that no other process uses this data directory", e);
        }
        BlobStore b = null;
        try {
            b = new BlobStore(dataDir);
        } finally {
            if (b == null) {
                meta.close();
            }
        }
        this.blobs = b;
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir} and removes what an earlier crash left, keeping no
     * free-space reserve (for tests and tools; a node uses {@link #open(Path, Clock, NodeDisk)}).
     */
    public static FilesystemBackend open(Path dataDir, Clock clock) throws IOException {
        OwnerOnly.createDirectories(dataDir);
        NodeDisk disk = NodeDisk.unguarded(dataDir);
        try {
            return new FilesystemBackend(dataDir, clock, disk, true);
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir} on {@code disk}, whose reserve admits every write of
     * new data, and removes what an earlier crash left. The caller closes {@code disk} after this backend.
     */
    public static FilesystemBackend open(Path dataDir, Clock clock, NodeDisk disk) throws IOException {
        OwnerOnly.createDirectories(dataDir);
        return new FilesystemBackend(dataDir, clock, disk, false);
    }

    @Override
    public String type() {
        return "filesystem";
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        int tmp = blobs.clearTmp();
        int orphaned = dropBlobsListedIn(MetaTable.INTENTS);
        int collected = dropBlobsListedIn(MetaTable.GARBAGE);
        if (tmp + orphaned + collected > 0) {
            LOG.info("Recovered data directory: removed {} temp files, {} uncommitted blobs, {} replaced blobs",
                    tmp, orphaned, collected);
        }
    }

    private int dropBlobsListedIn(MetaTable table) throws IOException {
        int n = 0;
        while (true) {
            List<MetaEntry> page = scan(table, NO_VALUE, null, SCAN_PAGE, "clean up leftover blobs");
            if (page.isEmpty()) {
                return n;
            }
            List<MetaBatch.Op> ops = new ArrayList<>(page.size());
            for (MetaEntry e : page) {
                blobs.deleteQuietly(RecordIo.hex(e.key()));
                ops.add(new MetaBatch.Delete(table, e.key()));
            }
            write("clean up leftover blobs", ops);
            n += page.size();
        }
    }

    // ------------------------------------------------------------------ buckets

    @Override
    public void createBucket(String bucket, String region) throws IOException {
        try (Guard g = enter(); Guard b = lock(bucketLock.writeLock())) {
            byte[] k = MetaKeys.utf8(bucket);
            if (get(MetaTable.BUCKETS, k, "read bucket " + bucket) != null) {
                throw new StorageException(StorageError.BUCKET_ALREADY_YOURS,
                        "Bucket " + bucket + " already exists and is yours; use it or pick another name.");
            }
            disk.reserve().admit("create bucket " + bucket, DiskReserve.RECORD_BYTES);
            write("create bucket " + bucket, List.of(new MetaBatch.Put(MetaTable.BUCKETS, k,
                    BucketCodec.encode(new BucketInfo(bucket, now(), region)))));
        }
    }

    @Override
    public void deleteBucket(String bucket) throws IOException {
        try (Guard g = enter(); Guard b = lock(bucketLock.writeLock())) {
            requireBucket(bucket);
            byte[] prefix = MetaKeys.bucketPrefix(bucket);
            if (hasKeyWithPrefix(MetaTable.OBJECTS, prefix)) {
                throw new StorageException(StorageError.BUCKET_NOT_EMPTY,
                        "Bucket " + bucket + " still holds objects; delete them before deleting the bucket.");
            }
            if (hasKeyWithPrefix(MetaTable.UPLOADS, prefix)) {
                throw new StorageException(StorageError.BUCKET_NOT_EMPTY, "Bucket " + bucket
                        + " has multipart uploads in progress; complete or abort them before deleting it.");
            }
            write("delete bucket " + bucket, List.of(new MetaBatch.Delete(MetaTable.BUCKETS, MetaKeys.utf8(bucket))));
        }
    }

    @Override
    public BucketInfo headBucket(String bucket) throws IOException {
        try (Guard g = enter()) {
            return requireBucket(bucket);
        }
    }

    @Override
    public List<BucketInfo> listBuckets() throws IOException {
        try (Guard g = enter()) {
            List<BucketInfo> out = new ArrayList<>();
            byte[] from = null;
            while (true) {
                List<MetaEntry> page = scan(MetaTable.BUCKETS, NO_VALUE, from, SCAN_PAGE, "list buckets");
                for (MetaEntry e : page) {
                    String name = MetaKeys.string(e.key(), 0, e.key().length);
                    try {
                        out.add(decodeBucket(name, e.value()));
                    } catch (UndecodableRecordException bad) {
                        // Noted and logged once; every other bucket is still listed.
                    }
                }
                if (page.size() < SCAN_PAGE) {
                    return out;
                }
                from = after(page.get(page.size() - 1).key());
            }
        }
    }

    private BucketInfo requireBucket(String bucket) throws IOException {
        byte[] v = get(MetaTable.BUCKETS, MetaKeys.utf8(bucket), "read bucket " + bucket);
        if (v == null) {
            throw new StorageException(StorageError.NO_SUCH_BUCKET,
                    "Bucket " + bucket + " does not exist; create it first.");
        }
        return decodeBucket(bucket, v);
    }

    private BucketInfo decodeBucket(String bucket, byte[] v) throws UndecodableRecordException {
        try {
            return BucketCodec.decode(bucket, v);
        } catch (IOException | RuntimeException e) {
            throw undecodable.report(MetaTable.BUCKETS, MetaKeys.utf8(bucket), "bucket " + bucket, e);
        }
    }

    private boolean hasKeyWithPrefix(MetaTable table, byte[] prefix) throws IOException {
        return !scan(table, prefix, null, 1, "read the bucket's contents").isEmpty();
    }

    // ------------------------------------------------------------------ objects

    @Override
    public ObjectInfo putObject(PutObjectRequest request, InputStream body) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        try (Guard g = enter()) {
            requireBucket(bucket);
            byte[] okey = MetaKeys.object(bucket, key);
            checkPrecondition(request.precondition(), readObject(okey), bucket, key);
            try (DiskReserve.Reservation space = disk.reserve().reserve("store " + bucket + "/" + key,
                    request.contentLength() + DiskReserve.RECORD_BYTES)) {
                return putAdmitted(request, body, okey);
            }
        }
    }

    /** Receives and commits an object whose space was admitted. */
    private ObjectInfo putAdmitted(PutObjectRequest request, InputStream body, byte[] okey) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        ObjectRecord<BlobSegment> record;
        String blobId = null;
        if (request.contentLength() <= INLINE_LIMIT) {
            byte[] data = new byte[(int) request.contentLength()];
            MessageDigest md5 = md5();
            int[] filled = {0};
            receive(body, data.length, md5, (buf, off, n) -> {
                System.arraycopy(buf, off, data, filled[0], n);
                filled[0] += n;
            });
            byte[] digest = md5.digest();
            checkMd5(request.expectedMd5(), digest);
            record = ObjectRecord.inline(header(data.length, RecordIo.hex(digest), request.metadata(), 0,
                    request.checksum().get()), data);
        } else {
            blobId = BlobStore.newId();
            Received r = receiveBlob(blobId, body, request.contentLength(), request.expectedMd5(),
                    request.checksum());
            record = ObjectRecord.stored(header(r.size, RecordIo.hex(r.md5), request.metadata(), 0, r.checksum),
                    List.of(new BlobSegment(blobId, r.size)));
            publish(blobId);
        }
        return commitObject(bucket, key, okey, record, request.precondition(),
                blobId == null ? List.of() : List.of(blobId), List.of(), List.of());
    }

    private ObjectHeader header(long size, String etag, ObjectMetadata metadata, int partsCount,
            ChecksumValue checksum) {
        return new ObjectHeader(size, etag, now(), metadata, partsCount, checksum);
    }

    @Override
    public ObjectHandle getObject(String bucket, String key) throws IOException {
        try (Guard g = enter()) {
            byte[] okey = MetaKeys.object(bucket, key);
            for (int attempt = 0; ; attempt++) {
                ObjectRecord<BlobSegment> rec = requireObject(okey, bucket, key);
                ObjectInfo info = rec.info(bucket, key);
                if (rec.isInline()) {
                    return new FsObjectHandle(info, rec.inline(), null);
                }
                List<BlobSegment> segs = rec.segments();
                FileChannel[] channels = new FileChannel[segs.size()];
                long[] lengths = new long[segs.size()];
                try {
                    for (int i = 0; i < channels.length; i++) {
                        channels[i] = FileChannel.open(blobs.blobPath(segs.get(i).blobId()), StandardOpenOption.READ);
                        lengths[i] = segs.get(i).length();
                    }
                    return new FsObjectHandle(info, null, new PinnedBlobs(channels, lengths));
                } catch (NoSuchFileException e) {
                    // overwritten and its blob deleted between our record read and open: read the new version
                    PinnedBlobs.closeAll(channels);
                    if (attempt >= 100) {
                        throw new IOException("Object " + bucket + "/" + key
                                + " keeps changing or its data file is missing: " + e.getMessage(), e);
                    }
                } catch (IOException | RuntimeException e) {
                    PinnedBlobs.closeAll(channels);
                    throw e;
                }
            }
        }
    }

    @Override
    public ObjectInfo headObject(String bucket, String key) throws IOException {
        try (Guard g = enter()) {
            return requireObject(MetaKeys.object(bucket, key), bucket, key).info(bucket, key);
        }
    }

    @Override
    public void deleteObject(String bucket, String key, DeletePrecondition precondition) throws IOException {
        try (Guard g = enter()) {
            byte[] okey = MetaKeys.object(bucket, key);
            List<String> dropped;
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(okey))) {
                requireBucket(bucket);
                ObjectRecord<BlobSegment> old = readObject(okey);
                if (!Preconditions.checkDelete(precondition, old == null ? null : old.header(), bucket, key)) {
                    return;
                }
                List<MetaBatch.Op> ops = new ArrayList<>();
                ops.add(new MetaBatch.Delete(MetaTable.OBJECTS, okey));
                dropped = blobIds(old.segments());
                for (String id : dropped) {
                    ops.add(garbage(id));
                }
                write("delete " + bucket + "/" + key, ops);
            }
            collect(dropped);
        }
    }

    private ObjectRecord<BlobSegment> requireObject(byte[] okey, String bucket, String key) throws IOException {
        ObjectRecord<BlobSegment> rec = readObject(okey);
        if (rec == null) {
            requireBucket(bucket);
            throw new StorageException(StorageError.NO_SUCH_KEY,
                    "Key " + key + " does not exist in bucket " + bucket + ".");
        }
        return rec;
    }

    private ObjectRecord<BlobSegment> readObject(byte[] okey) throws IOException {
        byte[] v = get(MetaTable.OBJECTS, okey, "read an object record");
        if (v == null) {
            return null;
        }
        try {
            return RECORDS.decodeObject(v);
        } catch (IOException | RuntimeException e) {
            throw undecodable.report(MetaTable.OBJECTS, okey, "object " + objectName(okey), e);
        }
    }

    private static String objectName(byte[] okey) {
        return MetaKeys.string(okey, 0, okey.length).replace('\0', '/');
    }

    /**
     * Commits an object version atomically with its precondition: stores the record, deletes the intents of
     * {@code newBlobs}, and marks the replaced version's blobs plus {@code extraGarbage} as garbage; then deletes
     * those files. On any failure the new blobs are removed. {@code uploadOps} (deletes of an upload and its parts)
     * join the same batch when completing a multipart upload, whose parts' blobs are not new.
     */
    private ObjectInfo commitObject(String bucket, String key, byte[] okey, ObjectRecord<BlobSegment> record,
            WritePrecondition precondition, List<String> newBlobs, List<String> extraGarbage,
            List<MetaBatch.Op> uploadOps) throws IOException {
        List<String> dropped = new ArrayList<>(extraGarbage);
        boolean committed = false;
        try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(okey))) {
            requireBucket(bucket);
            ObjectRecord<BlobSegment> old = readObject(okey);
            checkPrecondition(precondition, old, bucket, key);
            List<MetaBatch.Op> ops = new ArrayList<>();
            ops.add(new MetaBatch.Put(MetaTable.OBJECTS, okey, RECORDS.encodeObject(record)));
            for (String id : newBlobs) {
                ops.add(new MetaBatch.Delete(MetaTable.INTENTS, RecordIo.unhex(id)));
            }
            if (old != null) {
                dropped.addAll(blobIds(old.segments()));
            }
            for (String id : dropped) {
                ops.add(garbage(id));
            }
            ops.addAll(uploadOps);
            write("commit " + bucket + "/" + key, ops);
            committed = true;
        } finally {
            if (!committed) {
                discard(newBlobs);
            }
        }
        collect(dropped);
        return record.info(bucket, key);
    }

    private static void checkPrecondition(WritePrecondition p, ObjectRecord<BlobSegment> current, String bucket,
            String key) {
        Preconditions.check(p, current == null ? null : current.header().etag(), bucket, key);
    }

    // ------------------------------------------------------------------ listing

    @Override
    public ListObjectsResult listObjects(ListObjectsRequest request) throws IOException {
        String bucket = request.bucket();
        try (Guard g = enter()) {
            requireBucket(bucket);
            byte[] head = new byte[HEADER_READ];
            return Listings.objects(request, this::cursor, (key, at) -> listedInfo(bucket, key, at, head));
        }
    }

    /** A listed object's record, decoded from its header alone when the first bytes of the value hold it. */
    private ObjectInfo listedInfo(String bucket, String key, MetaCursor at, byte[] head) throws IOException {
        int got = at.valueHead(head);
        try {
            ObjectHeader header = RecordCodec.decodeHeader(head, got);
            return header != null ? header.info(bucket, key) : RECORDS.decodeObject(at.value()).info(bucket, key);
        } catch (IOException | RuntimeException bad) {
            throw undecodable.report(MetaTable.OBJECTS, at.key(), "object " + bucket + "/" + key, bad);
        }
    }

    private MetaCursor cursor(MetaTable table, byte[] prefix) throws IOException {
        try {
            return new CountingCursor(meta.cursor(table, prefix), listIteratorSteps);
        } catch (IOException e) {
            throw failure("list " + table.name().toLowerCase(Locale.ROOT), e);
        }
    }

    // ------------------------------------------------------------------ multipart

    @Override
    public String createMultipartUpload(String bucket, String key, ObjectMetadata metadata) throws IOException {
        try (Guard g = enter(); Guard b = lock(bucketLock.readLock())) {
            requireBucket(bucket);
            disk.reserve().admit("start a multipart upload of " + bucket + "/" + key, DiskReserve.RECORD_BYTES);
            String uploadId = newUploadId();
            UploadInfo info = new UploadInfo(bucket, key, uploadId, now(), metadata);
            write("create an upload for " + bucket + "/" + key, List.of(new MetaBatch.Put(MetaTable.UPLOADS,
                    MetaKeys.upload(bucket, key, uploadId), UploadCodec.encode(info))));
            return uploadId;
        }
    }

    /**
     * 16 hex digits of a per-store monotonic counter seeded from the clock ({@code millis << 16}), then 16
     * random hex digits: URL-safe, unguessable, and sorting by id sorts uploads of one key by initiation.
     */
    private String newUploadId() {
        long stamp = uploadStamp.updateAndGet(prev -> Math.max(prev + 1, clock.millis() << 16));
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return String.format("%016x", stamp) + RecordIo.hex(random);
    }

    @Override
    public PartInfo uploadPart(UploadPartRequest request, InputStream body) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        String uploadId = request.uploadId();
        try (Guard g = enter()) {
            requireUpload(bucket, key, uploadId);
            Received r;
            String blobId = BlobStore.newId();
            try (DiskReserve.Reservation space = disk.reserve().reserve("store part " + request.partNumber()
                    + " of " + bucket + "/" + key, request.contentLength() + DiskReserve.RECORD_BYTES)) {
                r = receiveBlob(blobId, body, request.contentLength(), request.expectedMd5(), request.checksum());
            }
            PartRecord<BlobSegment> part = new PartRecord<>(RecordIo.hex(r.md5), r.size, now(), r.checksum,
                    new BlobSegment(blobId, r.size));
            publish(blobId);
            byte[] pkey = MetaKeys.part(uploadId, request.partNumber());
            String replaced = null;
            boolean committed = false;
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(MetaKeys.object(bucket, key)))) {
                requireUpload(bucket, key, uploadId);
                String what = "store part " + request.partNumber() + " of upload " + uploadId;
                byte[] old = get(MetaTable.PARTS, pkey, what);
                List<MetaBatch.Op> ops = new ArrayList<>();
                if (old != null) {
                    replaced = decodePart(uploadId, request.partNumber(), old).location().blobId();
                    ops.add(garbage(replaced));
                }
                ops.add(new MetaBatch.Put(MetaTable.PARTS, pkey, RECORDS.encodePart(part)));
                ops.add(new MetaBatch.Delete(MetaTable.INTENTS, RecordIo.unhex(blobId)));
                write(what, ops);
                committed = true;
            } finally {
                if (!committed) {
                    discard(List.of(blobId));
                }
            }
            if (replaced != null) {
                collect(List.of(replaced));
            }
            return part.info(request.partNumber());
        }
    }

    @Override
    public ObjectInfo completeMultipartUpload(CompleteMultipartUploadRequest request) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        String uploadId = request.uploadId();
        List<CompletedPart> listed = request.parts();
        try (Guard g = enter()) {
            try {
                return complete(request);
            } catch (StorageException e) {
                if (e.error() != StorageError.NO_SUCH_UPLOAD) {
                    throw e;
                }
                ObjectRecord<BlobSegment> current = readObject(MetaKeys.object(bucket, key));
                if (current != null && MultipartAssembly.completedBy(current.header(), uploadId, listed)) {
                    return current.info(bucket, key);
                }
                throw e;
            }
        }
    }

    private ObjectInfo complete(CompleteMultipartUploadRequest request) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        String uploadId = request.uploadId();
        List<CompletedPart> listed = request.parts();
        {
            UploadInfo upload = requireUpload(bucket, key, uploadId);
            MultipartRules.checkOrder(listed);
            disk.reserve().admit("complete the multipart upload of " + bucket + "/" + key,
                    DiskReserve.RECORD_BYTES);
            byte[] okey = MetaKeys.object(bucket, key);
            // parts only change under the key's stripe lock, so read them there and commit in the same section
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(okey))) {
                requireUpload(bucket, key, uploadId);
                Map<Integer, MultipartAssembly.Part<BlobSegment>> stored = new HashMap<>();
                for (Map.Entry<Integer, PartRecord<BlobSegment>> e : readParts(uploadId).entrySet()) {
                    PartRecord<BlobSegment> p = e.getValue();
                    stored.put(e.getKey(), new MultipartAssembly.Part<>(p.size(), p.etag(), p.checksum(),
                            p.location()));
                }
                MultipartAssembly.Assembled<BlobSegment> assembled =
                        MultipartAssembly.assemble(uploadId, listed, stored);
                List<String> unused = blobIds(List.copyOf(assembled.unused().values()));
                ObjectRecord<BlobSegment> record = ObjectRecord.stored(new ObjectHeader(assembled.size(),
                        assembled.etag(), now(), upload.metadata(), listed.size(), assembled.checksum(), uploadId),
                        assembled.segments());
                List<MetaBatch.Op> uploadOps = new ArrayList<>();
                uploadOps.add(new MetaBatch.Delete(MetaTable.UPLOADS, MetaKeys.upload(bucket, key, uploadId)));
                for (CompletedPart cp : listed) {
                    uploadOps.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(uploadId, cp.partNumber())));
                }
                for (int unusedPart : assembled.unused().keySet()) {
                    uploadOps.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(uploadId, unusedPart)));
                }
                // the stripe lock is reentrant: commitObject takes it again around the same critical section
                return commitObject(bucket, key, okey, record, request.precondition(), List.of(), unused, uploadOps);
            }
        }
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) throws IOException {
        try (Guard g = enter()) {
            List<String> dropped = new ArrayList<>();
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(MetaKeys.object(bucket, key)))) {
                requireUpload(bucket, key, uploadId);
                List<MetaBatch.Op> ops = new ArrayList<>();
                for (Map.Entry<Integer, PartRecord<BlobSegment>> e : readParts(uploadId).entrySet()) {
                    String blob = e.getValue().location().blobId();
                    ops.add(new MetaBatch.Delete(MetaTable.PARTS, MetaKeys.part(uploadId, e.getKey())));
                    ops.add(garbage(blob));
                    dropped.add(blob);
                }
                ops.add(new MetaBatch.Delete(MetaTable.UPLOADS, MetaKeys.upload(bucket, key, uploadId)));
                write("abort upload " + uploadId, ops);
            }
            collect(dropped);
        }
    }

    @Override
    public ListPartsResult listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts)
            throws IOException {
        try (Guard g = enter()) {
            UploadInfo upload = requireUpload(bucket, key, uploadId);
            List<MetaEntry> entries = scan(MetaTable.PARTS, MetaKeys.utf8(uploadId),
                    MetaKeys.part(uploadId, Math.max(0, partNumberMarker) + 1), Math.addExact(
                            Math.min(maxParts, MultipartRules.MAX_PARTS), 1),
                    "list parts of upload " + uploadId);
            // A page of no parts is empty and not truncated, as a listing of no keys is: it cannot make progress.
            boolean truncated = maxParts > 0 && entries.size() > maxParts;
            List<PartInfo> page = new ArrayList<>(Math.min(entries.size(), maxParts));
            for (MetaEntry e : entries.subList(0, Math.min(entries.size(), maxParts))) {
                int n = MetaKeys.partNumber(e.key());
                page.add(decodePart(uploadId, n, e.value()).info(n));
            }
            int next = page.isEmpty() ? Math.max(0, partNumberMarker) : page.get(page.size() - 1).partNumber();
            return new ListPartsResult(upload, page, truncated, next);
        }
    }

    @Override
    public ListUploadsResult listMultipartUploads(ListUploadsRequest request) throws IOException {
        try (Guard g = enter()) {
            requireBucket(request.bucket());
            return Listings.uploads(request, this::cursor, undecodable);
        }
    }

    private UploadInfo requireUpload(String bucket, String key, String uploadId) throws IOException {
        byte[] v = null;
        if (uploadId.length() == MetaKeys.UPLOAD_ID_LENGTH) {
            v = get(MetaTable.UPLOADS, MetaKeys.upload(bucket, key, uploadId), "read upload " + uploadId);
        }
        if (v == null) {
            requireBucket(bucket);
            throw new StorageException(StorageError.NO_SUCH_UPLOAD, "Upload " + uploadId + " for " + bucket + "/" + key
                    + " does not exist (it may have been completed or aborted); start a new multipart upload.");
        }
        return UploadCodec.decode(bucket, key, uploadId, v);
    }

    private Map<Integer, PartRecord<BlobSegment>> readParts(String uploadId) throws IOException {
        Map<Integer, PartRecord<BlobSegment>> out = new HashMap<>();
        byte[] idPrefix = MetaKeys.utf8(uploadId);
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = scan(MetaTable.PARTS, idPrefix, from, SCAN_PAGE, "read parts of upload " + uploadId);
            for (MetaEntry e : page) {
                int n = MetaKeys.partNumber(e.key());
                out.put(n, decodePart(uploadId, n, e.value()));
            }
            if (page.size() < SCAN_PAGE) {
                return out;
            }
            from = after(page.get(page.size() - 1).key());
        }
    }

    private PartRecord<BlobSegment> decodePart(String uploadId, int partNumber, byte[] value) throws IOException {
        try {
            return RECORDS.decodePart(value);
        } catch (IOException | RuntimeException e) {
            throw undecodable.report(MetaTable.PARTS, MetaKeys.part(uploadId, partNumber),
                    "part " + partNumber + " of upload " + uploadId, e);
        }
    }

    // ------------------------------------------------------------------ the write path

    private record Received(long size, byte[] md5, ChecksumValue checksum) {
    }

    private interface Sink {
        void write(byte[] buf, int off, int n) throws IOException;
    }

    /**
     * Streams a body into {@code tmp/<blobId>}, verifies it and fsyncs the file. On any failure (short or long
     * body, a stream that throws, bad digest) the temp file is deleted and the failure rethrown.
     */
    private Received receiveBlob(String blobId, InputStream body, long length, byte[] expectedMd5,
            Supplier<ChecksumValue> checksum) throws IOException {
        Path tmp = blobs.tmpPath(blobId);
        boolean ok = false;
        try (FileChannel ch = OwnerOnly.open(tmp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            MessageDigest md5 = md5();
            receive(body, length, md5, (buf, off, n) -> {
                ByteBuffer bb = ByteBuffer.wrap(buf, off, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            });
            byte[] digest = md5.digest();
            checkMd5(expectedMd5, digest);
            ChecksumValue c = checksum.get();
            ch.force(true);
            ok = true;
            return new Received(length, digest, c);
        } catch (IOException e) {
            // Creating, writing or syncing the file on a full disk; the body's own failures pass unchanged.
            throw NoSpace.classify("store the data", e);
        } finally {
            if (!ok) {
                BlobStore.deleteQuietly(tmp);
            }
        }
    }

    /** Reads exactly {@code length} bytes and then the end of the stream (where it may verify and throw). */
    private static void receive(InputStream body, long length, MessageDigest md5, Sink sink) throws IOException {
        byte[] buf = new byte[(int) Math.max(1, Math.min(COPY_BUFFER, length))];
        long remaining = length;
        while (remaining > 0) {
            int n = body.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) {
                throw new StorageException(StorageError.BODY_INCOMPLETE,
                        "The body ended after " + (length - remaining) + " of the "
                        + length + " bytes given in Content-Length; send the whole body.");
            }
            md5.update(buf, 0, n);
            sink.write(buf, 0, n);
            remaining -= n;
        }
        if (body.read() >= 0) {
            throw new StorageException(StorageError.BODY_TOO_LONG, "The body is longer than the " + length
                    + " bytes given in Content-Length; send exactly Content-Length bytes.");
        }
    }

    private static void checkMd5(byte[] expected, byte[] actual) {
        if (expected != null && !MessageDigest.isEqual(expected, actual)) {
            throw new StorageException(StorageError.BODY_DIGEST_MISMATCH,
                    "The Content-MD5 you sent does not match the MD5 of the body ("
                    + RecordIo.hex(actual) + "); resend the body or fix the header.");
        }
    }

    /** Records the intent (synced), then moves the fsynced temp file into blobs/. */
    private void publish(String blobId) throws IOException {
        boolean ok = false;
        try {
            writeIntent(blobId);
            blobs.publish(blobId);
            ok = true;
        } catch (IOException e) {
            throw NoSpace.classify("store the data", e);
        } finally {
            if (!ok) {
                BlobStore.deleteQuietly(blobs.tmpPath(blobId));
                discard(List.of(blobId));
            }
        }
    }

    /** Durably records that blob {@code blobId} may exist in blobs/ without a committed record. */
    void writeIntent(String blobId) throws IOException {
        write("record a blob intent", List.of(new MetaBatch.Put(MetaTable.INTENTS, RecordIo.unhex(blobId), NO_VALUE)));
    }

    /** Durably records that blob {@code blobId} is no longer referenced (as a commit that replaced it does). */
    void writeGarbage(String blobId) throws IOException {
        write("record a garbage blob", List.of(garbage(blobId)));
    }

    private static MetaBatch.Op garbage(String blobId) {
        return new MetaBatch.Put(MetaTable.GARBAGE, RecordIo.unhex(blobId), NO_VALUE);
    }

    BlobStore blobs() {
        return blobs;
    }

    /** Removes blobs that never got committed, and their intents. */
    private void discard(List<String> blobIds) {
        if (blobIds.isEmpty()) {
            return;
        }
        List<MetaBatch.Op> ops = new ArrayList<>(blobIds.size());
        for (String id : blobIds) {
            blobs.deleteQuietly(id);
            ops.add(new MetaBatch.Delete(MetaTable.INTENTS, RecordIo.unhex(id)));
        }
        try {
            meta.applyLazily(new MetaBatch(List.of(), ops));
        } catch (IOException e) {
            LOG.warn("Could not drop the intents of blobs {}; they are removed at the next start", blobIds, e);
        }
    }

    /**
     * Deletes blobs whose garbage entries were committed, then the entries (without waiting for the disk: an entry
     * that a power failure brings back only names a file already gone).
     */
    private void collect(List<String> blobIds) {
        if (blobIds.isEmpty()) {
            return;
        }
        List<MetaBatch.Op> ops = new ArrayList<>(blobIds.size());
        for (String id : blobIds) {
            blobs.deleteQuietly(id);
            ops.add(new MetaBatch.Delete(MetaTable.GARBAGE, RecordIo.unhex(id)));
        }
        try {
            meta.applyLazily(new MetaBatch(List.of(), ops));
        } catch (IOException e) {
            LOG.warn("Could not drop {} garbage entries; they are retried at the next start", blobIds.size(), e);
        }
    }

    private static List<String> blobIds(List<BlobSegment> segments) {
        List<String> ids = new ArrayList<>(segments.size());
        for (BlobSegment s : segments) {
            ids.add(s.blobId());
        }
        return ids;
    }

    // ------------------------------------------------------------------ plumbing

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /** The smallest key after {@code key}: where the next page of a scan starts. */
    private static byte[] after(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    private Lock stripe(byte[] okey) {
        return stripes[Math.floorMod(Arrays.hashCode(okey), LOCK_STRIPES)];
    }

    private byte[] get(MetaTable table, byte[] key, String what) throws IOException {
        try {
            return meta.get(table, key).orElse(null);
        } catch (IOException e) {
            throw failure(what, e);
        }
    }

    private List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit, String what)
            throws IOException {
        try {
            return meta.scan(table, prefix, from, limit);
        } catch (IOException e) {
            throw failure(what, e);
        }
    }

    /** Applies {@code ops} as one synced, atomic batch. */
    private void write(String what, List<MetaBatch.Op> ops) throws IOException {
        try {
            meta.apply(new MetaBatch(List.of(), ops));
        } catch (IOException e) {
            throw failure(what, e);
        }
    }

    /** An I/O error for a failed metadata operation, or a {@link io.predastore.node.disk.StorageFullException}. */
    private IOException failure(String what, IOException e) {
        return NoSpace.classify(what, new IOException("Could not " + what + ": " + e.getMessage(), e));
    }

    /** A held lock, released by try-with-resources. */
    private interface Guard extends AutoCloseable {
        @Override
        void close();
    }

    private static Guard lock(Lock lock) {
        lock.lock();
        return lock::unlock;
    }

    /** Holds the shared side of the lifecycle lock so {@link #close()} waits for operations in flight. */
    private Guard enter() {
        Lock l = lifecycle.readLock();
        l.lock();
        if (closed) {
            l.unlock();
            throw new IllegalStateException("the filesystem backend is closed");
        }
        return l::unlock;
    }

    /** Counts a listing's seeks and steps, so tests can prove that it skips what it rolls up. */
    private static final class CountingCursor implements MetaCursor {
        private final MetaCursor inner;
        private final AtomicLong steps;

        CountingCursor(MetaCursor inner, AtomicLong steps) {
            this.inner = inner;
            this.steps = steps;
        }

        @Override
        public void seek(byte[] target) throws IOException {
            steps.incrementAndGet();
            inner.seek(target);
        }

        @Override
        public boolean valid() throws IOException {
            return inner.valid();
        }

        @Override
        public byte[] key() {
            return inner.key();
        }

        @Override
        public byte[] value() throws IOException {
            return inner.value();
        }

        @Override
        public int valueHead(byte[] into) throws IOException {
            return inner.valueHead(into);
        }

        @Override
        public void next() throws IOException {
            steps.incrementAndGet();
            inner.next();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (meta != null) {
                meta.close();
            }
            if (ownsDisk) {
                disk.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
