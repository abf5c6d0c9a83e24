package io.predastore.node.erasure;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel on the incubating Vector API, using the split-nibble multiply (as in ISA-L and klauspost): a product
 * {@code k * b} equals {@code lowTable_k[b & 15] XOR highTable_k[b >>> 4]}, and both 16-entry tables are looked up
 * for a whole vector of bytes with one lane shuffle each.
 *
 * <p>Outputs are computed in groups of up to four with the accumulators in registers, so each input vector is
 * loaded and split once per group. Tail bytes that do not fill a vector use the scalar product tables.
 *
 * <p>This class links against {@code jdk.incubator.vector}; it is only loaded reflectively by {@link Kernels}
 * when that module is in the boot layer. Stateless and thread-safe.
 */
final class VectorCodingKernel implements CodingKernel {

    /** Fixed at class initialisation; must stay a static final constant for the JIT to intrinsify the shuffles. */
    private static final VectorSpecies<Byte> SPECIES =
            ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 256 ? ByteVector.SPECIES_256 : ByteVector.SPECIES_128;

    private static final int LANES = SPECIES.length();

    private static final byte LOW_MASK = 0x0F;

    /**
     * Largest number of outputs computed per pass over the inputs. Four accumulators (eight table vectors, two
     * nibble vectors and the input) fit the 16 AVX2 registers; measured fastest for RS(10,4) on JDK 17 and 25.
     */
    private static final int GROUP = 4;

    /**
     * Creates the kernel.
     *
     * @throws IllegalStateException if the platform has no SIMD registers of at least 128 bits, where the Vector
     *     API would be emulated and far slower than the scalar kernel
     */
    VectorCodingKernel() {
        if (ByteVector.SPECIES_PREFERRED.vectorBitSize() < 128) {
            throw new IllegalStateException("no SIMD support for 128-bit byte vectors");
        }
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    public MatrixCoder prepare(byte[][] matrix) {
        return new VectorMatrixCoder(matrix);
    }

    /**
     * Immutable prepared matrix. {@code tables} holds, for coefficient (r, c), the low-nibble table at
     * {@code ((r * cols + c) * 2) * LANES} and the high-nibble table right after it, each repeated to fill a vector.
     */
    private static final class VectorMatrixCoder implements MatrixCoder {
        private final byte[] tables;
        private final byte[][][] scalarTables;
        private final int rows;
        private final int cols;

        VectorMatrixCoder(byte[][] matrix) {
            rows = matrix.length;
            cols = matrix[0].length;
            tables = new byte[rows * cols * 2 * LANES];
            scalarTables = new byte[rows][cols][];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int coefficient = matrix[r][c] & 0xFF;
                    scalarTables[r][c] = Galois.multiplicationRow(coefficient);
                    int base = (r * cols + c) * 2 * LANES;
                    for (int lane = 0; lane < LANES; lane++) {
                        int nibble = lane & 0x0F;
                        tables[base + lane] = (byte) Galois.multiply(coefficient, nibble);
                        tables[base + LANES + lane] = (byte) Galois.multiply(coefficient, nibble << 4);
                    }
                }
            }
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
            int vectorBytes = byteCount - byteCount % LANES;
            int r = 0;
            while (r < rows) {
                int group = Math.min(GROUP, rows - r);
                if (group == 4) {
                    code4(inputs, inputOffset, outputs, outputOffset, vectorBytes, r);
                } else if (group == 3) {
                    code3(inputs, inputOffset, outputs, outputOffset, vectorBytes, r);
                } else if (group == 2) {
                    code2(inputs, inputOffset, outputs, outputOffset, vectorBytes, r);
                } else {
                    code1(inputs, inputOffset, outputs, outputOffset, vectorBytes, r);
                }
                r += group;
            }
            if (vectorBytes < byteCount) {
                codeTail(inputs, inputOffset + vectorBytes, outputs, outputOffset + vectorBytes,
                        byteCount - vectorBytes);
            }
        }

        private void codeTail(byte[][] inputs, int in, byte[][] outputs, int out, int length) {
            for (int r = 0; r < rows; r++) {
                byte[] output = outputs[r];
                for (int i = 0; i < length; i++) {
                    int sum = 0;
                    for (int c = 0; c < cols; c++) {
                        sum ^= scalarTables[r][c][inputs[c][in + i] & 0xFF];
                    }
                    output[out + i] = (byte) sum;
                }
            }
        }

        // The loops below deliberately call no helper methods of this class: C2 may refuse to inline a helper that
        // was already compiled on its own ("already compiled into a big method"), and every vector crossing such a
        // call is boxed, which costs a factor of 10 or more. Vector API methods themselves are always inlined.

        private void code4(byte[][] inputs, int in, byte[][] outputs, int out, int length, int r0) {
            byte[] o0 = outputs[r0];
            byte[] o1 = outputs[r0 + 1];
            byte[] o2 = outputs[r0 + 2];
            byte[] o3 = outputs[r0 + 3];
            int rowStride = cols * 2 * LANES;
            int t0 = r0 * rowStride;
            for (int i = 0; i < length; i += LANES) {
                ByteVector x = ByteVector.fromArray(SPECIES, inputs[0], in + i);
                ByteVector lo = x.and(LOW_MASK);
                ByteVector hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .and(LOW_MASK);
                ByteVector a0 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + LANES)));
                ByteVector a1 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + rowStride))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + rowStride + LANES)));
                ByteVector a2 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + 2 * rowStride))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + 2 * rowStride + LANES)));
                ByteVector a3 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + 3 * rowStride))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + 3 * rowStride + LANES)));
                for (int c = 1; c < cols; c++) {
                    x = ByteVector.fromArray(SPECIES, inputs[c], in + i);
                    lo = x.and(LOW_MASK);
                    hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and(LOW_MASK);
                    int t = t0 + c * 2 * LANES;
                    a0 = a0.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + LANES)));
                    a1 = a1.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t + rowStride)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + rowStride + LANES)));
                    a2 = a2.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t + 2 * rowStride)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(
                                            ByteVector.fromArray(SPECIES, tables, t + 2 * rowStride + LANES)));
                    a3 = a3.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t + 3 * rowStride)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(
                                            ByteVector.fromArray(SPECIES, tables, t + 3 * rowStride + LANES)));
                }
                a0.intoArray(o0, out + i);
                a1.intoArray(o1, out + i);
                a2.intoArray(o2, out + i);
                a3.intoArray(o3, out + i);
            }
        }

        private void code3(byte[][] inputs, int in, byte[][] outputs, int out, int length, int r0) {
            byte[] o0 = outputs[r0];
            byte[] o1 = outputs[r0 + 1];
            byte[] o2 = outputs[r0 + 2];
            int rowStride = cols * 2 * LANES;
            int t0 = r0 * rowStride;
            for (int i = 0; i < length; i += LANES) {
                ByteVector x = ByteVector.fromArray(SPECIES, inputs[0], in + i);
                ByteVector lo = x.and(LOW_MASK);
                ByteVector hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .and(LOW_MASK);
                ByteVector a0 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + LANES)));
                ByteVector a1 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + rowStride))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + rowStride + LANES)));
                ByteVector a2 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + 2 * rowStride))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + 2 * rowStride + LANES)));
                for (int c = 1; c < cols; c++) {
                    x = ByteVector.fromArray(SPECIES, inputs[c], in + i);
                    lo = x.and(LOW_MASK);
                    hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and(LOW_MASK);
                    int t = t0 + c * 2 * LANES;
                    a0 = a0.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + LANES)));
                    a1 = a1.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t + rowStride)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + rowStride + LANES)));
                    a2 = a2.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t + 2 * rowStride)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(
                                            ByteVector.fromArray(SPECIES, tables, t + 2 * rowStride + LANES)));
                }
                a0.intoArray(o0, out + i);
                a1.intoArray(o1, out + i);
                a2.intoArray(o2, out + i);
            }
        }

        private void code2(byte[][] inputs, int in, byte[][] outputs, int out, int length, int r0) {
            byte[] o0 = outputs[r0];
            byte[] o1 = outputs[r0 + 1];
            int rowStride = cols * 2 * LANES;
            int t0 = r0 * rowStride;
            for (int i = 0; i < length; i += LANES) {
                ByteVector x = ByteVector.fromArray(SPECIES, inputs[0], in + i);
                ByteVector lo = x.and(LOW_MASK);
                ByteVector hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .and(LOW_MASK);
                ByteVector a0 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + LANES)));
                ByteVector a1 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + rowStride))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + rowStride + LANES)));
                for (int c = 1; c < cols; c++) {
                    x = ByteVector.fromArray(SPECIES, inputs[c], in + i);
                    lo = x.and(LOW_MASK);
                    hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and(LOW_MASK);
                    int t = t0 + c * 2 * LANES;
                    a0 = a0.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + LANES)));
                    a1 = a1.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t + rowStride)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + rowStride + LANES)));
                }
                a0.intoArray(o0, out + i);
                a1.intoArray(o1, out + i);
            }
        }

        private void code1(byte[][] inputs, int in, byte[][] outputs, int out, int length, int r0) {
            byte[] o0 = outputs[r0];
            int rowStride = cols * 2 * LANES;
            int t0 = r0 * rowStride;
            for (int i = 0; i < length; i += LANES) {
                ByteVector x = ByteVector.fromArray(SPECIES, inputs[0], in + i);
                ByteVector lo = x.and(LOW_MASK);
                ByteVector hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                        .and(LOW_MASK);
                ByteVector a0 = lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t0))
                        .lanewise(VectorOperators.XOR,
                                hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t0 + LANES)));
                for (int c = 1; c < cols; c++) {
                    x = ByteVector.fromArray(SPECIES, inputs[c], in + i);
                    lo = x.and(LOW_MASK);
                    hi = x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes()
                            .and(LOW_MASK);
                    int t = t0 + c * 2 * LANES;
                    a0 = a0.lanewise(VectorOperators.XOR,
                            lo.selectFrom(ByteVector.fromArray(SPECIES, tables, t)))
                            .lanewise(VectorOperators.XOR,
                                    hi.selectFrom(ByteVector.fromArray(SPECIES, tables, t + LANES)));
                }
                a0.intoArray(o0, out + i);
            }
        }
    }
}
