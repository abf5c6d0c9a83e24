package io.predastore.node.erasure;

/**
 * Arithmetic in GF(2^8) with the reducing polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator 2.
 *
 * <p>All tables are built once and never modified afterwards, so the class is thread-safe.
 */
final class Galois {

    /** Reducing polynomial x^8 + x^4 + x^3 + x^2 + 1. */
    static final int POLYNOMIAL = 0x11D;

    /** {@code EXP[i] = 2^i}; doubled in length so {@code EXP[log a + log b]} needs no modulo. */
    private static final int[] EXP = new int[510];

    /** {@code LOG[a]} for a in 1..255; {@code LOG[0]} is unused. */
    private static final int[] LOG = new int[256];

    /** {@code MUL[a][b] = a * b}; row {@code a} is the 256-entry lookup table of "multiply by a". */
    private static final byte[][] MUL = new byte[256][256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            EXP[i + 255] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLYNOMIAL;
            }
        }
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                MUL[a][b] = (byte) multiplySlow(a, b);
            }
        }
    }

    private Galois() {
    }

    private static int multiplySlow(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    /** Returns {@code a * b}; both arguments are in 0..255. */
    static int multiply(int a, int b) {
        return MUL[a][b] & 0xFF;
    }

    /** Returns {@code a / b}; {@code b} must not be zero. */
    static int divide(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        if (a == 0) {
            return 0;
        }
        return EXP[LOG[a] - LOG[b] + 255];
    }

    /** Returns {@code a^n} for {@code n >= 0}, with {@code 0^0 = 1}. */
    static int power(int a, int n) {
        if (n == 0) {
            return 1;
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(LOG[a] * n) % 255];
    }

    /**
     * Returns the shared 256-entry table of products {@code coefficient * b}, indexed by {@code b}. Callers must
     * not modify it.
     */
    static byte[] multiplicationRow(int coefficient) {
        return MUL[coefficient & 0xFF];
    }
}
