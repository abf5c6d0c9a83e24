package io.predastore.node.erasure;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Systematic Reed-Solomon codec over GF(2^8) (polynomial 0x11D, generator 2), producing exactly the parity bytes
 * of Backblaze JavaReedSolomon and klauspost/reedsolomon for the same shard counts.
 *
 * <p>The encoding matrix is the {@code (data + parity) x data} Vandermonde matrix with entry {@code (r, c) = r^c}
 * multiplied by the inverse of its top square, so the data shards are stored unchanged and any {@code data} of the
 * {@code data + parity} shards determine the rest. Every operation works on {@code byteCount} bytes starting at
 * {@code offset} in each shard array; all shard arrays of one call must have the same length.
 *
 * <p>Instances are immutable apart from an internal bounded cache of decode matrices and are safe for concurrent
 * use by any number of threads (on distinct shard arrays). Invalid arguments raise
 * {@link IllegalArgumentException}; too few present shards raise {@link InsufficientShardsException}.
 */
public final class ReedSolomon {

    /** Largest total shard count the field allows (the Vandermonde rows must be distinct field elements). */
    public static final int MAX_TOTAL_SHARDS = 256;

    private static final int DECODE_CACHE_SIZE = 64;
    private static final int CHECK_CHUNK = 64 * 1024;

    private final int dataShards;
    private final int parityShards;
    private final int totalShards;
    private final CodingKernel kernel;
    private final byte[][] matrix;
    private final MatrixCoder parityCoder;
    private final DecodeCache decodeCache = new DecodeCache(DECODE_CACHE_SIZE);

    private ReedSolomon(int dataShards, int parityShards, CodingKernel kernel) {
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.totalShards = dataShards + parityShards;
        this.kernel = kernel;
        this.matrix = Matrix.encodingMatrix(dataShards, totalShards);
        this.parityCoder = parityShards == 0 ? null : kernel.prepare(Matrix.rows(matrix, dataShards, totalShards));
    }

    /**
     * Creates a codec using the kernel chosen at start-up (see {@link #kernelName()}).
     *
     * @param dataShards number of data shards, at least 1
     * @param parityShards number of parity shards, at least 0
     * @throws IllegalArgumentException if a count is out of range or their sum exceeds {@value #MAX_TOTAL_SHARDS}
     */
    public static ReedSolomon create(int dataShards, int parityShards) {
        return create(dataShards, parityShards, Kernels.defaultKernel());
    }

    static ReedSolomon create(int dataShards, int parityShards, CodingKernel kernel) {
        if (dataShards < 1) {
            throw new IllegalArgumentException("dataShards must be at least 1, got " + dataShards);
        }
        if (parityShards < 0) {
            throw new IllegalArgumentException("parityShards must be at least 0, got " + parityShards);
        }
        if (dataShards + parityShards > MAX_TOTAL_SHARDS) {
            throw new IllegalArgumentException("dataShards + parityShards must be at most " + MAX_TOTAL_SHARDS
                    + ", got " + dataShards + " + " + parityShards);
        }
        return new ReedSolomon(dataShards, parityShards, kernel);
    }

    /**
     * Name of the coding kernel chosen at start-up for {@link #create(int, int)}: {@code "scalar"} or
     * {@code "vector-<bits>"}. Set system property {@code predastore.erasure.kernel=scalar} to force the scalar one.
     */
    public static String kernelName() {
        return Kernels.defaultKernel().name();
    }

    /** Name of the kernel this instance uses. */
    public String codingKernelName() {
        return kernel.name();
    }

    /** Number of data shards. */
    public int dataShardCount() {
        return dataShards;
    }

    /** Number of parity shards. */
    public int parityShardCount() {
        return parityShards;
    }

    /** Number of data plus parity shards. */
    public int totalShardCount() {
        return totalShards;
    }

    /** Rows {@code data .. data + parity - 1} of the encoding matrix, as unsigned values; for tests. */
    int[][] parityMatrixRows() {
        int[][] rows = new int[parityShards][dataShards];
        for (int p = 0; p < parityShards; p++) {
            for (int d = 0; d < dataShards; d++) {
                rows[p][d] = matrix[dataShards + p][d] & 0xFF;
            }
        }
        return rows;
    }

    /**
     * Computes the parity shards from the data shards (indices {@code 0 .. data - 1}) and writes them into shards
     * {@code data .. data + parity - 1}.
     *
     * @throws IllegalArgumentException if the shard array count, lengths or the byte range are invalid
     */
    public void encodeParity(byte[][] shards, int offset, int byteCount) {
        ShardChecks.checkAll(shards, totalShards, offset, byteCount);
        if (parityCoder != null && byteCount > 0) {
            parityCoder.code(Arrays.copyOf(shards, dataShards), offset,
                    Arrays.copyOfRange(shards, dataShards, totalShards), offset, byteCount);
        }
    }

    /**
     * Returns whether the parity shards hold exactly the parity of the data shards in the byte range. Does not
     * modify the shards.
     *
     * @throws IllegalArgumentException if the shard array count, lengths or the byte range are invalid
     */
    public boolean isParityCorrect(byte[][] shards, int offset, int byteCount) {
        ShardChecks.checkAll(shards, totalShards, offset, byteCount);
        if (parityCoder == null || byteCount == 0) {
            return true;
        }
        byte[][] inputs = Arrays.copyOf(shards, dataShards);
        int chunk = Math.min(CHECK_CHUNK, byteCount);
        byte[][] expected = new byte[parityShards][chunk];
        for (int done = 0; done < byteCount; done += chunk) {
            int length = Math.min(chunk, byteCount - done);
            int from = offset + done;
            parityCoder.code(inputs, from, expected, 0, length);
            for (int p = 0; p < parityShards; p++) {
                if (!Arrays.equals(expected[p], 0, length, shards[dataShards + p], from, from + length)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Rebuilds every missing shard, data and parity, from the present ones. A missing shard may be {@code null}, in
     * which case a new array of the common shard length is allocated and stored in {@code shards}.
     *
     * @param shards all {@code data + parity} shard arrays
     * @param shardPresent which shards hold valid bytes
     * @throws InsufficientShardsException if fewer than {@code data} shards are present; no shard is modified
     * @throws IllegalArgumentException if counts, lengths or the byte range are invalid
     */
    public void decodeMissing(byte[][] shards, boolean[] shardPresent, int offset, int byteCount) {
        decode(shards, shardPresent, offset, byteCount, false);
    }

    /**
     * Like {@link #decodeMissing} but rebuilds only missing data shards, leaving missing parity shards untouched;
     * cheaper when only the object bytes are needed.
     *
     * @throws InsufficientShardsException if fewer than {@code data} shards are present; no shard is modified
     * @throws IllegalArgumentException if counts, lengths or the byte range are invalid
     */
    public void decodeMissingData(byte[][] shards, boolean[] shardPresent, int offset, int byteCount) {
        decode(shards, shardPresent, offset, byteCount, true);
    }

    private void decode(byte[][] shards, boolean[] shardPresent, int offset, int byteCount, boolean dataOnly) {
        int shardLength = ShardChecks.checkPresent(shards, shardPresent, totalShards, dataShards, offset, byteCount);
        BitSet present = new BitSet(totalShards);
        for (int i = 0; i < totalShards; i++) {
            if (shardPresent[i]) {
                present.set(i);
            }
        }
        int limit = dataOnly ? dataShards : totalShards;
        if (present.nextClearBit(0) >= limit) {
            return;
        }
        for (int i = 0; i < totalShards; i++) {
            if (!shardPresent[i] && shards[i] == null && (i < limit)) {
                shards[i] = new byte[shardLength];
            }
        }
        MatrixCoder coder = decodeCache.get(new DecodeCache.Key(present, dataOnly), this::decoderFor);
        if (byteCount == 0) {
            return;
        }
        byte[][] inputs = new byte[dataShards][];
        int n = 0;
        for (int i = present.nextSetBit(0); n < dataShards; i = present.nextSetBit(i + 1)) {
            inputs[n++] = shards[i];
        }
        byte[][] outputs = new byte[coder.outputCount()][];
        n = 0;
        for (int i = present.nextClearBit(0); i < limit; i = present.nextClearBit(i + 1)) {
            outputs[n++] = shards[i];
        }
        coder.code(inputs, offset, outputs, offset, byteCount);
    }

    /** Builds the matrix mapping the first {@code data} present shards to every shard that must be rebuilt. */
    private MatrixCoder decoderFor(DecodeCache.Key key) {
        BitSet present = key.present();
        byte[][] subMatrix = new byte[dataShards][];
        int n = 0;
        for (int i = present.nextSetBit(0); n < dataShards; i = present.nextSetBit(i + 1)) {
            subMatrix[n++] = matrix[i];
        }
        byte[][] inverse = Matrix.invert(subMatrix);
        int limit = key.dataOnly() ? dataShards : totalShards;
        byte[][] rows = new byte[limit - present.get(0, limit).cardinality()][];
        n = 0;
        for (int i = present.nextClearBit(0); i < limit; i = present.nextClearBit(i + 1)) {
            rows[n++] = i < dataShards ? inverse[i] : Matrix.multiply(new byte[][] {matrix[i]}, inverse)[0];
        }
        return kernel.prepare(rows);
    }
}
