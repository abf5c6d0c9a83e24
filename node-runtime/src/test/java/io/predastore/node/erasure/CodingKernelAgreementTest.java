package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CodingKernelAgreementTest {

    @Test
    void code_randomMatricesOddLengthsAndOffsets_vectorMatchesScalar() {
        CodingKernel scalar = Kernels.scalar();
        CodingKernel vector = Kernels.vector();
        Random random = new Random(99);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(9);
            int cols = 1 + random.nextInt(14);
            byte[][] matrix = new byte[rows][cols];
            for (byte[] row : matrix) {
                random.nextBytes(row);
            }
            int length = trial < 70 ? trial : random.nextInt(5000);
            int inOffset = random.nextInt(70);
            int outOffset = random.nextInt(70);
            byte[][] inputs = ReedSolomonDecodeTest.randomShards(random, cols, inOffset + length + 5);
            byte[][] expected = ReedSolomonDecodeTest.randomShards(random, rows, outOffset + length + 5);
            byte[][] actual = ReedSolomonDecodeTest.deepCopy(expected);
            scalar.prepare(matrix).code(inputs, inOffset, expected, outOffset, length);
            vector.prepare(matrix).code(inputs, inOffset, actual, outOffset, length);
            assertThat(actual).as("%dx%d length %d offsets %d/%d", rows, cols, length, inOffset, outOffset)
                    .isDeepEqualTo(expected);
        }
    }

    @Test
    void code_everyCoefficient_matchesFieldMultiplication() {
        byte[] input = new byte[256];
        for (int b = 0; b < 256; b++) {
            input[b] = (byte) b;
        }
        for (CodingKernel kernel : new CodingKernel[] {Kernels.scalar(), Kernels.vector()}) {
            for (int k = 0; k < 256; k++) {
                byte[][] out = new byte[1][256];
                kernel.prepare(new byte[][] {{(byte) k}}).code(new byte[][] {input}, 0, out, 0, 256);
                for (int b = 0; b < 256; b++) {
                    assertThat(out[0][b] & 0xFF).as("%s %d*%d", kernel.name(), k, b)
                            .isEqualTo(slowMultiply(k, b));
                }
            }
        }
    }

    /** Shift-and-add multiplication modulo 0x11D, independent of the log tables. */
    private static int slowMultiply(int a, int b) {
        int result = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                result ^= a;
            }
            a <<= 1;
            if ((a & 0x100) != 0) {
                a ^= 0x11D;
            }
            b >>>= 1;
        }
        return result;
    }
}
