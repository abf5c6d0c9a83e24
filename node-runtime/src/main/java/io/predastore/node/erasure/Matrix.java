package io.predastore.node.erasure;

/**
 * Small dense matrices over GF(2^8), stored as {@code byte[rows][columns]} of unsigned values.
 *
 * <p>Stateless utility; every method returns fresh arrays, so it is thread-safe.
 */
final class Matrix {

    private Matrix() {
    }

    /**
     * Returns the systematic encoding matrix: the {@code (data + parity) x data} Vandermonde matrix with entry
     * {@code (r, c) = r^c}, multiplied by the inverse of its top {@code data x data} square.
     */
    static byte[][] encodingMatrix(int dataShards, int totalShards) {
        byte[][] vandermonde = new byte[totalShards][dataShards];
        for (int r = 0; r < totalShards; r++) {
            for (int c = 0; c < dataShards; c++) {
                vandermonde[r][c] = (byte) Galois.power(r, c);
            }
        }
        byte[][] top = rows(vandermonde, 0, dataShards);
        return multiply(vandermonde, invert(top));
    }

    /** Returns a copy of rows {@code [from, to)}. */
    static byte[][] rows(byte[][] m, int from, int to) {
        byte[][] result = new byte[to - from][];
        for (int r = from; r < to; r++) {
            result[r - from] = m[r].clone();
        }
        return result;
    }

    /** Returns {@code a * b}. */
    static byte[][] multiply(byte[][] a, byte[][] b) {
        int n = a.length;
        int inner = b.length;
        int cols = b[0].length;
        byte[][] result = new byte[n][cols];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cols; c++) {
                int sum = 0;
                for (int k = 0; k < inner; k++) {
                    sum ^= Galois.multiply(a[r][k] & 0xFF, b[k][c] & 0xFF);
                }
                result[r][c] = (byte) sum;
            }
        }
        return result;
    }

    /**
     * Returns the inverse of the square matrix {@code m} by Gauss-Jordan elimination.
     *
     * @throws IllegalArgumentException if {@code m} is singular
     */
    static byte[][] invert(byte[][] m) {
        int n = m.length;
        byte[][] work = new byte[n][2 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(m[r], 0, work[r], 0, n);
            work[r][n + r] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && work[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalArgumentException("matrix is singular");
            }
            byte[] swap = work[pivot];
            work[pivot] = work[col];
            work[col] = swap;
            int scale = Galois.divide(1, work[col][col] & 0xFF);
            if (scale != 1) {
                scaleRow(work[col], scale);
            }
            for (int r = 0; r < n; r++) {
                int factor = work[r][col] & 0xFF;
                if (r != col && factor != 0) {
                    byte[] mul = Galois.multiplicationRow(factor);
                    byte[] source = work[col];
                    byte[] target = work[r];
                    for (int c = 0; c < 2 * n; c++) {
                        target[c] ^= mul[source[c] & 0xFF];
                    }
                }
            }
        }
        byte[][] inverse = new byte[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(work[r], n, inverse[r], 0, n);
        }
        return inverse;
    }

    private static void scaleRow(byte[] row, int scale) {
        byte[] mul = Galois.multiplicationRow(scale);
        for (int c = 0; c < row.length; c++) {
            row[c] = mul[row[c] & 0xFF];
        }
    }
}
