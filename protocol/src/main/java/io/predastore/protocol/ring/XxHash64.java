package io.predastore.protocol.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The xxHash64 non-cryptographic hash (XXH64 from the xxHash specification), written for this package.
 *
 * <p>Stateless and thread-safe. Results are identical on every platform and JVM, which ring placement relies on.
 */
public final class XxHash64 {

    private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME64_3 = 0x165667B19E3779F9L;
    private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME64_5 = 0x27D4EB2F165667C5L;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private XxHash64() {
    }

    /**
     * Hashes all of {@code data} with seed 0.
     *
     * @param data bytes to hash
     * @return the 64-bit hash
     * @throws NullPointerException if {@code data} is null
     */
    public static long hash(byte[] data) {
        return hash(data, 0, data.length, 0L);
    }

    /**
     * Hashes all of {@code data} with the given seed.
     *
     * @param data bytes to hash
     * @param seed hash seed
     * @return the 64-bit hash
     * @throws NullPointerException if {@code data} is null
     */
    public static long hash(byte[] data, long seed) {
        return hash(data, 0, data.length, seed);
    }

    /**
     * Hashes {@code length} bytes of {@code data} starting at {@code offset}.
     *
     * @param data bytes to hash
     * @param offset index of the first byte
     * @param length number of bytes
     * @param seed hash seed
     * @return the 64-bit hash
     * @throws NullPointerException if {@code data} is null
     * @throws IndexOutOfBoundsException if the range is outside {@code data}
     */
    public static long hash(byte[] data, int offset, int length, long seed) {
        Objects.checkFromIndexSize(offset, length, data.length);
        int pos = offset;
        int end = offset + length;
        long h;
        if (length >= 32) {
            long v1 = seed + PRIME64_1 + PRIME64_2;
            long v2 = seed + PRIME64_2;
            long v3 = seed;
            long v4 = seed - PRIME64_1;
            int limit = end - 32;
            do {
                v1 = round(v1, (long) LONG_LE.get(data, pos));
                v2 = round(v2, (long) LONG_LE.get(data, pos + 8));
                v3 = round(v3, (long) LONG_LE.get(data, pos + 16));
                v4 = round(v4, (long) LONG_LE.get(data, pos + 24));
                pos += 32;
            } while (pos <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = seed + PRIME64_5;
        }
        h += length;
        while (pos + 8 <= end) {
            h ^= round(0, (long) LONG_LE.get(data, pos));
            h = Long.rotateLeft(h, 27) * PRIME64_1 + PRIME64_4;
            pos += 8;
        }
        if (pos + 4 <= end) {
            h ^= Integer.toUnsignedLong((int) INT_LE.get(data, pos)) * PRIME64_1;
            h = Long.rotateLeft(h, 23) * PRIME64_2 + PRIME64_3;
            pos += 4;
        }
        while (pos < end) {
            h ^= (data[pos] & 0xFFL) * PRIME64_5;
            h = Long.rotateLeft(h, 11) * PRIME64_1;
            pos++;
        }
        return avalanche(h);
    }

    /**
     * Hashes the 8-byte little-endian encoding of {@code value} with seed 0.
     *
     * @param value the value to encode and hash
     * @return the 64-bit hash
     */
    public static long hashLongLittleEndian(long value) {
        byte[] bytes = new byte[Long.BYTES];
        LONG_LE.set(bytes, 0, value);
        return hash(bytes);
    }

    private static long round(long acc, long lane) {
        return Long.rotateLeft(acc + lane * PRIME64_2, 31) * PRIME64_1;
    }

    private static long mergeRound(long acc, long value) {
        return (acc ^ round(0, value)) * PRIME64_1 + PRIME64_4;
    }

    private static long avalanche(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= PRIME64_2;
        h ^= h >>> 29;
        h *= PRIME64_3;
        h ^= h >>> 32;
        return h;
    }
}
