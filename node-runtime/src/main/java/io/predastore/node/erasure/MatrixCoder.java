package io.predastore.node.erasure;

/**
 * Applies one prepared coefficient matrix: {@code outputs[r][outputOffset + i] = XOR over c of
 * matrix[r][c] * inputs[c][inputOffset + i]} for {@code i} in {@code [0, byteCount)}.
 *
 * <p>Implementations are immutable and thread-safe. Arguments are trusted: callers validate array counts and
 * ranges beforehand.
 */
interface MatrixCoder {

    /** Number of input arrays the matrix consumes (its column count). */
    int inputCount();

    /** Number of output arrays the matrix produces (its row count). */
    int outputCount();

    /** Computes every output range from the input ranges; outputs must not alias inputs. */
    void code(byte[][] inputs, int inputOffset, byte[][] outputs, int outputOffset, int byteCount);
}
