package io.predastore.node.meta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link MetaCursor} over one table of a local {@link RocksMetaDb}, on a RocksDB iterator: a seek is one iterator
 * seek, and {@link #valueHead} copies only the first bytes of a value out of RocksDB. The iterator reads a consistent
 * snapshot taken when the cursor was opened. Not thread-safe; {@link LocalMetadataStore} guards it against the
 * database closing under it.
 */
final class RocksCursor implements MetaCursor {
    private static final int HEAD = 4096;
    private static final ThreadLocal<ByteBuffer> HEAD_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HEAD));

    private final ReadOptions readOptions = new ReadOptions();
    private final RocksIterator it;
    private final byte[] prefix;
    private byte[] key;

    RocksCursor(RocksDB db, ColumnFamilyHandle table, byte[] prefix) {
        this.it = db.newIterator(table, readOptions);
        this.prefix = prefix.clone();
    }

    @Override
    public void seek(byte[] target) {
        it.seek(Arrays.compareUnsigned(target, prefix) > 0 ? target : prefix);
        key = null;
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
        return startsWith(key(), prefix);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
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
    }

    @Override
    public void close() {
        it.close();
        readOptions.close();
    }
}
