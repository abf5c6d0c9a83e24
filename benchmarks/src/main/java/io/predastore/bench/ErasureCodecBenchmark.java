package io.predastore.bench;

import io.predastore.node.erasure.ReedSolomon;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-threaded throughput of {@link ReedSolomon} encode and decode. Scores are operations per second; one
 * operation processes {@code data * shardSize} input bytes, so {@code MB/s = ops/s * data * shardSize / 1e6}.
 *
 * <p>Decode benchmarks erase the first one or two data shards and rebuild them from the remaining data shards and
 * the first parity shards, which is the common read-repair case.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dpredastore.erasure.kernel=vector",
    "-Xmx1g"})
@State(Scope.Thread)
public class ErasureCodecBenchmark {

    /** Shard counts as {@code data+parity}. */
    @Param({"3+2", "4+2", "10+4"})
    public String shape;

    /** Bytes per shard. */
    @Param({"65536", "1048576"})
    public int shardSize;

    private ReedSolomon codec;
    private byte[][] shards;
    private boolean[] oneMissing;
    private boolean[] twoMissing;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("\\+");
        int data = Integer.parseInt(parts[0]);
        int parity = Integer.parseInt(parts[1]);
        codec = ReedSolomon.create(data, parity);
        shards = new byte[data + parity][shardSize];
        Random random = new Random(42);
        for (int d = 0; d < data; d++) {
            random.nextBytes(shards[d]);
        }
        codec.encodeParity(shards, 0, shardSize);
        oneMissing = new boolean[data + parity];
        Arrays.fill(oneMissing, true);
        oneMissing[0] = false;
        twoMissing = oneMissing.clone();
        twoMissing[1] = false;
    }

    @Benchmark
    public byte[][] encode() {
        codec.encodeParity(shards, 0, shardSize);
        return shards;
    }

    @Benchmark
    public byte[][] decodeOneMissing() {
        codec.decodeMissing(shards, oneMissing, 0, shardSize);
        return shards;
    }

    @Benchmark
    public byte[][] decodeTwoMissing() {
        codec.decodeMissing(shards, twoMissing, 0, shardSize);
        return shards;
    }
}
