package io.predastore.node.erasure;

/**
 * Geometry of an erasure-coded object: {@code dataShards} chunks of {@code chunkSize} bytes form a stripe, which is
 * extended by {@code parityShards} parity chunks. Shard {@code i} is the concatenation of its chunk of every stripe,
 * so each shard holds {@code stripeCount(objectLength) * chunkSize} bytes; the last stripe is zero-padded, and the
 * object length is not recoverable from the shards (keep it in the object's metadata).
 *
 * <p>Immutable and thread-safe.
 *
 * @param dataShards data chunks per stripe, at least 1
 * @param parityShards parity chunks per stripe, at least 0
 * @param chunkSize bytes per chunk, at least 1
 */
public record StripeLayout(int dataShards, int parityShards, int chunkSize) {

    /** Default chunk size: 256 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;

    /**
     * Validates the geometry.
     *
     * @throws IllegalArgumentException if a count or the chunk size is out of range
     */
    public StripeLayout {
        if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > ReedSolomon.MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("invalid shard counts: " + dataShards + " data, " + parityShards
                    + " parity");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1, got " + chunkSize);
        }
    }

    /** Granularity of {@link #fittedChunkSize}: a whole number of SIMD vectors, so no chunk has a scalar tail. */
    public static final int CHUNK_ALIGNMENT = 64;

    /**
     * The chunk size that stores an object of {@code objectLength} bytes in as few stripes as chunks of at most
     * {@code maxChunkSize} allow, with as little zero padding as possible: the object is spread evenly over those
     * stripes and the chunk rounded up to {@value #CHUNK_ALIGNMENT} bytes. With one fixed chunk size the last
     * stripe is padded to a whole stripe, which for RS(3,2) and 256 KiB chunks stored a 1 MiB object in 2.5 MiB
     * of shards instead of 1.67 MiB, and a 17 KiB one in 1.25 MiB. The chunk size is kept with each shard set, so
     * every object may have its own.
     *
     * @throws IllegalArgumentException if a count, the length or the maximum is out of range
     */
    public static int fittedChunkSize(long objectLength, int dataShards, int maxChunkSize) {
        requireNonNegative(objectLength, "objectLength");
        if (dataShards < 1 || maxChunkSize < 1) {
            throw new IllegalArgumentException("invalid geometry: " + dataShards + " data shards, chunks of at most "
                    + maxChunkSize + " bytes");
        }
        if (objectLength == 0) {
            return Math.min(maxChunkSize, CHUNK_ALIGNMENT);
        }
        long maxStripeBytes = (long) dataShards * maxChunkSize;
        long stripes = (objectLength + maxStripeBytes - 1) / maxStripeBytes;
        long chunks = stripes * dataShards;
        long even = (objectLength + chunks - 1) / chunks;
        long aligned = (even + CHUNK_ALIGNMENT - 1) / CHUNK_ALIGNMENT * CHUNK_ALIGNMENT;
        return (int) Math.min(maxChunkSize, aligned);
    }

    /** Returns the layout matching {@code codec}'s shard counts. */
    public static StripeLayout of(ReedSolomon codec, int chunkSize) {
        return new StripeLayout(codec.dataShardCount(), codec.parityShardCount(), chunkSize);
    }

    /** Total shards per stripe. */
    public int totalShards() {
        return dataShards + parityShards;
    }

    /** Object bytes per stripe: {@code dataShards * chunkSize}. */
    public long stripeBytes() {
        return (long) dataShards * chunkSize;
    }

    /** Number of stripes an object of {@code objectLength} bytes occupies; 0 for an empty object. */
    public long stripeCount(long objectLength) {
        requireNonNegative(objectLength, "objectLength");
        return (objectLength + stripeBytes() - 1) / stripeBytes();
    }

    /** Length in bytes of every shard of an object of {@code objectLength} bytes. */
    public long shardLength(long objectLength) {
        return stripeCount(objectLength) * chunkSize;
    }

    /**
     * Returns the byte range every shard must supply to reconstruct object bytes {@code [offset, offset + length)}:
     * the whole stripes covering that range, which is the same range in each shard (a decode needs the matching
     * chunks of any {@code dataShards} shards).
     *
     * @throws IllegalArgumentException if the range is not within the object
     */
    public ShardRange shardRange(long objectLength, long offset, long length) {
        requireNonNegative(objectLength, "objectLength");
        requireNonNegative(offset, "offset");
        requireNonNegative(length, "length");
        if (offset > objectLength - length) {
            throw new IllegalArgumentException("range offset " + offset + " length " + length
                    + " exceeds the object length " + objectLength);
        }
        if (length == 0) {
            return new ShardRange(offset / stripeBytes(), 0, (offset / stripeBytes()) * chunkSize, 0);
        }
        long first = offset / stripeBytes();
        long last = (offset + length - 1) / stripeBytes();
        long stripes = last - first + 1;
        return new ShardRange(first, stripes, first * chunkSize, stripes * chunkSize);
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
