package io.predastore.node.shard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of one shard record in a segment file and of its index entry; see {@link SegmentShardStore}
 * and {@code docs/shard-store.md}. All integers are big-endian.
 */
final class RecordFormat {

    /** "PSHR". */
    static final int MAGIC = 0x50534852;
    static final int VERSION = 1;
    static final int TYPE_SHARD = 1;
    /** magic 4, version 1, type 1, id length 2, (id), shard index 1, chunk size 4, header CRC32C 4. */
    static final int HEADER_FIXED = 17;
    /** length 4, CRC32C 4. */
    static final int CHUNK_FRAME_HEADER = 8;
    /** end marker 4, total length 8, shard CRC32C 4, commit CRC32C 4. */
    static final int COMMIT_FRAME = 20;

    static final int INDEX_VALUE_VERSION = 1;
    /** The largest chunk frame payload a store is ever configured with; larger in an index entry means damage. */
    static final int MAX_CHUNK_SIZE = 64 << 20;
    static final int INDEX_VALUE_LENGTH = 1 + 8 + 8 + 4 + 8 + 4 + 4 + 8;

    private RecordFormat() {
    }

    static int headerLength(ShardId id) {
        return HEADER_FIXED + id.objectId().length();
    }

    static ByteBuffer header(ShardId id, int chunkSize) {
        byte[] name = id.objectId().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(HEADER_FIXED + name.length);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) TYPE_SHARD).putShort((short) name.length).put(name)
                .put((byte) id.index()).putInt(chunkSize);
        b.putInt(crc(b.array(), 0, b.position()));
        return b.flip();
    }

    static int headerCrc(ByteBuffer header) {
        return header.getInt(header.limit() - 4);
    }

    static ByteBuffer commitFrame(int headerCrc, long length, int shardCrc) {
        ByteBuffer b = ByteBuffer.allocate(COMMIT_FRAME);
        b.putInt(0).putLong(length).putInt(shardCrc);
        b.putInt(commitCrc(headerCrc, length, shardCrc));
        return b.flip();
    }

    static int commitCrc(int headerCrc, long length, int shardCrc) {
        ByteBuffer c = ByteBuffer.allocate(16).putInt(headerCrc).putLong(length).putInt(shardCrc);
        return crc(c.array(), 0, 16);
    }

    /** Number of chunk frames of a shard of {@code length} bytes. */
    static long chunkCount(long length, int chunkSize) {
        return (length + chunkSize - 1) / chunkSize;
    }

    static long recordSize(ShardId id, long length, int chunkSize) {
        return headerLength(id) + chunkCount(length, chunkSize) * CHUNK_FRAME_HEADER + length + COMMIT_FRAME;
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, offset, length);
        return (int) c.getValue();
    }

    static byte[] key(ShardId id) {
        byte[] name = id.objectId().getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[name.length + 2];
        System.arraycopy(name, 0, key, 0, name.length);
        key[name.length] = 0;
        key[name.length + 1] = (byte) id.index();
        return key;
    }

    static ShardId idOf(byte[] key) {
        return new ShardId(new String(key, 0, key.length - 2, StandardCharsets.US_ASCII),
                key[key.length - 1] & 0xff);
    }

    /** Where a committed shard's record lies. */
    record Location(long segment, long recordOffset, int headerLength, long length, int crc32c, int chunkSize,
            long recordSize) {

        long dataOffset() {
            return recordOffset + headerLength;
        }

        long recordEnd() {
            return recordOffset + recordSize;
        }

        byte[] encode() {
            return ByteBuffer.allocate(INDEX_VALUE_LENGTH).put((byte) INDEX_VALUE_VERSION).putLong(segment)
                    .putLong(recordOffset).putInt(headerLength).putLong(length).putInt(crc32c).putInt(chunkSize)
                    .putLong(recordSize).array();
        }

        static Location decode(byte[] value) {
            ByteBuffer b = ByteBuffer.wrap(value);
            int version = b.get();
            if (version != INDEX_VALUE_VERSION || value.length != INDEX_VALUE_LENGTH) {
                throw new IllegalStateException("unknown shard index entry version " + version);
            }
            Location loc = new Location(b.getLong(), b.getLong(), b.getInt(), b.getLong(), b.getInt(), b.getInt(),
                    b.getLong());
            // These size buffers when the shard is read: a damaged entry must fail here, not allocate.
            if (loc.segment < 0 || loc.recordOffset < 0 || loc.headerLength < HEADER_FIXED
                    || loc.headerLength > HEADER_FIXED + 0xFFFF || loc.length < 0 || loc.chunkSize < 1
                    || loc.chunkSize > MAX_CHUNK_SIZE || loc.recordSize < loc.headerLength) {
                throw new IllegalStateException("damaged shard index entry: " + loc);
            }
            return loc;
        }

        Location movedTo(long newSegment, long newRecordOffset) {
            return new Location(newSegment, newRecordOffset, headerLength, length, crc32c, chunkSize, recordSize);
        }
    }
}
