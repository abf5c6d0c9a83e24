package io.predastore.node.erasure;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A kernel that codes with the scalar kernel until the vector kernel has been compiled by the JIT, then switches.
 *
 * <p>Why: until C2 compiles and intrinsifies its loops, the Vector API runs a Java fallback that allocates per lane
 * operation and is a hundred times slower than the scalar table kernel. A freshly started node (or one on a busy
 * machine, where compilation waits for a free core) would spend its first minutes coding at a few MB/s. The scalar
 * kernel needs no intrinsics and is fast as soon as it is compiled at all.
 *
 * <p>A daemon thread repeatedly codes a scratch stripe with both kernels and switches every prepared coder to the
 * vector kernel once it is faster than the scalar one several times in a row. It gives up after three minutes
 * (by default) and then keeps whichever kernel was faster in the last round, so a JVM where the vector
 * kernel never gets fast (emulated SIMD, a disabled C2) keeps the scalar one. Both kernels produce identical bytes,
 * so switching in the middle of an object is harmless. Thread-safe.
 */
final class WarmingCodingKernel implements CodingKernel {

    /** Consecutive rounds the vector kernel must win before it is used. */
    private static final int WINS_NEEDED = 3;

    private static final long MAX_WARM_UP_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final long maxWarmUpNanos;

    /** Bytes per shard in one warm-up call: a small stripe chunk, so loop bodies dominate yet calls are many. */
    private static final int CALL_BYTES = 2048;

    /** Calls per coder per timed round. */
    private static final int CALLS_PER_ROUND = 64;

    private final CodingKernel scalar;
    private final CodingKernel vector;
    private volatile boolean vectorReady;
    private volatile boolean settled;

    private WarmingCodingKernel(CodingKernel scalar, CodingKernel vector, long maxWarmUpNanos) {
        this.scalar = scalar;
        this.vector = vector;
        this.maxWarmUpNanos = maxWarmUpNanos;
    }

    /** Creates the kernel and starts its warm-up thread. */
    static WarmingCodingKernel start(CodingKernel scalar, CodingKernel vector) {
        return start(scalar, vector, MAX_WARM_UP_NANOS);
    }

    /**
     * Whether this JVM can compile the vector kernel at all: the Vector API needs C2, which
     * {@code -XX:TieredStopAtLevel} below 4, {@code -Xint} or {@code -XX:-UseCompiler} rule out.
     */
    static boolean optimizingCompilerEnabled() {
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.equals("-Xint") || arg.equals("-XX:-UseCompiler")
                    || arg.matches("-XX:TieredStopAtLevel=[0-3]")) {
                return false;
            }
        }
        return true;
    }

    /** Creates the kernel and starts its warm-up thread, which gives up after {@code maxWarmUpNanos}. */
    static WarmingCodingKernel start(CodingKernel scalar, CodingKernel vector, long maxWarmUpNanos) {
        WarmingCodingKernel kernel = new WarmingCodingKernel(scalar, vector, maxWarmUpNanos);
        Thread warmUp = new Thread(kernel::warmUp, "erasure-kernel-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
        return kernel;
    }

    /** Reports the kernel in use now: the vector kernel's name once it has taken over, else the scalar one's. */
    @Override
    public String name() {
        return vectorReady ? vector.name() : scalar.name() + " (until " + vector.name() + " is compiled)";
    }

    /** Whether the warm-up has ended, with either kernel chosen. */
    boolean settled() {
        return settled;
    }

    /** Whether coders now use the vector kernel. */
    boolean vectorReady() {
        return vectorReady;
    }

    @Override
    public MatrixCoder prepare(byte[][] matrix) {
        MatrixCoder slow = scalar.prepare(matrix);
        MatrixCoder fast = vector.prepare(matrix);
        return new MatrixCoder() {
            @Override
            public int inputCount() {
                return slow.inputCount();
            }

            @Override
            public int outputCount() {
                return slow.outputCount();
            }

            @Override
            public void code(byte[][] inputs, int inputOffset, byte[][] outputs, int outputOffset, int byteCount) {
                (vectorReady ? fast : slow).code(inputs, inputOffset, outputs, outputOffset, byteCount);
            }
        };
    }

    private void warmUp() {
        try {
            // Matrices of one to four rows, so every output-group variant of the vector kernel gets compiled; the
            // coefficients are arbitrary non-zero values, what matters is the loop shape.
            MatrixCoder[] slow = new MatrixCoder[4];
            MatrixCoder[] fast = new MatrixCoder[4];
            for (int rows = 1; rows <= 4; rows++) {
                byte[][] matrix = new byte[rows][3];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < 3; c++) {
                        matrix[r][c] = (byte) (1 + r * 3 + c);
                    }
                }
                slow[rows - 1] = scalar.prepare(matrix);
                fast[rows - 1] = vector.prepare(matrix);
            }
            Random random = ThreadLocalRandom.current();
            byte[][] inputs = new byte[3][CALL_BYTES];
            for (byte[] input : inputs) {
                random.nextBytes(input);
            }
            byte[][] outputs = new byte[4][CALL_BYTES];
            long deadline = System.nanoTime() + maxWarmUpNanos;
            int wins = 0;
            boolean lastWon = false;
            while (System.nanoTime() < deadline) {
                long vectorNanos = time(fast, inputs, outputs);
                long scalarNanos = time(slow, inputs, outputs);
                lastWon = vectorNanos < scalarNanos;
                wins = lastWon ? wins + 1 : 0;
                if (wins >= WINS_NEEDED) {
                    break;
                }
                // Leave the cores to real work: rest nine times as long as the round took, so the warm-up uses at
                // most a tenth of a core even while the uncompiled vector kernel makes each round slow.
                long restNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), 9 * (vectorNanos + scalarNanos));
                TimeUnit.NANOSECONDS.sleep(restNanos);
            }
            vectorReady = lastWon;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            vectorReady = false;
        } finally {
            settled = true;
        }
    }

    /**
     * Nanoseconds for many short calls on every coder. Short calls, like those of real stripes, make the JIT
     * compile the methods themselves: a few long calls would only get on-stack-replacement compilations of their
     * loops, which are fast in this thread while ordinary calls elsewhere still run the slow fallback.
     */
    private static long time(MatrixCoder[] coders, byte[][] inputs, byte[][] outputs) {
        long start = System.nanoTime();
        for (int i = 0; i < CALLS_PER_ROUND; i++) {
            for (MatrixCoder coder : coders) {
                coder.code(inputs, 0, outputs, 0, CALL_BYTES);
            }
        }
        return System.nanoTime() - start;
    }
}
