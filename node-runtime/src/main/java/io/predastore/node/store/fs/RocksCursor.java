package io.predastore.node.store.fs;

import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.meta.MetaCursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link MetaCursor} over one column family of the filesystem backend's database, on a RocksDB iterator: a seek
 * is one iterator seek, and {@link #valueHead} copies only the first bytes of a value out of RocksDB. Counts its
 * seeks and steps so tests can prove a listing skips what it rolls up. Not thread-safe.
 */
final class RocksCursor implements MetaCursor {
    private static final int HEAD = 4096;
    private static final ThreadLocal<ByteBuffer> HEAD_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HEAD));

    private final ReadOptions readOptions = new ReadOptions();
    private final RocksIterator it;
    private final byte[] prefix;
    private final AtomicLong steps;
    private byte[] key;

    RocksCursor(RocksDB db, ColumnFamilyHandle table, byte[] prefix, AtomicLong steps) {
        this.it = db.newIterator(table, readOptions);
        this.prefix = prefix.clone();
        this.steps = steps;
    }

    @Override
    public void seek(byte[] target) {
        it.seek(target);
        key = null;
        steps.incrementAndGet();
    }

    @Override
    public boolean valid() throws IOException {
        if (!it.isValid()) {
            try {
                it.status();
            } catch (RocksDBException e) {
                throw new IOException("Could not read the metadata: " + e.getMessage(), e);
            }
            return false;
        }
        if (key == null) {
            key = it.key();
        }
        return MetaKeys.startsWith(key, prefix);
    }

    @Override
    public byte[] key() {
        if (key == null) {
            key = it.key();
        }
        return key;
    }

    @Override
    public byte[] value() {
        return it.value();
    }

    @Override
    public int valueHead(byte[] into) {
        ByteBuffer head = HEAD_BUFFER.get();
        head.clear();
        int got = Math.min(Math.min(it.value(head), HEAD), into.length);
        head.get(0, into, 0, got);
        return got;
    }

    @Override
    public void next() {
        it.next();
        key = null;
        steps.incrementAndGet();
    }

    @Override
    public void close() {
        it.close();
        readOptions.close();
    }
}
