package io.predastore.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Memory-bandwidth baseline for the codec figures: one operation copies {@value #SIZE} bytes with
 * {@link System#arraycopy}, so {@code MB/s = ops/s * 268435456 / 1e6}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Thread)
public class MemoryCopyBenchmark {

    /** Bytes copied per operation: 256 MiB, far larger than any cache. */
    public static final int SIZE = 256 * 1024 * 1024;

    private byte[] source;
    private byte[] target;

    @Setup(Level.Trial)
    public void setUp() {
        source = new byte[SIZE];
        target = new byte[SIZE];
        for (int i = 0; i < SIZE; i += 4096) {
            source[i] = (byte) i;
        }
    }

    @Benchmark
    public byte[] arraycopy() {
        System.arraycopy(source, 0, target, 0, SIZE);
        return target;
    }
}
