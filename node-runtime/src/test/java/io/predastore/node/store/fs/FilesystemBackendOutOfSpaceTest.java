package io.predastore.node.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.predastore.node.disk.DiskHealth;
import io.predastore.node.disk.DiskReserve;
import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.disk.TmpfsMount;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.TestBodiesAccess;
import io.predastore.node.store.WritePrecondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when the file system really runs out under the filesystem backend, as when another process fills
 * it: on a 24 MiB tmpfs, first with a reserve that is blind to the disk (so RocksDB itself meets ENOSPC in the
 * middle of writes and flushes), then with one that reads it. Each refused write must be a
 * {@link StorageFullException} that leaves no temp file; a RocksDB that stopped writing must be reported by the
 * disk's health; no write may hang for good, deletes included; and once space is freed outside the node, writes
 * succeed again without reopening anything (RocksDB recovers through the disk's file manager).
 */
class FilesystemBackendOutOfSpaceTest {
    private static final long MIB = 1024 * 1024;
    private static final int SMALL = 32 * 1024;

    @TempDir
    Path tmp;
    TmpfsMount mount;
    NodeDisk disk;
    FilesystemBackend backend;
    /** While set, the reserve reads the disk as roomy, so only the file system itself says no. */
    final AtomicBoolean blind = new AtomicBoolean(true);
    final ExecutorService writer = Executors.newSingleThreadExecutor();
    Path ballast;

    @BeforeEach
    void open() throws Exception {
        mount = TmpfsMount.mount(tmp.resolve("disk"), "24m");
        ballast = mount.dir().resolve("ballast");
        FileStore store = Files.getFileStore(mount.dir());
        disk = new NodeDisk(new DiskReserve(mount.dir().toString(), 4 * MIB, () -> {
            try {
                return blind.get() ? 1L << 40 : store.getUsableSpace();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, System::nanoTime), System::nanoTime);
        backend = FilesystemBackend.open(mount.dir().resolve("data"), Clock.systemUTC(), disk);
        backend.createBucket("b", "us-east-1");
    }

    @AfterEach
    void close() throws Exception {
        try {
            // A write still waiting for space would hold up closing the backend.
            Files.deleteIfExists(ballast);
            writer.shutdown();
            assertThat(writer.awaitTermination(60, TimeUnit.SECONDS)).as("the writer ended").isTrue();
            if (backend != null) {
                backend.close();
            }
            if (disk != null) {
                disk.close();
            }
        } finally {
            writer.shutdownNow();
            if (mount != null) {
                mount.close();
            }
        }
    }

    @Test
    void fileSystemRunsOut_writesFailAsStorageFullWithoutHanging_thenRecoverOnceSpaceIsFreed() throws Exception {
        try (OutputStream out = Files.newOutputStream(ballast)) {
            out.write(new byte[(int) (6 * MIB)]);
        }
        List<String> stored = new CopyOnWriteArrayList<>();
        Future<Exception> fill = writer.submit(() -> {
            for (int i = 0; i < 2000; i++) {
                try {
                    put("small-" + i, i, SMALL);
                    stored.add("small-" + i);
                } catch (IOException e) {
                    return e;
                }
            }
            return null;
        });
        // Until the file system refuses a write, or RocksDB stops writing and holds the writer (then checks see it).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            disk.check();
            return fill.isDone() || !disk.health().problems().isEmpty();
        });
        DiskHealth during = disk.health();
        System.out.printf("out of space after %d objects; writer %s; RocksDB %s%n", stored.size(),
                fill.isDone() ? "refused" : "waiting", during.problems().isEmpty() ? "kept accepting writes"
                        : "stopped writing: " + during.problems());
        if (fill.isDone()) {
            assertThat(fill.get()).isInstanceOf(StorageFullException.class)
                    .hasMessageEndingWith(StorageFullException.WHAT_TO_DO);
        }
        assertThat(during.problems()).allSatisfy(p -> assertThat(p)
                .startsWith("the metadata database refuses writes")
                .endsWith("it resumes by itself once space is freed"));
        assertThat(stored).hasSizeGreaterThan(100);

        // From here the reserve sees the disk as it is: full.
        blind.set(false);
        disk.check();
        assertThat(disk.health().belowReserve()).isTrue();
        assertThat(disk.atRisk()).isTrue();
        assertThatThrownBy(() -> put("large", 7, 2 * MIB)).isInstanceOf(StorageFullException.class);
        assertThat(files(mount.dir().resolve("data/tmp"))).isEmpty();
        // A delete goes through or is refused, but never waits for a flush that finds no room.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                backend.deleteObject("b", stored.get(0));
                stored.remove(0);
            } catch (StorageFullException e) {
                assertThat(e).hasMessageEndingWith(StorageFullException.WHAT_TO_DO);
            }
        });

        Files.delete(ballast);

        // A writer that was waiting ends, and new writes succeed as the disk is checked (as a node does).
        Exception ended = fill.get(30, TimeUnit.SECONDS);
        if (ended != null) {
            assertThat(ended).isInstanceOf(StorageFullException.class);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .ignoreException(StorageFullException.class).untilAsserted(() -> {
                    disk.check();
                    put("after", 99, SMALL);
                });
        disk.check();
        assertThat(disk.health().problems()).isEmpty();
        assertThat(disk.health().belowReserve()).isFalse();
        put("large", 7, 2 * MIB);
        for (String key : stored) {
            try (ObjectHandle h = backend.getObject("b", key); InputStream in = h.open(0, SMALL).openStream()) {
                assertThat(TestBodiesAccess.compare(in, Long.parseLong(key.substring("small-".length()))))
                        .isEqualTo(SMALL);
            }
        }
    }

    private void put(String key, long seed, long length) throws IOException {
        backend.putObject(new PutObjectRequest("b", key, length, ObjectMetadata.EMPTY, null, () -> null,
                WritePrecondition.NONE), TestBodiesAccess.generated(seed, length));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
