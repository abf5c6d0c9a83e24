package io.predastore.node.shard;

import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.disk.StorageFullException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The node-local {@link ShardStore}: shards are appended as checksummed records to segment files and found
 * through a RocksDB index.
 *
 * <h2>Files</h2>
 * {@code <dir>/segments/NNNNNNNNNNNNNNNN.seg} (16 decimal digits) are append-only segment files of about
 * {@link Config#segmentSize()} bytes (a record is never split, so a segment holding one big shard is bigger);
 * {@code <dir>/index} is a RocksDB mapping each committed shard to its record. The index is the source of truth:
 * a record without an index entry is dead.
 *
 * <h2>Record layout</h2> (big-endian; CRC32C is Castagnoli, as {@link java.util.zip.CRC32C})
 * <pre>
 * header       u32 magic 0x50534852 ("PSHR") | u8 version 1 | u8 type 1 (shard)
 *              | u16 n | n bytes objectId (US-ASCII) | u8 shard index
 *              | u32 chunk size C (payload length of every chunk frame but the last)
 *              | u32 CRC32C of the header bytes before it                        (17 + n bytes)
 * chunk frame  u32 len (1..C) | u32 CRC32C of the bytes | len bytes               (one per C bytes of shard)
 * commit frame u32 0 (end marker) | u64 shard length | u32 CRC32C of the whole shard
 *              | u32 CRC32C of (header CRC32C | shard length | shard CRC32C)      (20 bytes)
 * </pre>
 * Chunk {@code i} therefore starts at {@code recordOffset + 17 + n + i * (8 + C)}, which is how a range read
 * goes straight to the chunks it needs. An empty shard has no chunk frames.
 *
 * <h2>Index</h2>
 * key {@code objectId (US-ASCII) | 0x00 | u8 shard index}; value {@code u8 version 1 | u64 segment |
 * u64 record offset | u32 header length | u64 shard length | u32 shard CRC32C | u32 chunk size | u64 record
 * size}. It is written with a synced RocksDB write when a shard commits.
 *
 * <h2>Concurrency and memory</h2>
 * A writer holds one chunk buffer ({@code 8 + C} bytes) and nothing else. A shard that still fits in it at commit
 * (the common small shard) is written whole, under a lock, to the store's <em>shared segment</em>, which is sealed
 * and replaced by the append that takes it to the segment size. When the buffer fills before commit, the writer
 * checks out an <em>active segment</em> of its own from a pool (creating one when all are busy), writes the header
 * and then appends each chunk frame as it fills, so big shards stream to disk and their records stay contiguous
 * without interleaving. On commit or abort the segment goes back to the pool, or is sealed once it reached the
 * segment size; abort truncates it back to where the record started. The number of segments open for appending
 * is at most the peak number of concurrently streaming writers plus one.
 *
 * <h2>Group commit</h2>
 * {@link ShardWriter#commit()} appends the commit frame, then waits in the segment's {@link GroupSync}: the first
 * committer to arrive fsyncs the file for every committer queued behind it (leader/follower), so concurrent small
 * commits into the shared segment share fsyncs, and streamed segments are fsynced in parallel. Then it writes the
 * index entry with a synced RocksDB write (RocksDB group-commits its WAL across threads). Commit returns only
 * after both.
 *
 * <h2>Recovery</h2>
 * On open, every segment is truncated after the end of its last indexed record, and segments without indexed
 * records are deleted: that removes torn records left by a crash mid-write (and complete records whose index
 * write never happened, which were never acknowledged).
 *
 * <h2>Compaction</h2>
 * {@link #compact()} rewrites segments whose dead fraction exceeds {@link Config#compactionThreshold()} and that
 * have no small commit in flight: sealed ones, idle unsealed ones and the shared segment (not one a streaming
 * writer holds). An unsealed one is first taken out of use (out of the idle pool, or detached from small writes),
 * so nothing appends to it while it is emptied. Live records are copied verbatim into an active segment, fsynced,
 * and the index is repointed in one synced {@link WriteBatch} for entries that still point at the old location (a
 * shard replaced or deleted meanwhile keeps its new state, and its copy is dead). The old file is deleted when its
 * last open reader closes; an unsealed segment that still holds records goes back to the pool. The emptiest
 * segments go first, so on a full disk the ones that cost nothing to drop (no live record left) free space before
 * any copying needs some; copies that run out of space are cut off again and retried at the next run.
 *
 * <h2>Full disks</h2>
 * New shards are admitted by the disk's {@link io.predastore.node.disk.DiskReserve}: {@link #create} refuses once
 * free space is below the reserve, and every chunk appended is admitted again, so a shard streaming in when the
 * reserve is reached fails with {@link StorageFullException} and is truncated away, as is one that meets a real
 * ENOSPC. Deletes and compaction are never refused: they free space.
 */
public final class SegmentShardStore implements ShardStore {

    static {
        RocksDB.loadLibrary();
    }

    /**
     * Tuning. A cluster node takes the segment size and the compaction threshold from {@code shard_segment_bytes}
     * and {@code shard_compaction_threshold_percent} of the cluster file's {@code [tuning]}; both may change between
     * runs of a store, as they decide only when a segment is sealed and when it is rewritten.
     *
     * @param segmentSize a segment is sealed once it reaches this many bytes
     * @param chunkSize payload bytes per chunk frame (the unit of verification and of range reads)
     * @param compactionThreshold dead fraction above which a segment is compacted, 0..1
     */
    public record Config(long segmentSize, int chunkSize, double compactionThreshold) {
        /**
         * The chunk size of every store: not a tunable. Each record names its own chunk size, so a store written
         * with another stays readable, but the chunk is the unit in which reads are verified and ranges served,
         * and a node has no use for a different one.
         */
        public static final int CHUNK_SIZE = 64 << 10;

        public Config {
            if (segmentSize < 1 || chunkSize < 1 || chunkSize > RecordFormat.MAX_CHUNK_SIZE
                    || !(compactionThreshold >= 0 && compactionThreshold <= 1)) {
                throw new IllegalArgumentException("bad shard store config: " + segmentSize + ", " + chunkSize
                        + ", " + compactionThreshold);
            }
        }

        /** 64 MiB segments, 64 KiB chunks, compaction above 50 % dead (the defaults of {@code [tuning]}). */
        public static Config defaults() {
            return of(64L << 20, 0.5);
        }

        /**
         * {@link #CHUNK_SIZE} chunks with the given segment size and compaction threshold.
         *
         * @throws IllegalArgumentException if a value is out of range
         */
        public static Config of(long segmentSize, double compactionThreshold) {
            return new Config(segmentSize, CHUNK_SIZE, compactionThreshold);
        }
    }

    /** What one {@link #compact()} run did. */
    public record CompactionReport(int segmentsCompacted, long recordsMoved, long bytesReclaimed) {
    }

    /**
     * Counters for monitoring and the group-commit benchmark.
     *
     * @param commits shards committed
     * @param sharedSegmentCommits of which small enough to go whole into the shared segment
     * @param segmentFsyncs fsyncs of segment files (RocksDB's own WAL syncs are not counted)
     */
    public record Stats(long commits, long sharedSegmentCommits, long segmentFsyncs) {
    }

    private static final int STRIPES = 256;

    private final Path segmentsDir;
    private final Config config;
    private final NodeDisk disk;
    private final boolean ownsDisk;
    private final NodeDisk.Watch watch;
    private final Options dbOptions;
    private final RocksDB db;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock segmentLock = new ReentrantLock();
    private final ReentrantLock compactionLock = new ReentrantLock();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Map<Long, Segment> segments = new ConcurrentHashMap<>();
    /** Unsealed segments not checked out, most recently used last. Guarded by segmentLock. */
    private final ArrayDeque<Segment> idle = new ArrayDeque<>();
    private long nextSegment;
    private final AtomicLong shardCount = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong sharedCommits = new AtomicLong();
    private final GroupSync.Counters syncCounters = new GroupSync.Counters();
    /** The segment small shards are appended to whole. Guarded by sharedLock. */
    private Segment shared;
    private final ReentrantLock sharedLock = new ReentrantLock();
    private volatile boolean closed;
    /** Index entries the last compaction found undecodable; guarded by {@link #compactionLock}. */
    private int damagedIndexEntries;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SegmentShardStore.class);

    private SegmentShardStore(Path dir, Config config, NodeDisk disk, boolean ownsDisk) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.disk = Objects.requireNonNull(disk, "disk");
        this.ownsDisk = ownsDisk;
        this.segmentsDir = dir.resolve("segments");
        Path index = dir.resolve("index");
        OwnerOnly.createDirectories(segmentsDir);
        OwnerOnly.createDirectories(index);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        dbOptions = disk.configureTable(disk.configureDatabase(new Options().setCreateIfMissing(true)
                .setKeepLogFileNum(5)));
        try {
            db = RocksDB.open(dbOptions, index.toString());
        } catch (RocksDBException e) {
            dbOptions.close();
            throw new IOException("Cannot open the shard index in " + index + ": " + e.getMessage()
                    + "; check that no other process uses this directory", e);
        }
        watch = disk.watch("shard index", db);
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens (creating if needed) the store in {@code dir} with {@link Config#defaults()} and no reserve. */
    public static SegmentShardStore open(Path dir) throws IOException {
        return open(dir, Config.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code dir}, dropping what a crash mid-write left behind, keeping no
     * free-space reserve (for tests and tools; a node uses {@link #open(Path, Config, NodeDisk)}).
     */
    public static SegmentShardStore open(Path dir, Config config) throws IOException {
        OwnerOnly.createDirectories(dir);
        NodeDisk disk = NodeDisk.unguarded(dir);
        try {
            return new SegmentShardStore(dir, config, disk, true);
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the store in {@code dir} on {@code disk}, whose reserve admits every new shard,
     * dropping what a crash mid-write left behind. The caller closes {@code disk} after this store.
     */
    public static SegmentShardStore open(Path dir, Config config, NodeDisk disk) throws IOException {
        return new SegmentShardStore(dir, config, disk, false);
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        Map<Long, Long> live = new HashMap<>();
        Map<Long, Long> ends = new HashMap<>();
        long maxNumber = -1;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                RecordFormat.Location loc = RecordFormat.Location.decode(it.value());
                live.merge(loc.segment(), loc.recordSize(), Long::sum);
                ends.merge(loc.segment(), loc.recordEnd(), Math::max);
                shardCount.incrementAndGet();
                liveBytes.addAndGet(loc.recordSize());
                maxNumber = Math.max(maxNumber, loc.segment());
            }
            it.status();
        } catch (RocksDBException e) {
            throw new IOException("Cannot read the shard index: " + e.getMessage(), e);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(segmentsDir)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (Path file : files) {
            long number = Segment.parseNumber(file.getFileName().toString());
            if (number < 0) {
                continue;
            }
            maxNumber = Math.max(maxNumber, number);
            Long end = ends.get(number);
            if (end == null) {
                Files.delete(file);
                continue;
            }
            Segment s = Segment.open(file, number, syncCounters);
            if (s.size > end) {
                s.truncate(end);
            }
            s.liveBytes.set(live.get(number));
            segments.put(number, s);
            // A file shorter than its indexed records lost data (reads report it); never append over them.
            if (s.size >= config.segmentSize() || s.size < end) {
                s.sealed = true;
            } else {
                idle.addLast(s);
            }
        }
        nextSegment = maxNumber + 1;
    }

    // ------------------------------------------------------------------ the ShardStore contract

    @Override
    public ShardWriter create(ShardId id) throws IOException {
        Objects.requireNonNull(id, "id");
        enter();
        try {
            if (stat(id).isPresent()) {
                throw new ShardExistsException(id); // checked again, atomically, when the shard is published
            }
            disk.reserve().admit("store shard " + id.index() + " of " + id.objectId(), 0);
            return new Writer(id);
        } finally {
            exit();
        }
    }

    @Override
    public InputStream open(ShardId id, long offset, long length) throws IOException {
        Objects.requireNonNull(id, "id");
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range " + offset + "+" + length);
        }
        enter();
        try {
            RecordFormat.Location previous = null;
            while (true) {
                RecordFormat.Location loc = lookup(id).orElseThrow(() -> new NoSuchShardException(id));
                if (offset + length > loc.length()) {
                    throw new IllegalArgumentException("range " + offset + "+" + length + " is beyond the "
                            + loc.length() + " bytes of shard " + id.index() + " of " + id.objectId());
                }
                Segment s = segments.get(loc.segment());
                if (s != null && s.tryAcquire()) {
                    return new SegmentReader(s, loc, id, offset, length);
                }
                if (loc.equals(previous)) {
                    throw new ShardCorruptException("shard " + id.index() + " of " + id.objectId()
                            + ": its segment " + Segment.fileName(loc.segment()) + " is missing", true);
                }
                previous = loc; // compaction moved it meanwhile: look again
            }
        } finally {
            exit();
        }
    }

    @Override
    public Optional<ShardInfo> stat(ShardId id) throws IOException {
        Objects.requireNonNull(id, "id");
        enter();
        try {
            return lookup(id).map(loc -> new ShardInfo(id, loc.length(), loc.crc32c()));
        } finally {
            exit();
        }
    }

    @Override
    public boolean delete(ShardId id) throws IOException {
        Objects.requireNonNull(id, "id");
        enter();
        byte[] key = RecordFormat.key(id);
        ReentrantLock stripe = stripe(key);
        stripe.lock();
        try {
            byte[] old = db.get(key);
            if (old == null) {
                return false;
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(key);
                disk.write(db, NodeDisk.Durability.SYNC, batch, "delete the shard from the shard index");
            }
            forget(RecordFormat.Location.decode(old));
            shardCount.decrementAndGet();
            return true;
        } catch (RocksDBException e) {
            throw new IOException("Cannot read the shard index: " + e.getMessage(), e);
        } finally {
            stripe.unlock();
            exit();
        }
    }

    @Override
    public boolean belowReserve() {
        return disk.reserve().belowReserve();
    }

    // ------------------------------------------------------------------ maintenance and figures

    /** Number of committed shards. */
    public long shardCount() {
        return shardCount.get();
    }

    /**
     * A RocksDB integer property of the shard index, e.g. {@code rocksdb.estimate-live-data-size}, or empty once the
     * store is closed or for a property RocksDB does not know. For metrics; thread-safe.
     */
    public OptionalLong indexProperty(String name) {
        lifecycle.readLock().lock();
        try {
            return closed ? OptionalLong.empty() : OptionalLong.of(db.getLongProperty(name));
        } catch (RocksDBException e) {
            return OptionalLong.empty();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Bytes of segment files on disk, including dead records not yet compacted away. */
    public long bytesUsed() {
        long sum = 0;
        for (Segment s : segments.values()) {
            sum += s.size;
        }
        return sum;
    }

    /** Bytes of the records of committed shards (headers and frames included). */
    public long liveBytes() {
        return liveBytes.get();
    }

    /** Number of segment files. */
    public int segmentCount() {
        return segments.size();
    }

    public Stats stats() {
        return new Stats(commits.get(), sharedCommits.get(), syncCounters.fsyncs().get());
    }

    /**
     * Re-reads every committed shard and checks its header, chunk CRC32Cs, shard CRC32C and commit frame.
     *
     * @return the shards that failed, to be rebuilt from other shards of their objects
     */
    public List<ShardId> scrub() throws IOException {
        List<ShardId> corrupt = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        enter();
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys.add(it.key());
            }
        } finally {
            exit();
        }
        for (byte[] key : keys) {
            ShardId id = RecordFormat.idOf(key);
            try {
                verify(id);
            } catch (NoSuchShardException e) {
                // deleted meanwhile
            } catch (ShardCorruptException e) {
                corrupt.add(id);
            }
        }
        return corrupt;
    }

    /**
     * One committed shard as {@link #scrubPage} lists it.
     *
     * @param id         the shard
     * @param segment    the number of the segment file its record is in ({@code NNNNNNNNNNNNNNNN.seg}), -1 if its
     *                   index entry does not decode (then {@link #verify} reports it corrupt)
     * @param recordSize bytes of its record (header, frames and commit frame): what verifying it reads
     */
    public record ScrubItem(ShardId id, long segment, long recordSize) {
        public ScrubItem {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Up to {@code max} committed shards after {@code after} (from the first when null) in index order, which is
     * the order of {@link RecordFormat#key}: object id, then shard index. A walk that resumes from the last shard
     * it saw sees every shard committed before the walk began and not deleted since, once, without holding
     * anything between pages; shards committed meanwhile are seen if they sort after the cursor. Reads only the
     * index (bounded by {@code max}); thread-safe.
     *
     * @throws IOException if the store is closed or the index cannot be read
     */
    public List<ScrubItem> scrubPage(ShardId after, int max) throws IOException {
        if (max < 1) {
            throw new IllegalArgumentException("a scrub page holds at least one shard, not " + max);
        }
        List<ScrubItem> page = new ArrayList<>(Math.min(max, 1024));
        enter();
        try (RocksIterator it = db.newIterator()) {
            byte[] from = after == null ? null : RecordFormat.key(after);
            if (from == null) {
                it.seekToFirst();
            } else {
                it.seek(from);
                if (it.isValid() && Arrays.equals(it.key(), from)) {
                    it.next();
                }
            }
            for (; it.isValid() && page.size() < max; it.next()) {
                ShardId id = RecordFormat.idOf(it.key());
                RecordFormat.Location loc;
                try {
                    loc = RecordFormat.Location.decode(it.value());
                } catch (IllegalStateException e) {
                    page.add(new ScrubItem(id, -1, 0));
                    continue;
                }
                page.add(new ScrubItem(id, loc.segment(), loc.recordSize()));
            }
            it.status();
            return page;
        } catch (RocksDBException e) {
            throw new IOException("Cannot read the shard index: " + e.getMessage(), e);
        } finally {
            exit();
        }
    }

    /**
     * Re-reads the whole record of {@code id} and checks its header, every chunk's CRC32C, the shard CRC32C and the
     * commit frame, as the scrubber does for every shard in turn. Reads one chunk at a time (one chunk buffer).
     * Never changes the shard: a damaged one stays as it is (reads keep refusing it) until it is rebuilt.
     *
     * @throws ShardCorruptException if it fails a check ({@link ShardCorruptException#missing()} when its record or
     *     segment file is not there: cut short, or deleted while this store had it open, so that the next start would
     *     lose it)
     * @throws NoSuchShardException if there is no such shard (for instance it was deleted meanwhile)
     * @throws IOException if the store is closed or the disk fails
     */
    public void verify(ShardId id) throws IOException {
        Objects.requireNonNull(id, "id");
        enter();
        try {
            RecordFormat.Location previous = null;
            while (true) {
                RecordFormat.Location loc = lookup(id).orElseThrow(() -> new NoSuchShardException(id));
                Segment s = segments.get(loc.segment());
                if (s != null && s.tryAcquire()) {
                    try {
                        SegmentReader.verifyRecord(s, loc, id);
                        // Held open, a deleted file still reads; the loss shows at the next start, so tell it now.
                        // (While a reference is held, compaction defers its own deletion of the file.)
                        if (Files.notExists(s.path)) {
                            throw new ShardCorruptException("shard " + id.index() + " of " + id.objectId()
                                    + ": its segment file " + s.path.getFileName() + " was deleted (it reads until"
                                    + " the node restarts)", true);
                        }
                    } finally {
                        s.release();
                    }
                    return;
                }
                if (loc.equals(previous)) {
                    throw new ShardCorruptException("shard " + id.index() + " of " + id.objectId() + ": its segment "
                            + Segment.fileName(loc.segment()) + " is missing", true);
                }
                previous = loc;
            }
        } finally {
            exit();
        }
    }

    /**
     * Rewrites every segment whose dead fraction exceeds the threshold and that no appender holds: sealed segments,
     * idle unsealed ones and the shared segment, so that space freed by deletes comes back even when no further
     * write fills those segments. Runs in the calling thread (a background scheduler may call it on its own
     * executor); one compaction runs at a time and writers, readers and deletes proceed meanwhile.
     */
    public CompactionReport compact() throws IOException {
        compactionLock.lock();
        try {
            enter();
        } catch (IOException e) {
            compactionLock.unlock();
            throw e;
        }
        // Unsealed segments taken out of use for this run; each one left at the end goes back to the pool.
        List<Segment> reserved = new ArrayList<>();
        try {
            List<Segment> candidates = new ArrayList<>();
            Segment detached = detachSharedIfMostlyDead();
            segmentLock.lock();
            try {
                if (detached != null) {
                    candidates.add(detached);
                    reserved.add(detached);
                }
                for (Segment s : segments.values()) {
                    if (s == detached || s.busy || s.pendingCommits != 0 || !mostlyDead(s)) {
                        continue;
                    }
                    if (!s.sealed) {
                        // Reserved like a checked-out segment: no writer, and not checkout() on behalf of this
                        // compaction's own copies, may append to a segment being emptied.
                        idle.remove(s);
                        s.busy = true;
                        reserved.add(s);
                    }
                    candidates.add(s);
                }
            } finally {
                segmentLock.unlock();
            }
            if (candidates.isEmpty()) {
                return new CompactionReport(0, 0, 0);
            }
            // Emptiest first: on a full disk, segments with nothing live free space without needing any.
            candidates.sort((a, b) -> a.liveBytes.get() != b.liveBytes.get()
                    ? Long.compare(a.liveBytes.get(), b.liveBytes.get()) : Long.compare(a.number, b.number));
            Map<Long, List<byte[][]>> recordsBySegment = new HashMap<>();
            for (Segment s : candidates) {
                recordsBySegment.put(s.number, new ArrayList<>());
            }
            int damaged = 0;
            try (RocksIterator it = db.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] value = it.value();
                    RecordFormat.Location loc;
                    try {
                        loc = RecordFormat.Location.decode(value);
                    } catch (IllegalStateException e) {
                        damaged++; // its shard cannot be read either; the others are still compacted
                        continue;
                    }
                    List<byte[][]> list = recordsBySegment.get(loc.segment());
                    if (list != null) {
                        list.add(new byte[][] {it.key(), value});
                    }
                }
                it.status();
            }
            if (damaged != damagedIndexEntries) {
                damagedIndexEntries = damaged;
                if (damaged > 0) {
                    LOG.warn("{} shard index entries in {} do not decode; compaction leaves them and their"
                            + " shards (reads of those shards fail and are rebuilt from parity)", damaged,
                            segmentsDir.getParent().resolve("index"));
                }
            }
            int compacted = 0;
            long moved = 0;
            long reclaimed = 0;
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (Segment old : candidates) {
                List<byte[][]> records = recordsBySegment.get(old.number);
                records.sort((a, b) -> Long.compare(RecordFormat.Location.decode(a[1]).recordOffset(),
                        RecordFormat.Location.decode(b[1]).recordOffset()));
                List<Move> moves = new ArrayList<>();
                Segment dest = null;
                // Where dest's copies not yet in the index begin: a failed copy cuts dest back to it.
                long destStart = 0;
                long copied = 0;
                try {
                    for (byte[][] record : records) {
                        RecordFormat.Location from = RecordFormat.Location.decode(record[1]);
                        if (dest == null) {
                            dest = checkout();
                            destStart = dest.size;
                        }
                        long at = dest.size;
                        copy(old, from.recordOffset(), from.recordSize(), dest, buffer);
                        copied += from.recordSize();
                        moves.add(new Move(record[0], record[1], from.movedTo(dest.number, at)));
                        if (dest.size >= config.segmentSize()) {
                            Segment full = dest;
                            dest = null;
                            moved += finish(full, moves);
                            moves.clear();
                        }
                    }
                    if (dest != null) {
                        Segment last = dest;
                        dest = null;
                        moved += finish(last, moves);
                    }
                } finally {
                    if (dest != null) {
                        // Copies the index never saw (e.g. the disk ran out): dead bytes otherwise, kept for good.
                        try {
                            dest.truncate(destStart);
                        } catch (IOException e) {
                            // Left as a dead tail; dropped on the next open as no index entry covers it.
                        }
                        checkin(dest);
                    }
                }
                if (old.liveBytes.get() == 0) {
                    segments.remove(old.number);
                    reserved.remove(old);
                    old.retire(true);
                    compacted++;
                    reclaimed += old.size - copied;
                }
            }
            return new CompactionReport(compacted, moved, reclaimed);
        } catch (RocksDBException e) {
            throw new IOException("Cannot read the shard index: " + e.getMessage(), e);
        } finally {
            for (Segment s : reserved) {
                checkin(s);
            }
            exit();
            compactionLock.unlock();
        }
    }

    /** Whether more than the threshold of the segment's bytes are dead. Call with segmentLock held. */
    private boolean mostlyDead(Segment s) {
        return s.size > 0 && 1.0 - (double) s.liveBytes.get() / s.size > config.compactionThreshold();
    }

    /**
     * Takes the shared segment away from small writes if it is mostly dead and no small commit into it is in
     * flight (the next small write checks out another segment). Without this, a shared segment emptied by deletes
     * would keep its space until small writes fill it up. Returns it still checked out, or null.
     */
    private Segment detachSharedIfMostlyDead() {
        sharedLock.lock();
        try {
            if (shared == null) {
                return null;
            }
            segmentLock.lock();
            try {
                if (shared.pendingCommits != 0 || !mostlyDead(shared)) {
                    return null;
                }
            } finally {
                segmentLock.unlock();
            }
            Segment s = shared;
            shared = null;
            return s;
        } finally {
            sharedLock.unlock();
        }
    }

    /**
     * Runs {@link #compact()} on {@code executor} (for example a scheduler's thread); the future fails with the
     * {@link IOException} if compaction does.
     */
    public CompletableFuture<CompactionReport> compactAsync(Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return compact();
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    private record Move(byte[] key, byte[] oldValue, RecordFormat.Location to) {
    }

    private static void copy(Segment from, long offset, long length, Segment to, ByteBuffer buffer)
            throws IOException {
        long done = 0;
        while (done < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
            if (!from.readFully(buffer, offset + done)) {
                throw new IOException("segment " + from.path + " ends inside a record at " + offset);
            }
            to.append(buffer.flip());
            done += buffer.limit();
        }
    }

    /** Makes copies durable, repoints the index where it still names the old location, and returns dest. */
    private int finish(Segment dest, List<Move> moves) throws IOException {
        try {
            dest.sync.sync();
            TreeSet<Integer> stripeNumbers = new TreeSet<>();
            for (Move m : moves) {
                stripeNumbers.add(stripeNumber(m.key()));
            }
            List<ReentrantLock> held = new ArrayList<>();
            try {
                for (int n : stripeNumbers) {
                    stripes[n].lock();
                    held.add(stripes[n]);
                }
                List<Move> applied = new ArrayList<>();
                try (WriteBatch batch = new WriteBatch()) {
                    for (Move m : moves) {
                        byte[] current = db.get(m.key());
                        if (current != null && Arrays.equals(current, m.oldValue())) {
                            batch.put(m.key(), m.to().encode());
                            applied.add(m);
                        }
                    }
                    disk.write(db, NodeDisk.Durability.SYNC, batch, "write the shard index");
                }
                for (Move m : applied) {
                    RecordFormat.Location from = RecordFormat.Location.decode(m.oldValue());
                    Segment old = segments.get(from.segment());
                    if (old != null) {
                        old.liveBytes.addAndGet(-from.recordSize());
                    }
                    dest.liveBytes.addAndGet(m.to().recordSize());
                }
                return applied.size();
            } catch (RocksDBException e) {
                throw new IOException("Cannot update the shard index: " + e.getMessage(), e);
            } finally {
                for (ReentrantLock l : held) {
                    l.unlock();
                }
            }
        } finally {
            checkin(dest);
        }
    }

    // ------------------------------------------------------------------ internals

    private void enter() throws IOException {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new IOException("the shard store is closed");
        }
    }

    private void exit() {
        lifecycle.readLock().unlock();
    }

    private Optional<RecordFormat.Location> lookup(ShardId id) throws IOException {
        try {
            byte[] value = db.get(RecordFormat.key(id));
            return value == null ? Optional.empty() : Optional.of(RecordFormat.Location.decode(value));
        } catch (IllegalStateException e) {
            throw new ShardCorruptException("shard " + id.index() + " of " + id.objectId() + ": " + e.getMessage());
        } catch (RocksDBException e) {
            throw new IOException("Cannot read the shard index: " + e.getMessage(), e);
        }
    }

    private static int stripeNumber(byte[] key) {
        return (Arrays.hashCode(key) & 0x7fffffff) % STRIPES;
    }

    private ReentrantLock stripe(byte[] key) {
        return stripes[stripeNumber(key)];
    }

    /** Accounts for a record the index no longer points at. */
    private void forget(RecordFormat.Location loc) {
        Segment s = segments.get(loc.segment());
        if (s != null) {
            s.liveBytes.addAndGet(-loc.recordSize());
        }
        liveBytes.addAndGet(-loc.recordSize());
    }

    /** Makes {@code loc} the shard's record: a synced index write, then the live-byte accounting. */
    private void publish(ShardId id, RecordFormat.Location loc, Segment segment) throws IOException {
        byte[] key = RecordFormat.key(id);
        ReentrantLock stripe = stripe(key);
        stripe.lock();
        try {
            if (db.get(key) != null) {
                // Two uploads of one id raced past create(): the first to publish wins, the other leaves no trace.
                throw new ShardExistsException(id);
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(key, loc.encode());
                disk.write(db, NodeDisk.Durability.SYNC, batch, "write the shard index");
            }
            segment.liveBytes.addAndGet(loc.recordSize());
            liveBytes.addAndGet(loc.recordSize());
            shardCount.incrementAndGet();
        } catch (RocksDBException e) {
            throw new IOException("Cannot write the shard index: " + e.getMessage(), e);
        } finally {
            stripe.unlock();
        }
    }

    /** Takes an active segment for exclusive appending, creating one if none is free. */
    private Segment checkout() throws IOException {
        Segment created;
        segmentLock.lock();
        try {
            Segment s = idle.pollLast();
            if (s != null) {
                s.busy = true;
                return s;
            }
            created = Segment.create(segmentsDir, nextSegment++, syncCounters);
            created.busy = true;
            segments.put(created.number, created);
        } finally {
            segmentLock.unlock();
        }
        // The new file's directory entry must be durable before any commit in it is acknowledged.
        try (FileChannel d = FileChannel.open(segmentsDir, StandardOpenOption.READ)) {
            d.force(true);
        }
        return created;
    }

    private void checkin(Segment s) {
        segmentLock.lock();
        try {
            s.busy = false;
            if (s.size >= config.segmentSize()) {
                s.sealed = true;
            } else if (segments.containsKey(s.number)) {
                idle.addLast(s);
            }
        } finally {
            segmentLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            sharedLock.lock();
            try {
                shared = null;
            } finally {
                sharedLock.unlock();
            }
            segmentLock.lock();
            try {
                idle.clear();
                for (Segment s : segments.values()) {
                    s.retire(false);
                }
                segments.clear();
            } finally {
                segmentLock.unlock();
            }
            watch.close();
            db.close();
            dbOptions.close();
            if (ownsDisk) {
                disk.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ writer

    /**
     * Appends a whole small record to the shared segment and returns that segment with a pending commit
     * registered, so compaction leaves it alone until {@link #donePending(Segment)}. The segment is rolled (checked
     * in, hence sealed) by the append that takes it to the segment size: left as the shared segment until the next
     * small write, a full segment would stay checked out, unsealed and out of compaction's reach for as long as no
     * such write comes.
     */
    private Segment appendShared(ByteBuffer record, long[] offset) throws IOException {
        Segment full = null;
        Segment s;
        sharedLock.lock();
        try {
            if (shared == null) {
                shared = checkout();
            }
            s = shared;
            offset[0] = s.size;
            try {
                s.append(record);
            } catch (IOException e) {
                try {
                    s.truncate(offset[0]);
                } catch (IOException ignored) {
                    // a dead tail; dropped on the next open
                }
                throw e;
            }
            segmentLock.lock();
            try {
                s.pendingCommits++;
            } finally {
                segmentLock.unlock();
            }
            if (s.size >= config.segmentSize()) {
                shared = null;
                full = s;
            }
        } finally {
            sharedLock.unlock();
        }
        if (full != null) {
            checkin(full);
        }
        return s;
    }

    private void donePending(Segment s) {
        segmentLock.lock();
        try {
            s.pendingCommits--;
        } finally {
            segmentLock.unlock();
        }
    }

    /**
     * Streams one shard. Bytes collect in a single chunk buffer; a shard that still fits in it at commit is written
     * whole to the shared segment, where concurrent small commits share one fsync. When the buffer first fills,
     * the writer checks out a segment of its own, writes the header and from then on appends each full chunk.
     */
    private final class Writer implements ShardWriter {
        private static final String WHAT = "store the shard";
        private final ShardId id;
        private final ByteBuffer header;
        private final int headerCrc;
        private final ByteBuffer frame;
        private final CRC32C shardCrc = new CRC32C();
        /** The writer's own segment once streaming; null while the shard fits in the buffer. */
        private Segment segment;
        private long recordOffset;
        private long length;
        /** 0 open, 1 committed, 2 aborted. */
        private int state;
        private ShardInfo info;

        Writer(ShardId id) {
            this.id = id;
            this.header = RecordFormat.header(id, config.chunkSize());
            this.headerCrc = RecordFormat.headerCrc(header);
            this.frame = ByteBuffer.allocate(RecordFormat.CHUNK_FRAME_HEADER + config.chunkSize());
            frame.position(RecordFormat.CHUNK_FRAME_HEADER);
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            if (state != 0) {
                throw new IllegalStateException("the shard writer is " + (state == 1 ? "committed" : "aborted"));
            }
            try {
                while (bytes.hasRemaining()) {
                    if (!frame.hasRemaining()) {
                        flushChunk();
                    }
                    int n = Math.min(bytes.remaining(), frame.remaining());
                    frame.put(frame.position(), bytes, bytes.position(), n);
                    frame.position(frame.position() + n);
                    bytes.position(bytes.position() + n);
                }
            } catch (IOException e) {
                abort();
                throw NoSpace.classify(WHAT, e);
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
        }

        /** Turns the buffered bytes into a chunk frame (header and CRC32C filled in), ready to read from 0. */
        private int sealFrame() {
            int n = frame.position() - RecordFormat.CHUNK_FRAME_HEADER;
            shardCrc.update(frame.array(), RecordFormat.CHUNK_FRAME_HEADER, n);
            frame.putInt(0, n).putInt(4, RecordFormat.crc(frame.array(), RecordFormat.CHUNK_FRAME_HEADER, n));
            frame.flip();
            length += n;
            return n;
        }

        private void flushChunk() throws IOException {
            if (frame.position() == RecordFormat.CHUNK_FRAME_HEADER) {
                return;
            }
            disk.reserve().admit(WHAT, (segment == null ? header.remaining() : 0) + frame.position());
            if (segment == null) {
                if (closed) {
                    throw new IOException("the shard store is closed");
                }
                segment = checkout();
                recordOffset = segment.size;
                try {
                    segment.append(header.duplicate());
                } catch (IOException e) {
                    truncateAndRelease();
                    throw e;
                }
            }
            sealFrame();
            segment.append(frame);
            frame.clear().position(RecordFormat.CHUNK_FRAME_HEADER);
        }

        @Override
        public ShardInfo commit() throws IOException {
            if (state == 1) {
                return info;
            }
            if (state == 2) {
                throw new IllegalStateException("the shard writer is aborted");
            }
            enter();
            try {
                return segment == null ? commitSmall() : commitStreamed();
            } catch (IOException e) {
                // Appending, syncing or indexing on a full disk; what was appended is truncated away.
                throw NoSpace.classify(WHAT, e);
            } finally {
                exit();
            }
        }

        private ShardInfo commitSmall() throws IOException {
            state = 2;
            boolean hasChunk = frame.position() > RecordFormat.CHUNK_FRAME_HEADER;
            if (hasChunk) {
                sealFrame();
            }
            int crc = (int) shardCrc.getValue();
            ByteBuffer record = ByteBuffer.allocate((int) RecordFormat.recordSize(id, length, config.chunkSize()));
            record.put(header.duplicate());
            if (hasChunk) {
                record.put(frame);
            }
            record.put(RecordFormat.commitFrame(headerCrc, length, crc)).flip();
            disk.reserve().admit(WHAT, record.remaining());
            long[] offset = new long[1];
            Segment s = appendShared(record, offset);
            try {
                s.sync.sync();
                publish(id, new RecordFormat.Location(s.number, offset[0], header.remaining(), length, crc,
                        config.chunkSize(), record.limit()), s);
            } finally {
                donePending(s);
            }
            sharedCommits.incrementAndGet();
            return committed(crc);
        }

        private ShardInfo commitStreamed() throws IOException {
            boolean published = false;
            try {
                flushChunk();
                int crc = (int) shardCrc.getValue();
                segment.append(RecordFormat.commitFrame(headerCrc, length, crc));
                segment.sync.sync();
                RecordFormat.Location loc = new RecordFormat.Location(segment.number, recordOffset,
                        header.remaining(), length, crc, config.chunkSize(), segment.size - recordOffset);
                published = true;
                try {
                    publish(id, loc, segment);
                } catch (ShardExistsException e) {
                    published = false; // nothing indexed: the record is cut off again
                    throw e;
                }
                releaseSegment();
                return committed(crc);
            } catch (IOException | RuntimeException e) {
                state = 2;
                if (published) {
                    // A failed index write may still have landed: the record stays, dead or not.
                    releaseSegment();
                } else {
                    truncateAndRelease();
                }
                throw e;
            }
        }

        private ShardInfo committed(int crc) {
            state = 1;
            info = new ShardInfo(id, length, crc);
            commits.incrementAndGet();
            return info;
        }

        @Override
        public void abort() {
            if (state != 0) {
                return;
            }
            state = 2;
            if (segment != null) {
                truncateAndRelease();
            }
        }

        private void truncateAndRelease() {
            if (segment == null) {
                return;
            }
            try {
                segment.truncate(recordOffset);
            } catch (IOException e) {
                // Left as a dead tail; removed on the next open since no index entry covers it.
            }
            releaseSegment();
        }

        /**
         * Gives the writer's segment back to the pool, at most once: a failed header append releases it before
         * {@link #abort()} runs, and a second check-in would list the segment twice as idle, handing it to two
         * appenders (or to a writer while compaction empties it).
         */
        private void releaseSegment() {
            Segment s = segment;
            if (s != null) {
                segment = null;
                checkin(s);
            }
        }
    }
}
