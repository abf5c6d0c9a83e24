package io.predastore.node.shard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Group-commit figures: N concurrent writers committing shards of one size; prints commits/s, segment fsyncs/s
 * and fsyncs per commit. Not a timed assertion. Run with
 * {@code mvn -B -o -pl node-runtime test -Dtest=SegmentShardStoreBenchmark -Dpredastore.bench=true} or call
 * {@link #main(String[])} with an optional directory.
 */
class SegmentShardStoreBenchmark {

    @Test
    @EnabledIfSystemProperty(named = "predastore.bench", matches = "true")
    void printGroupCommitFigures() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("shard-bench");
        System.out.printf("%-8s %-8s %9s %10s %10s %12s %9s%n", "writers", "size", "commits", "commits/s",
                "fsyncs/s", "fsync/commit", "MiB/s");
        int run = 0;
        for (int size : new int[] {4 << 10, 1 << 20}) {
            for (int writers : new int[] {1, 8, 32}) {
                int perWriter = size == 4 << 10 ? Math.max(20, 1600 / writers) : Math.max(4, 128 / writers);
                Path dir = base.resolve("run-" + run++);
                bench(dir, writers, perWriter, size);
                deleteTree(dir);
            }
        }
    }

    private static void bench(Path dir, int writers, int perWriter, int size) throws Exception {
        try (SegmentShardStore store = SegmentShardStore.open(dir)) {
            byte[] payload = new byte[size];
            new Random(1).nextBytes(payload);
            CyclicBarrier start = new CyclicBarrier(writers + 1);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perWriter; i++) {
                            try (ShardWriter sw = store.create(new ShardId("bench-" + writer + "-" + i, 0))) {
                                sw.write(ByteBuffer.wrap(payload));
                                sw.commit();
                            }
                        }
                    } catch (Exception e) {
                        errors.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            start.await();
            long t0 = System.nanoTime();
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!errors.isEmpty()) {
                throw new IllegalStateException("benchmark writer failed", errors.get(0));
            }
            SegmentShardStore.Stats s = store.stats();
            System.out.printf("%-8d %-8s %9d %10.0f %10.0f %12.2f %9.1f%n", writers,
                    size >= 1 << 20 ? (size >> 20) + "MiB" : (size >> 10) + "KiB", s.commits(),
                    s.commits() / seconds, s.segmentFsyncs() / seconds, (double) s.segmentFsyncs() / s.commits(),
                    s.commits() * (double) size / (1 << 20) / seconds);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
