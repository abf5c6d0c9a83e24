package io.predastore.node.erasure;

/**
 * Portable kernel using a full 256-entry product table per coefficient.
 *
 * <p>Output-major: for each block of positions, each output row is computed over all inputs with a contiguous inner
 * loop. Blocking keeps the block of every input and output in the L1/L2 cache. Stateless and thread-safe.
 */
final class ScalarCodingKernel implements CodingKernel {

    /** Bytes processed per block; small enough that inputs plus outputs of a block stay cache resident. */
    private static final int BLOCK = 4096;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public MatrixCoder prepare(byte[][] matrix) {
        int rows = matrix.length;
        int cols = matrix[0].length;
        byte[][][] tables = new byte[rows][cols][];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                tables[r][c] = Galois.multiplicationRow(matrix[r][c]);
            }
        }
        return new Coder(tables, rows, cols);
    }

    /** Immutable prepared matrix: {@code tables[r][c]} is the shared product row of coefficient (r, c). */
    private static final class Coder implements MatrixCoder {
        private final byte[][][] tables;
        private final int rows;
        private final int cols;

        Coder(byte[][][] tables, int rows, int cols) {
            this.tables = tables;
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public int inputCount() {
            return cols;
        }

        @Override
        public int outputCount() {
            return rows;
        }

        @Override
        public void code(byte[][] inputs, int inputOffset, byte[][] outputs, int outputOffset, int byteCount) {
            for (int start = 0; start < byteCount; start += BLOCK) {
                int length = Math.min(BLOCK, byteCount - start);
                int in = inputOffset + start;
                int out = outputOffset + start;
                for (int r = 0; r < rows; r++) {
                    byte[][] rowTables = tables[r];
                    byte[] output = outputs[r];
                    assign(rowTables[0], inputs[0], in, output, out, length);
                    for (int c = 1; c < cols; c++) {
                        accumulate(rowTables[c], inputs[c], in, output, out, length);
                    }
                }
            }
        }

        static void assign(byte[] table, byte[] input, int in, byte[] output, int out, int length) {
            for (int i = 0; i < length; i++) {
                output[out + i] = table[input[in + i] & 0xFF];
            }
        }

        static void accumulate(byte[] table, byte[] input, int in, byte[] output, int out, int length) {
            for (int i = 0; i < length; i++) {
                output[out + i] ^= table[input[in + i] & 0xFF];
            }
        }
    }
}
