package io.predastore.node.meta;

import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The metadata tables in one RocksDB: a column family per {@link MetaTable} plus the default column family holding
 * the index of the last applied Raft log entry. This is the one implementation of batch apply and of get/scan, shared
 * by the replicated state machine ({@link RocksStateMachine}) and the single-node {@link LocalMetadataStore}.
 *
 * <p>{@link #apply} must not be called concurrently with itself for batches that touch the same keys (the Raft state
 * machine applies serially; the local store locks the keys a batch touches); reads may run concurrently with it.
 */
final class RocksMetaDb implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] APPLIED_KEY = "applied".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Present once an entry sealed with the cluster secret was applied: from then on every entry must be. */
    private static final byte[] SEALED_KEY = "sealed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Term and index of a log entry; {@code (0, -1)} before anything was applied. */
    record Applied(long term, long index) {
        static final Applied NONE = new Applied(0, -1);
    }

    /**
     * How the database comes back after a crash.
     */
    enum Recovery {
        /** Writes also go to RocksDB's write-ahead log (not fsynced): a process crash loses nothing applied. */
        OWN_LOG,
        /**
         * Every write is fsynced in RocksDB's write-ahead log before it returns, so not even a power loss loses a
         * batch once applied: for a store that is its own durable record, as a single node's is. RocksDB
         * group-commits concurrent synced writes, so writers calling at once share their fsyncs.
         */
        SYNCED_OWN_LOG,
        /**
         * The Raft log is the durable record and is replayed from the applied index after a crash, so RocksDB keeps
         * no write-ahead log of its own: each write costs only its memtable insert. Flushes are atomic across
         * column families, so the applied index on disk always matches the data beside it, and every checkpoint
         * flushes first, so the database on disk is never behind the newest snapshot (the point up to which Ratis
         * purges its log).
         */
        REPLAYED_RAFT_LOG
    }

    /**
     * On a cluster, object records of at least this size (objects stored inline, records of many-part uploads) go to
     * blob files rather than into the LSM tree, so compaction moves only keys and small records: measured on a
     * five-node cluster taking 4 KiB PUTs, compaction was a fifth of all CPU before.
     */
    static final long MIN_BLOB_SIZE = 1024;
    private static final String BLOCK_CACHE_USAGE = "rocksdb.block-cache-usage";
    private static final String WHAT = "write the metadata";
    /** How long a write of a Raft-replayed store waits on a stall before its caller (which retries) hears of it. */
    static final long REPLAYED_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Block cache of a single node's store, shared by its tables (the cluster's tables keep RocksDB's default). */
    private static final long LOCAL_BLOCK_CACHE = 64L << 20;
    private static final int BLOOM_BITS_PER_KEY = 10;

    private final Path dir;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions;
    private final List<AutoCloseable> tableResources;
    private final Recovery recovery;
    private final NodeDisk disk;
    private final RocksDB db;
    private final ColumnFamilyHandle metaCf;
    private final Map<MetaTable, ColumnFamilyHandle> tables = new EnumMap<>(MetaTable.class);
    private final List<ColumnFamilyHandle> handles;
    private final NodeDisk.Watch watch;

    private RocksMetaDb(Path dir, DBOptions dbOptions, List<ColumnFamilyOptions> cfOptions,
            List<AutoCloseable> tableResources, RocksDB db, List<ColumnFamilyHandle> handles, Recovery recovery,
            NodeDisk disk) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.tableResources = tableResources;
        this.recovery = recovery;
        this.disk = disk;
        this.db = db;
        this.handles = handles;
        this.metaCf = handles.get(0);
        MetaTable[] all = MetaTable.values();
        for (int i = 0; i < all.length; i++) {
            tables.put(all[i], handles.get(i + 1));
        }
        this.watch = disk.watch("metadata", db);
    }

    /**
     * Opens or creates the database in {@code dir} on {@code disk}: with its write buffers and RocksDB file
     * manager, and watched by its checks (see {@link NodeDisk}). Tables missing from an existing database are
     * created (a database written before a table existed opens in place). A single node's own store
     * ({@link Recovery#SYNCED_OWN_LOG}) also gets a 64 MiB block cache and Bloom filters, since every GET and HEAD
     * of it is a point lookup on a large key space.
     */
    static RocksMetaDb open(Path dir, Recovery recovery, NodeDisk disk) throws IOException {
        OwnerOnly.createDirectories(dir);
        DBOptions dbOptions = disk.configureDatabase(new DBOptions().setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true).setKeepLogFileNum(2).setMaxBackgroundJobs(2)
                .setAtomicFlush(recovery == Recovery.REPLAYED_RAFT_LOG));
        List<AutoCloseable> tableResources = new ArrayList<>();
        ColumnFamilyOptions plain = disk.configureTable(new ColumnFamilyOptions());
        // Blob files are left uncompressed (RocksDB's default for them): object bytes are often compressed already.
        // A single node keeps its object records in the tree, under the block cache: there a GET of a small object
        // is a point lookup, and reading its bytes from a blob file (which no cache holds) made 4 KiB GETs a third
        // slower, while its compactions are cheap next to the cluster's (one copy, no Raft log beside it).
        ColumnFamilyOptions records = recovery == Recovery.SYNCED_OWN_LOG
                ? disk.configureTable(new ColumnFamilyOptions())
                : disk.configureTable(new ColumnFamilyOptions().setEnableBlobFiles(true)
                        .setMinBlobSize(MIN_BLOB_SIZE).setEnableBlobGarbageCollection(true));
        if (recovery == Recovery.SYNCED_OWN_LOG) {
            LRUCache cache = new LRUCache(LOCAL_BLOCK_CACHE);
            BloomFilter bloom = new BloomFilter(BLOOM_BITS_PER_KEY);
            tableResources.add(cache);
            tableResources.add(bloom);
            for (ColumnFamilyOptions o : List.of(plain, records)) {
                o.setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)
                        .setWholeKeyFiltering(true));
            }
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain));
        for (MetaTable t : MetaTable.values()) {
            descriptors.add(new ColumnFamilyDescriptor(cfName(t), t == MetaTable.OBJECTS ? records : plain));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new RocksMetaDb(dir, dbOptions, List.of(plain, records), tableResources, db, handles, recovery,
                    disk);
        } catch (RocksDBException e) {
            records.close();
            plain.close();
            closeAll(tableResources);
            dbOptions.close();
            throw new IOException("cannot open metadata database " + dir + ": " + e.getMessage(), e);
        }
    }

    static byte[] cfName(MetaTable table) {
        return table.name().toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    Path dir() {
        return dir;
    }

    /** The last applied log entry, as durably recorded with the data it produced. */
    Applied applied() throws IOException {
        try {
            byte[] v = db.get(metaCf, APPLIED_KEY);
            if (v == null) {
                return Applied.NONE;
            }
            ByteBuffer b = ByteBuffer.wrap(v);
            return new Applied(b.getLong(), b.getLong());
        } catch (RocksDBException e) {
            throw new IOException("cannot read applied index: " + e.getMessage(), e);
        }
    }

    /**
     * Applies a batch if every condition holds against the current values: all ops and (when not null) the new
     * applied log position go into one atomic write. When a condition fails only the applied position is written.
     *
     * @return whether the batch's ops were written, and whether a replace kept a previous value
     */
    ApplyOutcome apply(MetaBatch batch, Applied position) throws IOException {
        return applyAll(List.of(batch), position).get(0);
    }

    /**
     * Applies several batches in order, each if and only if its conditions hold against the values left by the
     * batches before it, and writes everything (with the applied position) in one atomic write: a crash either
     * keeps all of them or none, so a log entry carrying several batches is never half applied.
     *
     * @return each batch's outcome, in order
     */
    List<ApplyOutcome> applyAll(List<MetaBatch> batches, Applied position) throws IOException {
        return applyAll(batches, position, false);
    }

    /**
     * As {@link #applyAll(List, Applied)}; {@code sealed} says the entry carrying the batches was sealed with the
     * cluster secret, which is recorded in the same write (see {@link #sealedLog()}).
     */
    List<ApplyOutcome> applyAll(List<MetaBatch> batches, Applied position, boolean sealed) throws IOException {
        return applyAll(batches, position, sealed, false);
    }

    /**
     * Applies a batch without waiting for it to reach the disk, even in a store that syncs every write: for writes
     * whose loss in a power failure is repaired at the next start (dropping cleanup bookkeeping already acted on).
     */
    ApplyOutcome applyLazily(MetaBatch batch) throws IOException {
        return applyAll(List.of(batch), null, false, true).get(0);
    }

    private List<ApplyOutcome> applyAll(List<MetaBatch> batches, Applied position, boolean sealed, boolean lazy)
            throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            if (sealed) {
                wb.put(metaCf, SEALED_KEY, new byte[] {1});
            }
            // What earlier batches of this call wrote (null value = deleted); a WriteBatch cannot be read back.
            Map<TableKey, byte[]> written = new HashMap<>();
            List<ApplyOutcome> outcomes = new ArrayList<>(batches.size());
            for (MetaBatch batch : batches) {
                outcomes.add(applyOne(batch, wb, written));
            }
            if (position != null) {
                putApplied(wb, position);
            }
            if (wb.count() > 0) {
                write(wb, lazy);
            }
            return outcomes;
        } catch (RocksDBException e) {
            throw new IOException("metadata write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes through the disk (see {@link NodeDisk#write}): without a write-ahead log when the Raft log is the record,
     * and then with a short patience, since the state machine retries a held-back write by itself and must notice
     * its own shutdown between tries.
     */
    private void write(WriteBatch wb, boolean lazy) throws IOException {
        if (recovery == Recovery.REPLAYED_RAFT_LOG) {
            disk.write(db, NodeDisk.Durability.REPLAYED, wb, WHAT, REPLAYED_PATIENCE_NANOS);
        } else {
            disk.write(db, recovery == Recovery.SYNCED_OWN_LOG && !lazy ? NodeDisk.Durability.SYNC
                    : NodeDisk.Durability.LAZY, wb, WHAT);
        }
    }

    private ApplyOutcome applyOne(MetaBatch batch, WriteBatch wb, Map<TableKey, byte[]> written)
            throws RocksDBException {
        for (MetaBatch.Condition c : batch.conditions()) {
            byte[] current = read(c.table(), c.key(), written);
            if (c.expected() == null ? current != null : !Arrays.equals(current, c.expected())) {
                return ApplyOutcome.NOT_APPLIED;
            }
        }
        boolean kept = false;
        Map<TableKey, byte[]> mine = new HashMap<>();
        for (MetaBatch.Op op : batch.ops()) {
            ColumnFamilyHandle cf = tables.get(op.table());
            if (op instanceof MetaBatch.Put put) {
                wb.put(cf, put.key(), put.value());
                mine.put(new TableKey(put.table(), put.key()), put.value());
            } else if (op instanceof MetaBatch.Replace replace) {
                // The value before this batch: ops earlier in the same batch are not visible here.
                byte[] previous = read(replace.table(), replace.key(), written);
                // The same value already there means this replace was applied before (a resent request): keeping
                // "the previous value" would keep the live one, whose cleanup would destroy it.
                if (previous != null && !Arrays.equals(previous, replace.value())) {
                    wb.put(tables.get(replace.keepTable()), replace.keepKey(), previous);
                    mine.put(new TableKey(replace.keepTable(), replace.keepKey()), previous);
                    kept = true;
                }
                wb.put(cf, replace.key(), replace.value());
                mine.put(new TableKey(replace.table(), replace.key()), replace.value());
            } else {
                wb.delete(cf, op.key());
                mine.put(new TableKey(op.table(), op.key()), null);
            }
        }
        written.putAll(mine);
        return kept ? ApplyOutcome.APPLIED_KEPT_PREVIOUS : ApplyOutcome.APPLIED;
    }

    /** The value as of the batches applied so far in this call, else as stored. */
    private byte[] read(MetaTable table, byte[] key, Map<TableKey, byte[]> written) throws RocksDBException {
        TableKey k = new TableKey(table, key);
        if (written.containsKey(k)) {
            return written.get(k);
        }
        return db.get(tables.get(table), key);
    }

    /** A table and key with value equality, for {@link #applyAll}'s view of its own pending writes. */
    private record TableKey(MetaTable table, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof TableKey other && table == other.table && Arrays.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return 31 * table.hashCode() + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return table + "/" + java.util.HexFormat.of().formatHex(key);
        }
    }

    /**
     * Whether an entry sealed with the cluster secret has been applied here: entries written before nodes sealed
     * them are accepted only until then, so that nobody can slip an unsealed entry into a log that is sealed.
     */
    boolean sealedLog() throws IOException {
        try {
            return db.get(metaCf, SEALED_KEY) != null;
        } catch (RocksDBException e) {
            throw new IOException("cannot read the log's seal marker: " + e.getMessage(), e);
        }
    }

    /** Records a log position that carried no batch (or an undecodable one). */
    void markApplied(Applied position) throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            putApplied(wb, position);
            write(wb, false);
        } catch (RocksDBException e) {
            throw new IOException("metadata write failed: " + e.getMessage(), e);
        }
    }

    private void putApplied(WriteBatch wb, Applied position) throws RocksDBException {
        wb.put(metaCf, APPLIED_KEY, ByteBuffer.allocate(16).putLong(position.term()).putLong(position.index())
                .array());
    }

    byte[] get(MetaTable table, byte[] key) throws IOException {
        try {
            return db.get(tables.get(table), key);
        } catch (RocksDBException e) {
            throw new IOException("metadata read failed: " + e.getMessage(), e);
        }
    }

    List<MetaEntry> scan(MetaTable table, byte[] prefix, byte[] from, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit " + limit);
        }
        byte[] p = prefix == null ? new byte[0] : prefix;
        byte[] start = from != null && Arrays.compareUnsigned(from, p) > 0 ? from : p;
        List<MetaEntry> out = new ArrayList<>(Math.min(limit, 256));
        if (limit == 0) {
            return out;
        }
        try (RocksIterator it = db.newIterator(tables.get(table))) {
            for (it.seek(start); it.isValid() && out.size() < limit; it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, p)) {
                    break;
                }
                out.add(new MetaEntry(key, it.value()));
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * A cursor over the entries of {@code table} whose key starts with {@code prefix}, on a snapshot taken now. The
     * caller closes it before closing this database.
     */
    MetaCursor cursor(MetaTable table, byte[] prefix) {
        return new RocksCursor(db, tables.get(table), prefix);
    }

    /** Writes a consistent point-in-time copy (hard links where possible) into {@code target}, which must not exist. */
    void checkpoint(Path target) throws IOException {
        try (Checkpoint cp = Checkpoint.create(db)) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("cannot checkpoint metadata into " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A RocksDB integer property of the whole database, e.g. {@code rocksdb.estimate-live-data-size}: summed over
     * the column families, except the block cache usage, which is read once per cache (the object table has its
     * own options, hence its own cache; every other table shares the default column family's). Empty for a
     * property RocksDB does not know.
     */
    OptionalLong longProperty(String name) {
        try {
            if (name.equals(BLOCK_CACHE_USAGE)) {
                // A single node's tables share one cache (see open).
                return OptionalLong.of(db.getLongProperty(metaCf, name) + (recovery == Recovery.SYNCED_OWN_LOG ? 0
                        : db.getLongProperty(tables.get(MetaTable.OBJECTS), name)));
            }
            long sum = 0;
            for (ColumnFamilyHandle h : handles) {
                sum += db.getLongProperty(h, name);
            }
            return OptionalLong.of(sum);
        } catch (RocksDBException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        watch.close();
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
        closeAll(tableResources);
        dbOptions.close();
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot release a RocksDB resource", e);
            }
        }
    }
}
