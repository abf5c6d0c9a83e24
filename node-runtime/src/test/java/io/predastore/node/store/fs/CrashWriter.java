package io.predastore.node.store.fs;

import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.TestBodiesAccess;
import io.predastore.node.store.WritePrecondition;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A child process for {@link FilesystemBackendCrashTest}: overwrites a few keys from several threads until it
 * is killed, printing {@code try key seed size} before and {@code ack key seed size} after each PUT.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FilesystemBackend backend = FilesystemBackend.open(Path.of(args[0]), Clock.systemUTC());
        backend.createBucket("crash", "us-east-1");
        out.println("ready");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                for (long i = 0; ; i++) {
                    long seed = thread * 1_000_000_000L + i;
                    String key = "key-" + (i % 5) + "-" + thread;
                    long size = i % 3 == 0 ? 1000 : 150_000 + i;
                    synchronized (out) {
                        out.println("try " + key + " " + seed + " " + size);
                    }
                    backend.putObject(new PutObjectRequest("crash", key, size, ObjectMetadata.EMPTY, null,
                            () -> null, WritePrecondition.NONE), TestBodiesAccess.generated(seed, size));
                    synchronized (out) {
                        out.println("ack " + key + " " + seed + " " + size);
                    }
                }
            });
        }
        pool.awaitTermination(1, TimeUnit.HOURS);
    }
}
