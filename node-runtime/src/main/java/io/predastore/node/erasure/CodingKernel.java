package io.predastore.node.erasure;

/**
 * A strategy for multiplying a coefficient matrix by byte vectors, the inner loop of every Reed-Solomon operation.
 *
 * <p>Implementations are stateless and thread-safe; the {@link MatrixCoder}s they prepare are immutable.
 */
interface CodingKernel {

    /** Short name for logs, e.g. {@code "scalar"} or {@code "vector-256"}. */
    String name();

    /**
     * Prepares per-coefficient lookup tables for {@code matrix} ({@code outputs x inputs}, values 0..255).
     *
     * @param matrix coefficient rows; not retained
     * @return an immutable coder for this matrix
     */
    MatrixCoder prepare(byte[][] matrix);
}
