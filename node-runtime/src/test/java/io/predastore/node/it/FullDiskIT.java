package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.predastore.node.disk.TmpfsMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A single node whose data directory is a 96 MiB tmpfs, with a 24 MiB free-space reserve, filled through the AWS
 * SDK with large, multipart, small and empty objects until it refuses them. Then every kind of write must be
 * refused with {@code 507 StorageFull} while every acknowledged object still reads back byte for byte and listings
 * work; deletes, a batch delete and an abort must work on the full disk; afterwards writes succeed again without a
 * restart, and no temp or orphaned blob file is left.
 */
class FullDiskIT {
    private static final long MIB = 1024 * 1024;
    private static final String BUCKET = "full";
    /** Objects up to this size are kept in their record by the filesystem backend, the others in blob files. */
    private static final long INLINE_LIMIT = 64 * 1024;

    @TempDir
    static Path tmp;
    static TmpfsMount disk;
    static NodeProcess node;
    static S3Client s3;

    /** Every acknowledged object: its content seed and size, and how many blob files hold it. */
    private final Map<String, Stored> stored = new TreeMap<>();
    /** Multipart uploads left in progress when the disk filled, by id, with their keys. */
    private final Map<String, String> abandoned = new LinkedHashMap<>();
    private long nextSeed = 1;

    private record Stored(long seed, long size, int blobs) {
    }

    @BeforeAll
    static void start() throws Exception {
        disk = TmpfsMount.mount(tmp.resolve("data"), "96m");
        try {
            node = NodeProcess.start(disk.dir(), "256m", "--reserve", "24MiB");
            s3 = Clients.s3(node.endpoint());
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (s3 != null) {
                s3.close();
            }
            if (node != null) {
                node.close();
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    void fullDisk_refusesNewDataWith507_keepsServingReadsAndDeletes_andRecoversWithoutRestart() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        // Begun while there is room: an upload to add a part to and complete later, and a source for copies.
        String pending = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("pending")).uploadId();
        long pendingSeed = nextSeed++;
        CompletedPart pendingPart = uploadPart("pending", pending, 1, Generated.body(pendingSeed, 5 * MIB));
        put("copy-source", 2 * MIB);

        int large = fillUntilRefused("large objects", i -> put("large-" + i, 3 * MIB));
        int multipart = fillUntilRefused("multipart uploads", i -> putMultipart("multipart-" + i));
        int small = fillUntilRefused("small objects", i -> put("small-" + i, 8 * 1024));
        int empty = fillUntilRefused("empty objects", i -> put("empty-" + i, 0));
        assertThat(large).as("large objects stored before the disk filled").isGreaterThan(10);
        assertThat(small + empty).as("small objects stored after the large ones were refused").isPositive();
        System.out.printf("full disk: %d large, %d multipart, %d small, %d empty objects; %d MiB free%n", large,
                multipart, small, empty, disk.usableBytes() / MIB);

        // Every kind of write is refused, cleanly.
        assertStorageFull(() -> put("refused-large", 3 * MIB));
        assertStorageFull(() -> put("refused-small", 1024));
        assertStorageFull(() -> put("refused-empty", 0));
        assertStorageFull(() -> s3.createBucket(b -> b.bucket("refused-bucket")));
        assertStorageFull(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("refused-upload")));
        assertStorageFull(() -> uploadPart("pending", pending, 2, Generated.body(nextSeed++, MIB)));
        assertStorageFull(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
                .destinationBucket(BUCKET).destinationKey("pending").uploadId(pending).partNumber(3)));
        assertStorageFull(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("pending").uploadId(pending)
                .multipartUpload(m -> m.parts(pendingPart))));
        assertStorageFull(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source")
                .destinationBucket(BUCKET).destinationKey("refused-copy")));
        assertThat(node.log()).contains("below the reserve of 24.0 MiB: new data is refused");

        // Reads keep working: every acknowledged object, byte for byte, and the listing has exactly them.
        assertEverythingReadsBack();
        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("pending").uploadId(pending)).parts()).hasSize(1);

        // Deletes free space on the full disk: single deletes, a batch delete and aborts.
        List<String> larges = stored.keySet().stream().filter(k -> k.startsWith("large-")).toList();
        for (String key : larges.subList(0, larges.size() / 2)) {
            s3.deleteObject(b -> b.bucket(BUCKET).key(key));
            stored.remove(key);
        }
        List<ObjectIdentifier> batch = stored.keySet().stream()
                .filter(k -> k.startsWith("multipart-") || k.startsWith("small-"))
                .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        for (int from = 0; from < batch.size(); from += 1000) {
            List<ObjectIdentifier> page = batch.subList(from, Math.min(batch.size(), from + 1000));
            assertThat(s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(page))).errors()).isEmpty();
        }
        batch.forEach(id -> stored.remove(id.key()));
        abandoned.forEach((id, key) -> s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(id)));
        abandoned.clear();
        assertEverythingReadsBack();

        // The same node, not restarted, takes new data again.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreException(S3Exception.class)
                .untilAsserted(() -> put("after-large", 3 * MIB));
        put("after-small", 8 * 1024);
        putMultipart("after-multipart");
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy-source").destinationBucket(BUCKET)
                .destinationKey("after-copy"));
        stored.put("after-copy", stored.get("copy-source"));
        s3.createBucket(b -> b.bucket("after-bucket"));
        // A part added after the disk filled, but only the first part listed: the unlisted one is dropped.
        uploadPart("pending", pending, 2, Generated.body(nextSeed++, MIB));
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("pending").uploadId(pending)
                .multipartUpload(m -> m.parts(pendingPart)));
        stored.put("pending", new Stored(pendingSeed, 5 * MIB, 1));
        assertEverythingReadsBack();

        // Nothing was left behind by the refused writes: no temp file, and one blob file per stored blob.
        assertThat(files(disk.dir().resolve("tmp"))).as("temp files").isEmpty();
        int expectedBlobs = stored.values().stream().mapToInt(Stored::blobs).sum();
        assertThat(files(disk.dir().resolve("blobs"))).as("blob files").hasSize(expectedBlobs);
        // An unexpected failure becomes InternalError, logged at ERROR by the S3 service.
        assertThat(node.log()).doesNotContainPattern("ERROR .*S3Service").contains("new data is accepted again");
    }

    private static CompletedPart uploadPart(String key, String uploadId, int number,
            software.amazon.awssdk.core.sync.RequestBody body) {
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number), body)
                .eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    private void put(String key, long size) {
        long seed = nextSeed++;
        s3.putObject(b -> b.bucket(BUCKET).key(key), Generated.body(seed, size));
        stored.put(key, new Stored(seed, size, size > INLINE_LIMIT ? 1 : 0));
    }

    /** A 6 MiB object in two parts (5 MiB and 1 MiB) of one generated stream. */
    private void putMultipart(String key) {
        long seed = nextSeed++;
        String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        abandoned.put(id, key);
        List<CompletedPart> parts = List.of(uploadPart(key, id, 1, Generated.body(seed, 0, 5 * MIB)),
                uploadPart(key, id, 2, Generated.body(seed, 5 * MIB, MIB)));
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
        abandoned.remove(id);
        stored.put(key, new Stored(seed, 6 * MIB, 2));
    }

    private interface Write {
        void run(int i);
    }

    /** Runs {@code write(0)}, {@code write(1)}, ... until one is refused with 507; returns how many succeeded. */
    private static int fillUntilRefused(String what, Write write) {
        for (int i = 0; i < 10_000; i++) {
            try {
                write.run(i);
            } catch (S3Exception e) {
                assertIsStorageFull(e);
                return i;
            }
        }
        return fail("the node still accepted " + what + " after 10000 of them");
    }

    private void assertEverythingReadsBack() {
        for (Map.Entry<String, Stored> e : stored.entrySet()) {
            Stored s = e.getValue();
            assertThat(s3.headObject(b -> b.bucket(BUCKET).key(e.getKey())).contentLength()).as(e.getKey())
                    .isEqualTo(s.size());
            assertThat(Generated.md5(s3.getObject(b -> b.bucket(BUCKET).key(e.getKey())))).as(e.getKey())
                    .isEqualTo(Generated.md5(s.seed(), 0, s.size()));
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        do {
            String from = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(100).continuationToken(from));
            page.contents().stream().map(S3Object::key).forEach(listed::add);
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(listed).containsExactlyElementsOf(stored.keySet());
    }

    private static void assertStorageFull(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, FullDiskIT::assertIsStorageFull);
    }

    private static void assertIsStorageFull(S3Exception e) {
        assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(507);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("StorageFull");
        assertThat(e.awsErrorDetails().errorMessage()).contains("Delete objects or abort multipart uploads");
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
