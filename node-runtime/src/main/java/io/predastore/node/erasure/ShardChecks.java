package io.predastore.node.erasure;

/** Argument validation shared by the codec operations; stateless and thread-safe. */
final class ShardChecks {

    private ShardChecks() {
    }

    /**
     * Checks that all {@code total} shards are non-null arrays of one length and that the byte range fits.
     *
     * @return the common shard length
     */
    static int checkAll(byte[][] shards, int total, int offset, int byteCount) {
        checkCount(shards, total);
        int length = -1;
        for (int i = 0; i < total; i++) {
            length = checkShard(shards, i, length);
        }
        checkRange(length, offset, byteCount);
        return length;
    }

    /**
     * Checks a decode call: present shards are non-null arrays of one length, missing shards are {@code null} or of
     * that length, at least {@code required} shards are present and the byte range fits.
     *
     * @return the common shard length
     */
    static int checkPresent(byte[][] shards, boolean[] present, int total, int required, int offset,
            int byteCount) {
        checkCount(shards, total);
        if (present == null || present.length != total) {
            throw new IllegalArgumentException("shardPresent must have " + total + " entries, got "
                    + (present == null ? "null" : present.length));
        }
        int length = -1;
        int count = 0;
        for (int i = 0; i < total; i++) {
            if (present[i]) {
                length = checkShard(shards, i, length);
                count++;
            }
        }
        if (count < required) {
            throw new InsufficientShardsException(count, required);
        }
        for (int i = 0; i < total; i++) {
            if (!present[i] && shards[i] != null && shards[i].length != length) {
                throw new IllegalArgumentException("shards differ in size: shard " + i + " has " + shards[i].length
                        + " bytes, expected " + length);
            }
        }
        checkRange(length, offset, byteCount);
        return length;
    }

    private static void checkCount(byte[][] shards, int total) {
        if (shards == null) {
            throw new IllegalArgumentException("shards must not be null");
        }
        if (shards.length != total) {
            throw new IllegalArgumentException("expected " + total + " shards, got " + shards.length);
        }
    }

    private static int checkShard(byte[][] shards, int index, int expectedLength) {
        byte[] shard = shards[index];
        if (shard == null) {
            throw new IllegalArgumentException("shard " + index + " is null");
        }
        if (expectedLength >= 0 && shard.length != expectedLength) {
            throw new IllegalArgumentException("shards differ in size: shard " + index + " has " + shard.length
                    + " bytes, expected " + expectedLength);
        }
        return shard.length;
    }

    private static void checkRange(int shardLength, int offset, int byteCount) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (byteCount < 0) {
            throw new IllegalArgumentException("byteCount must not be negative, got " + byteCount);
        }
        if ((long) offset + byteCount > shardLength) {
            throw new IllegalArgumentException("offset " + offset + " + byteCount " + byteCount
                    + " exceeds the shard length " + shardLength);
        }
    }
}
