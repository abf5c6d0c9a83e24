package io.predastore.node.store.fs;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.disk.DiskReserve;
import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
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
import io.predastore.node.store.meta.MetaCursor;
import io.predastore.node.store.meta.MultipartAssembly;
import io.predastore.node.store.meta.Preconditions;
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
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node backend: object metadata in a local RocksDB, object bytes inline in the record (up to
 * {@value #INLINE_LIMIT} bytes) or in blob files named by random ids.
 *
 * <h2>Layout</h2>
 * {@code <dataDir>/meta} is the RocksDB with column families {@code buckets}, {@code objects}, {@code uploads},
 * {@code parts}, {@code intents} and {@code garbage} (key and value formats are on {@link BucketCodec},
 * {@link ObjectRecord}, {@link UploadCodec}, {@link PartRecord}); {@code <dataDir>/tmp/<id>} holds blobs being
 * written and {@code <dataDir>/blobs/<2 hex>/<id>} the complete ones.
 *
 * <h2>Write path</h2>
 * Small bodies are buffered, hashed and committed as one synced RocksDB write. Larger bodies (and every part)
 * stream into {@code tmp/<id>} while their MD5 is computed; the file is fsynced, an intent naming the blob is
 * written (synced), the file is renamed into {@code blobs/} and that directory fsynced; then one synced
 * {@link WriteBatch} stores the record, deletes the intent and records the replaced version's blobs in
 * {@code garbage}. After the commit the garbage files are deleted and their garbage entries removed. RocksDB
 * group-commits concurrent synced writes, so many writers share fsyncs.
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
 * Inline data shares SST blocks with the records, so listings of many small objects read their bytes from disk.
 * {@link #close()} waits for operations in flight, including uploads still reading their body.
 */
@SuppressWarnings("try") // guards are held by try-with-resources without being referenced
public final class FilesystemBackend implements Backend {
    static final int INLINE_LIMIT = 64 * 1024;
    static final long MIN_PART_SIZE = MultipartRules.MIN_PART_SIZE;
    private static final int LOCK_STRIPES = 1024;
    private static final int COPY_BUFFER = 64 * 1024;
    private static final int HEADER_READ = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(FilesystemBackend.class);

    static {
        RocksDB.loadLibrary();
    }

    private final Clock clock;
    /** Records met that do not decode: each fails its own reads only, and listings skip it. */
    private final UndecodableRecords undecodable;
    private final NodeDisk disk;
    private final boolean ownsDisk;
    private final NodeDisk.Watch watch;
    private final BlobStore blobs;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final List<ColumnFamilyHandle> handles;
    private final RocksDB db;
    private final ColumnFamilyHandle buckets;
    private final ColumnFamilyHandle objects;
    private final ColumnFamilyHandle uploads;
    private final ColumnFamilyHandle parts;
    private final ColumnFamilyHandle intents;
    private final ColumnFamilyHandle garbage;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantReadWriteLock bucketLock = new ReentrantReadWriteLock();
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private boolean closed;

    /** Iterator seeks and steps taken by listings; lets tests prove that common prefixes are skipped. */
    final AtomicLong listIteratorSteps = new AtomicLong();
    private final AtomicLong uploadStamp = new AtomicLong();

    private FilesystemBackend(Path dataDir, Clock clock, NodeDisk disk, boolean ownsDisk) throws IOException {
        this.clock = clock;
        this.undecodable = new UndecodableRecords(clock);
        this.disk = disk;
        this.ownsDisk = ownsDisk;
        this.blobs = new BlobStore(dataDir);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        Path meta = dataDir.resolve("meta");
        OwnerOnly.createDirectories(meta);
        dbOptions = disk.configureDatabase(new DBOptions().setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true).setMaxBackgroundJobs(4).setKeepLogFileNum(5));
        blockCache = new LRUCache(64L * 1024 * 1024);
        bloomFilter = new BloomFilter(10);
        cfOptions = disk.configureTable(new ColumnFamilyOptions().setTableFormatConfig(new BlockBasedTableConfig()
                .setBlockCache(blockCache).setFilterPolicy(bloomFilter).setWholeKeyFiltering(true)));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (String name : List.of("buckets", "objects", "uploads", "parts", "intents", "garbage")) {
            descriptors.add(new ColumnFamilyDescriptor(MetaKeys.utf8(name), cfOptions));
        }
        handles = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, meta.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            bloomFilter.close();
            blockCache.close();
            dbOptions.close();
            throw new IOException("Cannot open the metadata database in " + meta + ": " + e.getMessage()
                    + "; check that no other process uses this data directory", e);
        }
        buckets = handles.get(1);
        objects = handles.get(2);
        uploads = handles.get(3);
        parts = handles.get(4);
        intents = handles.get(5);
        garbage = handles.get(6);
        watch = disk.watch("object metadata", db);
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
        return new FilesystemBackend(dataDir, clock, disk, false);
    }

    @Override
    public String type() {
        return "filesystem";
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        int tmp = blobs.clearTmp();
        int orphaned = dropBlobsListedIn(intents);
        int collected = dropBlobsListedIn(garbage);
        if (tmp + orphaned + collected > 0) {
            LOG.info("Recovered data directory: removed {} temp files, {} uncommitted blobs, {} replaced blobs",
                    tmp, orphaned, collected);
        }
    }

    private int dropBlobsListedIn(ColumnFamilyHandle table) throws IOException {
        int n = 0;
        try (ReadOptions ro = new ReadOptions();
                RocksIterator it = db.newIterator(table, ro);
                WriteBatch batch = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] id = it.key();
                blobs.deleteQuietly(RecordIo.hex(id));
                batch.delete(table, id);
                n++;
            }
            it.status();
            if (n > 0) {
                db.write(disk.writeOptions(true), batch);
            }
        } catch (RocksDBException e) {
            throw storageFailure("clean up leftover blobs", e);
        }
        return n;
    }

    // ------------------------------------------------------------------ buckets

    @Override
    public void createBucket(String bucket, String region) throws IOException {
        try (Guard g = enter(); Guard b = lock(bucketLock.writeLock())) {
            byte[] k = MetaKeys.utf8(bucket);
            if (db.get(buckets, k) != null) {
                throw new StorageException(StorageError.BUCKET_ALREADY_YOURS, 
                        "Bucket " + bucket + " already exists and is yours; use it or pick another name.");
            }
            disk.reserve().admit("create bucket " + bucket, DiskReserve.RECORD_BYTES);
            db.put(buckets, disk.writeOptions(true), k,
                    BucketCodec.encode(new BucketInfo(bucket, now(), region)));
        } catch (RocksDBException e) {
            throw storageFailure("create bucket " + bucket, e);
        }
    }

    @Override
    public void deleteBucket(String bucket) throws IOException {
        try (Guard g = enter(); Guard b = lock(bucketLock.writeLock())) {
            requireBucket(bucket);
            byte[] prefix = MetaKeys.bucketPrefix(bucket);
            if (hasKeyWithPrefix(objects, prefix)) {
                throw new StorageException(StorageError.BUCKET_NOT_EMPTY, 
                        "Bucket " + bucket + " still holds objects; delete them before deleting the bucket.");
            }
            if (hasKeyWithPrefix(uploads, prefix)) {
                throw new StorageException(StorageError.BUCKET_NOT_EMPTY, "Bucket " + bucket
                        + " has multipart uploads in progress; complete or abort them before deleting it.");
            }
            db.delete(buckets, disk.writeOptions(true), MetaKeys.utf8(bucket));
        } catch (RocksDBException e) {
            throw storageFailure("delete bucket " + bucket, e);
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
        try (Guard g = enter();
                ReadOptions ro = new ReadOptions();
                RocksIterator it = db.newIterator(buckets, ro)) {
            List<BucketInfo> out = new ArrayList<>();
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                String name = MetaKeys.string(k, 0, k.length);
                try {
                    out.add(decodeBucket(name, it.value()));
                } catch (UndecodableRecordException bad) {
                    // Noted and logged once; every other bucket is still listed.
                }
            }
            it.status();
            return out;
        } catch (RocksDBException e) {
            throw storageFailure("list buckets", e);
        }
    }

    private BucketInfo requireBucket(String bucket) throws IOException {
        byte[] v;
        try {
            v = db.get(buckets, MetaKeys.utf8(bucket));
        } catch (RocksDBException e) {
            throw storageFailure("read bucket " + bucket, e);
        }
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

    private boolean hasKeyWithPrefix(ColumnFamilyHandle table, byte[] prefix) {
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(table, ro)) {
            it.seek(prefix);
            return it.isValid() && MetaKeys.startsWith(it.key(), prefix);
        }
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
        ObjectRecord record;
        String blobId = null;
        if (request.contentLength() <= INLINE_LIMIT) {
            byte[] data = new byte[(int) request.contentLength()];
            MessageDigest md5 = md5();
            int[] filled = {0};
            receive(body, data.length, md5, (buf, off, n) -> {
                System.arraycopy(buf, off, data, filled[0], n);
                filled[0] += n;
            });
            record = finishRecord(md5, request.expectedMd5(), request.checksum(), request.metadata(),
                    data.length, data, null);
        } else {
            blobId = BlobStore.newId();
            Received r = receiveBlob(blobId, body, request.contentLength(), request.expectedMd5(),
                    request.checksum());
            record = new ObjectRecord(r.size, RecordIo.hex(r.md5), now(), request.metadata(), 0, r.checksum,
                    null, List.of(new ObjectRecord.Segment(blobId, r.size)));
            publish(blobId);
        }
        return commitObject(bucket, key, okey, record, request.precondition(),
                blobId == null ? List.of() : List.of(blobId), List.of(), null);
    }

    private ObjectRecord finishRecord(MessageDigest md5, byte[] expectedMd5, Supplier<ChecksumValue> checksum,
            ObjectMetadata metadata, long size, byte[] inline, List<ObjectRecord.Segment> segments) {
        byte[] digest = md5.digest();
        checkMd5(expectedMd5, digest);
        ChecksumValue c = checksum.get();
        return new ObjectRecord(size, RecordIo.hex(digest), now(), metadata, 0, c, inline, segments);
    }

    @Override
    public ObjectHandle getObject(String bucket, String key) throws IOException {
        try (Guard g = enter()) {
            byte[] okey = MetaKeys.object(bucket, key);
            for (int attempt = 0; ; attempt++) {
                ObjectRecord rec = requireObject(okey, bucket, key);
                ObjectInfo info = rec.info(bucket, key);
                if (rec.isInline()) {
                    return new FsObjectHandle(info, rec.inline(), null);
                }
                List<ObjectRecord.Segment> segs = rec.segments();
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
    public void deleteObject(String bucket, String key) throws IOException {
        try (Guard g = enter()) {
            byte[] okey = MetaKeys.object(bucket, key);
            List<String> dropped;
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(okey));
                    WriteBatch batch = new WriteBatch()) {
                requireBucket(bucket);
                ObjectRecord old = readObject(okey);
                if (old == null) {
                    return;
                }
                batch.delete(objects, okey);
                dropped = old.isInline() ? List.of() : blobIds(old.segments());
                for (String id : dropped) {
                    batch.put(garbage, RecordIo.unhex(id), new byte[0]);
                }
                db.write(disk.writeOptions(true), batch);
            } catch (RocksDBException e) {
                throw storageFailure("delete " + bucket + "/" + key, e);
            }
            collect(dropped);
        }
    }

    private ObjectRecord requireObject(byte[] okey, String bucket, String key) throws IOException {
        ObjectRecord rec = readObject(okey);
        if (rec == null) {
            requireBucket(bucket);
            throw new StorageException(StorageError.NO_SUCH_KEY,
                    "Key " + key + " does not exist in bucket " + bucket + ".");
        }
        return rec;
    }

    private ObjectRecord readObject(byte[] okey) throws IOException {
        try {
            byte[] v = db.get(objects, okey);
            if (v == null) {
                return null;
            }
            try {
                return ObjectRecord.decode(v);
            } catch (IOException | RuntimeException e) {
                throw undecodable.report(MetaTable.OBJECTS, okey, "object " + MetaKeys.string(okey, 0, okey.length).replace('\0', '/'), e);
            }
        } catch (RocksDBException e) {
            throw storageFailure("read an object record", e);
        }
    }

    /**
     * Commits an object version atomically with its precondition: stores the record, deletes the intents of
     * {@code newBlobs}, and marks the replaced version's blobs plus {@code extraGarbage} as garbage; then deletes
     * those files. On any failure the new blobs are removed. {@code uploadToRemove} (upload key plus part keys)
     * is deleted in the same batch when completing a multipart upload.
     */
    private ObjectInfo commitObject(String bucket, String key, byte[] okey, ObjectRecord record,
            WritePrecondition precondition, List<String> newBlobs, List<String> extraGarbage,
            UploadCommit upload) throws IOException {
        List<String> dropped = new ArrayList<>(extraGarbage);
        boolean committed = false;
        try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(okey));
                WriteBatch batch = new WriteBatch()) {
            requireBucket(bucket);
            if (upload != null) {
                upload.verify();
            }
            ObjectRecord old = readObject(okey);
            checkPrecondition(precondition, old, bucket, key);
            batch.put(objects, okey, record.encode());
            for (String id : newBlobs) {
                batch.delete(intents, RecordIo.unhex(id));
            }
            if (old != null && !old.isInline()) {
                dropped.addAll(blobIds(old.segments()));
            }
            for (String id : dropped) {
                batch.put(garbage, RecordIo.unhex(id), new byte[0]);
            }
            if (upload != null) {
                upload.addDeletes(batch);
            }
            db.write(disk.writeOptions(true), batch);
            committed = true;
        } catch (RocksDBException e) {
            throw storageFailure("commit " + bucket + "/" + key, e);
        } finally {
            if (!committed && upload == null) {
                discard(newBlobs);
            }
        }
        collect(dropped);
        return record.info(bucket, key);
    }

    private static void checkPrecondition(WritePrecondition p, ObjectRecord current, String bucket, String key) {
        Preconditions.check(p, current == null ? null : current.etag(), bucket, key);
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
            ObjectInfo info = ObjectRecord.decodeInfo(bucket, key, head, got);
            return info != null ? info : ObjectRecord.decode(at.value()).info(bucket, key);
        } catch (IOException | RuntimeException bad) {
            throw undecodable.report(MetaTable.OBJECTS, at.key(), "object " + bucket + "/" + key, bad);
        }
    }

    private MetaCursor cursor(MetaTable table, byte[] prefix) {
        ColumnFamilyHandle cf = switch (table) {
            case OBJECTS -> objects;
            case UPLOADS -> uploads;
            default -> throw new IllegalArgumentException("no listing of " + table);
        };
        return new RocksCursor(db, cf, prefix, listIteratorSteps);
    }

    // ------------------------------------------------------------------ multipart

    @Override
    public String createMultipartUpload(String bucket, String key, ObjectMetadata metadata) throws IOException {
        try (Guard g = enter(); Guard b = lock(bucketLock.readLock())) {
            requireBucket(bucket);
            disk.reserve().admit("start a multipart upload of " + bucket + "/" + key, DiskReserve.RECORD_BYTES);
            String uploadId = newUploadId();
            UploadInfo info = new UploadInfo(bucket, key, uploadId, now(), metadata);
            db.put(uploads, disk.writeOptions(true), MetaKeys.upload(bucket, key, uploadId),
                    UploadCodec.encode(info));
            return uploadId;
        } catch (RocksDBException e) {
            throw storageFailure("create an upload for " + bucket + "/" + key, e);
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
            PartRecord part = new PartRecord(request.partNumber(), r.size, r.md5, now(), r.checksum, blobId);
            publish(blobId);
            byte[] pkey = MetaKeys.part(uploadId, request.partNumber());
            String replaced = null;
            boolean committed = false;
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(MetaKeys.object(bucket, key)));
                    WriteBatch batch = new WriteBatch()) {
                requireUpload(bucket, key, uploadId);
                byte[] old = db.get(parts, pkey);
                if (old != null) {
                    replaced = PartRecord.decode(request.partNumber(), old).blobId();
                    batch.put(garbage, RecordIo.unhex(replaced), new byte[0]);
                }
                batch.put(parts, pkey, part.encode());
                batch.delete(intents, RecordIo.unhex(blobId));
                db.write(disk.writeOptions(true), batch);
                committed = true;
            } catch (RocksDBException e) {
                throw storageFailure("store part " + request.partNumber() + " of upload " + uploadId, e);
            } finally {
                if (!committed) {
                    discard(List.of(blobId));
                }
            }
            if (replaced != null) {
                collect(List.of(replaced));
            }
            return part.info();
        }
    }

    @Override
    public ObjectInfo completeMultipartUpload(CompleteMultipartUploadRequest request) throws IOException {
        String bucket = request.bucket();
        String key = request.key();
        String uploadId = request.uploadId();
        List<CompletedPart> listed = request.parts();
        try (Guard g = enter()) {
            UploadInfo upload = requireUpload(bucket, key, uploadId);
            MultipartRules.checkOrder(listed);
            disk.reserve().admit("complete the multipart upload of " + bucket + "/" + key,
                    DiskReserve.RECORD_BYTES);
            byte[] okey = MetaKeys.object(bucket, key);
            // parts only change under the key's stripe lock, so read them there and commit in the same section
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(okey))) {
                requireUpload(bucket, key, uploadId);
                Map<Integer, MultipartAssembly.Part<ObjectRecord.Segment>> stored = new HashMap<>();
                for (PartRecord p : readParts(uploadId).values()) {
                    stored.put(p.partNumber(), new MultipartAssembly.Part<>(p.size(), RecordIo.hex(p.md5()),
                            p.checksum(), new ObjectRecord.Segment(p.blobId(), p.size())));
                }
                MultipartAssembly.Assembled<ObjectRecord.Segment> assembled =
                        MultipartAssembly.assemble(uploadId, listed, stored);
                List<String> unused = new ArrayList<>();
                for (ObjectRecord.Segment part : assembled.unused().values()) {
                    unused.add(part.blobId());
                }
                ObjectRecord record = new ObjectRecord(assembled.size(), assembled.etag(), now(), upload.metadata(),
                        listed.size(), assembled.checksum(), null, assembled.segments());
                List<byte[]> partKeys = new ArrayList<>();
                for (CompletedPart cp : listed) {
                    partKeys.add(MetaKeys.part(uploadId, cp.partNumber()));
                }
                for (int unusedPart : assembled.unused().keySet()) {
                    partKeys.add(MetaKeys.part(uploadId, unusedPart));
                }
                byte[] ukey = MetaKeys.upload(bucket, key, uploadId);
                UploadCommit commit = new UploadCommit(() -> { }, batch -> {
                    batch.delete(uploads, ukey);
                    for (byte[] pk : partKeys) {
                        batch.delete(parts, pk);
                    }
                });
                // the stripe lock is reentrant: commitObject takes it again around the same critical section
                return commitObject(bucket, key, okey, record, request.precondition(), List.of(), unused, commit);
            }
        }
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) throws IOException {
        try (Guard g = enter()) {
            List<String> dropped = new ArrayList<>();
            try (Guard b = lock(bucketLock.readLock()); Guard s = lock(stripe(MetaKeys.object(bucket, key)));
                    WriteBatch batch = new WriteBatch()) {
                requireUpload(bucket, key, uploadId);
                for (Map.Entry<Integer, PartRecord> e : readParts(uploadId).entrySet()) {
                    batch.delete(parts, MetaKeys.part(uploadId, e.getKey()));
                    batch.put(garbage, RecordIo.unhex(e.getValue().blobId()), new byte[0]);
                    dropped.add(e.getValue().blobId());
                }
                batch.delete(uploads, MetaKeys.upload(bucket, key, uploadId));
                db.write(disk.writeOptions(true), batch);
            } catch (RocksDBException e) {
                throw storageFailure("abort upload " + uploadId, e);
            }
            collect(dropped);
        }
    }

    @Override
    public ListPartsResult listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts)
            throws IOException {
        try (Guard g = enter()) {
            UploadInfo upload = requireUpload(bucket, key, uploadId);
            byte[] idPrefix = MetaKeys.utf8(uploadId);
            List<PartInfo> page = new ArrayList<>();
            boolean truncated = false;
            try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(parts, ro)) {
                it.seek(MetaKeys.part(uploadId, Math.max(0, partNumberMarker) + 1));
                for (; it.isValid() && MetaKeys.startsWith(it.key(), idPrefix); it.next()) {
                    if (page.size() >= maxParts) {
                        truncated = true;
                        break;
                    }
                    page.add(PartRecord.decode(MetaKeys.partNumber(it.key()), it.value()).info());
                }
                it.status();
            } catch (RocksDBException e) {
                throw storageFailure("list parts of upload " + uploadId, e);
            }
            int next = page.isEmpty() ? 0 : page.get(page.size() - 1).partNumber();
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
            try {
                v = db.get(uploads, MetaKeys.upload(bucket, key, uploadId));
            } catch (RocksDBException e) {
                throw storageFailure("read upload " + uploadId, e);
            }
        }
        if (v == null) {
            requireBucket(bucket);
            throw new StorageException(StorageError.NO_SUCH_UPLOAD, "Upload " + uploadId + " for " + bucket + "/" + key
                    + " does not exist (it may have been completed or aborted); start a new multipart upload.");
        }
        return UploadCodec.decode(bucket, key, uploadId, v);
    }

    private Map<Integer, PartRecord> readParts(String uploadId) throws IOException {
        Map<Integer, PartRecord> out = new HashMap<>();
        byte[] idPrefix = MetaKeys.utf8(uploadId);
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(parts, ro)) {
            for (it.seek(idPrefix); it.isValid() && MetaKeys.startsWith(it.key(), idPrefix); it.next()) {
                int n = MetaKeys.partNumber(it.key());
                out.put(n, PartRecord.decode(n, it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw storageFailure("read parts of upload " + uploadId, e);
        }
        return out;
    }

    /** The upload half of a completion's commit: a re-check and the deletes that join the object's batch. */
    private record UploadCommit(Check check, BatchAction deletes) {
        void verify() throws IOException {
            check.run();
        }

        void addDeletes(WriteBatch batch) throws RocksDBException {
            deletes.apply(batch);
        }
    }

    private interface Check {
        void run() throws IOException;
    }

    private interface BatchAction {
        void apply(WriteBatch batch) throws RocksDBException;
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
        try {
            db.put(intents, disk.writeOptions(true), RecordIo.unhex(blobId), new byte[0]);
        } catch (RocksDBException e) {
            throw storageFailure("record a blob intent", e);
        }
    }

    /** Durably records that blob {@code blobId} is no longer referenced (as a commit that replaced it does). */
    void writeGarbage(String blobId) throws IOException {
        try {
            db.put(garbage, disk.writeOptions(true), RecordIo.unhex(blobId), new byte[0]);
        } catch (RocksDBException e) {
            throw storageFailure("record a garbage blob", e);
        }
    }

    BlobStore blobs() {
        return blobs;
    }

    /** Removes blobs that never got committed, and their intents. */
    private void discard(List<String> blobIds) {
        for (String id : blobIds) {
            blobs.deleteQuietly(id);
            try {
                db.delete(intents, disk.writeOptions(false), RecordIo.unhex(id));
            } catch (RocksDBException e) {
                LOG.warn("Could not drop the intent of blob {}; it is removed at the next start", id, e);
            }
        }
    }

    /** Deletes blobs whose garbage entries were committed, then the entries (an unsynced write suffices). */
    private void collect(List<String> blobIds) {
        if (blobIds.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (String id : blobIds) {
                blobs.deleteQuietly(id);
                batch.delete(garbage, RecordIo.unhex(id));
            }
            db.write(disk.writeOptions(false), batch);
        } catch (RocksDBException e) {
            LOG.warn("Could not drop {} garbage entries; they are retried at the next start", blobIds.size(), e);
        }
    }

    private static List<String> blobIds(List<ObjectRecord.Segment> segments) {
        List<String> ids = new ArrayList<>(segments.size());
        for (ObjectRecord.Segment s : segments) {
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

    private Lock stripe(byte[] okey) {
        return stripes[Math.floorMod(Arrays.hashCode(okey), LOCK_STRIPES)];
    }

    /** An I/O error for a failed metadata operation, or a {@link io.predastore.node.disk.StorageFullException}. */
    private IOException storageFailure(String what, RocksDBException e) {
        return disk.failure(what, new IOException("Could not " + what + ": metadata store error " + e.getMessage(),
                e));
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

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            watch.close();
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                LOG.warn("Could not sync the metadata log on close", e);
            }
            for (ColumnFamilyHandle h : handles) {
                h.close();
            }
            db.close();
            cfOptions.close();
            bloomFilter.close();
            blockCache.close();
            dbOptions.close();
            if (ownsDisk) {
                disk.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
