package io.predastore.bench;

import io.predastore.node.erasure.ReedSolomon;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Codec throughput per CPU-second of the measuring thread, a complement to the JMH wall-clock scores for machines
 * shared with other work: time the thread spends descheduled is not counted. Same shapes and operations as
 * {@link ErasureCodecBenchmark}; MB/s counts input bytes ({@code data * shardSize} per operation).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * io.predastore.bench.CodecCpuThroughput [warmupCpuMillis] [measureCpuMillis]}.
 */
public final class CodecCpuThroughput {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CodecCpuThroughput() {
    }

    /** Entry point; prints one Markdown table row per shape and shard size. */
    public static void main(String[] args) {
        long warmupNanos = (args.length > 0 ? Long.parseLong(args[0]) : 500) * 1_000_000L;
        long measureNanos = (args.length > 1 ? Long.parseLong(args[1]) : 1000) * 1_000_000L;
        System.out.println("JDK " + Runtime.version() + ", kernel " + ReedSolomon.kernelName());
        System.out.println("| shape | shard | encode MB/cpu-s | decode-1 MB/cpu-s | decode-2 MB/cpu-s |");
        System.out.println("|---|---|---:|---:|---:|");
        int[][] shapes = {{3, 2}, {4, 2}, {10, 4}};
        for (int[] shape : shapes) {
            for (int shardSize : new int[] {64 * 1024, 1024 * 1024}) {
                int data = shape[0];
                int parity = shape[1];
                ReedSolomon codec = ReedSolomon.create(data, parity);
                byte[][] shards = new byte[data + parity][shardSize];
                Random random = new Random(42);
                for (int d = 0; d < data; d++) {
                    random.nextBytes(shards[d]);
                }
                boolean[] one = new boolean[data + parity];
                Arrays.fill(one, true);
                one[0] = false;
                boolean[] two = one.clone();
                two[1] = false;
                Runnable encode = () -> codec.encodeParity(shards, 0, shardSize);
                Runnable decodeOne = () -> codec.decodeMissing(shards, one, 0, shardSize);
                Runnable decodeTwo = () -> codec.decodeMissing(shards, two, 0, shardSize);
                double bytes = (double) data * shardSize;
                System.out.printf("| RS(%d,%d) | %d KiB | %.0f | %.0f | %.0f |%n", data, parity, shardSize / 1024,
                        measure(encode, bytes, warmupNanos, measureNanos),
                        measure(decodeOne, bytes, warmupNanos, measureNanos),
                        measure(decodeTwo, bytes, warmupNanos, measureNanos));
            }
        }
        byte[] source = new byte[MemoryCopyBenchmark.SIZE];
        byte[] target = new byte[MemoryCopyBenchmark.SIZE];
        Runnable copy = () -> System.arraycopy(source, 0, target, 0, source.length);
        System.out.printf("| memcpy 256 MiB | | %.0f | | |%n",
                measure(copy, source.length, warmupNanos, measureNanos));
    }

    /** Runs {@code op} for the warm-up CPU time, then returns MB of input per CPU-second over the measured time. */
    private static double measure(Runnable op, double bytesPerOp, long warmupNanos, long measureNanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        while (THREADS.getCurrentThreadCpuTime() - start < warmupNanos) {
            op.run();
        }
        long ops = 0;
        start = THREADS.getCurrentThreadCpuTime();
        long elapsed;
        do {
            op.run();
            ops++;
            elapsed = THREADS.getCurrentThreadCpuTime() - start;
        } while (elapsed < measureNanos);
        return ops * bytesPerOp / (elapsed / 1e9) / 1e6;
    }
}
