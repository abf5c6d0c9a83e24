package io.predastore.node.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.disk.FakeDisk;
import io.predastore.node.store.Backend;
import io.predastore.node.store.BackendContractTest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListObjectsResult;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.PutObjectRequest;
import io.predastore.node.store.WritePrecondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FilesystemBackendTest extends BackendContractTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    /** Shared by the tests of this class and closed after them: a disk must outlive the databases opened on it. */
    private static FakeDisk space;

    @Override
    protected Backend newBackend(Path dir) throws IOException {
        if (space == null) {
            space = FakeDisk.roomy();
        }
        space.full(false);
        return FilesystemBackend.open(dir, CLOCK, space.disk);
    }

    @Override
    protected void diskFull(boolean full) {
        space.full(full);
    }

    @AfterAll
    static void closeDisk() {
        if (space != null) {
            space.disk.close();
            space = null;
        }
    }

    private FilesystemBackend fs() {
        return (FilesystemBackend) backend;
    }

    @Override
    protected Set<String> dataFiles() throws IOException {
        Set<String> files = new TreeSet<>();
        for (String sub : List.of("tmp", "blobs")) {
            try (Stream<Path> walk = Files.walk(dir.resolve(sub))) {
                walk.filter(Files::isRegularFile).forEach(p -> files.add(dir.relativize(p).toString()));
            }
        }
        return files;
    }

    private static byte[] utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reopen_afterWrites_readsEverythingBack() throws Exception {
        backend.createBucket("second", "eu-central-1");
        ObjectInfo small = put(BUCKET, "small", utf8Bytes("tiny"));
        ObjectInfo big = putGenerated("big", 9, 700_000);
        String id = backend.createMultipartUpload(BUCKET, "mp", ObjectMetadata.EMPTY);
        PartInfo p1 = uploadPart("mp", id, 1, 11, 5 * MIB, null);
        PartInfo p2 = uploadPart("mp", id, 2, 12, 10, null);
        ObjectInfo mp = complete("mp", id, List.of(new CompletedPart(1, p1.etag()), new CompletedPart(2,
                p2.etag())));
        String pending = backend.createMultipartUpload(BUCKET, "pending", ObjectMetadata.EMPTY);
        uploadPart("pending", pending, 3, utf8Bytes("three"));

        reopen();

        assertThat(backend.listBuckets()).hasSize(2);
        assertThat(backend.headBucket("second").region()).isEqualTo("eu-central-1");
        assertThat(backend.headObject(BUCKET, "small")).isEqualTo(small);
        assertThat(read(BUCKET, "small")).isEqualTo(utf8Bytes("tiny"));
        assertThat(backend.headObject(BUCKET, "big")).isEqualTo(big);
        try (ObjectHandle h = backend.getObject(BUCKET, "big"); ObjectBody b = h.open(0, 700_000);
                InputStream in = b.openStream()) {
            assertThat(io.predastore.node.store.TestBodiesAccess.compare(in, 9)).isEqualTo(700_000);
        }
        assertThat(backend.headObject(BUCKET, "mp")).isEqualTo(mp);
        assertThat(backend.listParts(BUCKET, "pending", pending, 0, 10).parts()).extracting(PartInfo::partNumber)
                .containsExactly(3);
        assertThat(dataFiles()).allMatch(f -> f.startsWith("blobs")).hasSize(4);
    }

    @Test
    void open_withLeftoversOfACrash_removesThem() throws IOException {
        putGenerated("kept", 1, 100_000);
        Set<String> committed = dataFiles();
        BlobStore blobs = fs().blobs();
        // a write that crashed before its rename
        Files.write(blobs.tmpPath(BlobStore.newId()), new byte[100]);
        // a write that crashed after its rename but before the commit
        String renamed = BlobStore.newId();
        fs().writeIntent(renamed);
        Files.write(blobs.blobPath(renamed), new byte[100]);
        // an intent whose file never reached blobs/
        fs().writeIntent(BlobStore.newId());
        // an overwrite that committed but crashed before deleting the replaced blob
        String replaced = BlobStore.newId();
        Files.write(blobs.blobPath(replaced), new byte[100]);
        fs().writeGarbage(replaced);
        assertThat(dataFiles()).hasSize(committed.size() + 3);

        reopen();

        assertThat(dataFiles()).isEqualTo(committed);
        assertThat(backend.headObject(BUCKET, "kept").size()).isEqualTo(100_000);
        reopen();
        assertThat(dataFiles()).isEqualTo(committed);
    }

    @Test
    void getObject_handleOpenedBeforeOverwriteAndDelete_stillReadsOldBytes() throws Exception {
        putGenerated("k", 21, 300_000);
        String id = backend.createMultipartUpload(BUCKET, "mp", ObjectMetadata.EMPTY);
        PartInfo p1 = uploadPart("mp", id, 1, 100, 5 * MIB, null);
        PartInfo p2 = uploadPart("mp", id, 2, 101, 1000, null);
        complete("mp", id, List.of(new CompletedPart(1, p1.etag()), new CompletedPart(2, p2.etag())));
        Set<String> before = dataFiles();

        ObjectHandle old = backend.getObject(BUCKET, "k");
        try (ObjectHandle oldMp = backend.getObject(BUCKET, "mp")) {
            ObjectBody early = old.open(0, 300_000);
            putGenerated("k", 22, 400_000);
            backend.deleteObject(BUCKET, "mp");
            assertThat(dataFiles()).hasSize(before.size() - 2);

            try (ObjectBody body = old.open(0, 300_000); InputStream in = body.openStream()) {
                assertThat(io.predastore.node.store.TestBodiesAccess.compare(in, 21)).isEqualTo(300_000);
            }
            try (ObjectBody body = oldMp.open(5 * MIB - 5, 10); InputStream in = body.openStream()) {
                byte[] bytes = in.readAllBytes();
                assertThat(bytes).hasSize(10);
                assertThat(bytes[9]).isEqualTo(io.predastore.node.store.TestBodiesAccess.byteAt(101, 4));
            }
            old.close();
            // a body stays readable after its handle is closed, through its slices too
            ByteBuffer buf = ByteBuffer.allocate(16);
            ObjectBody.FileSlice slice = early.fileSlices().get(0);
            assertThat(slice.channel().read(buf, 0)).isEqualTo(16);
            early.close();
            assertThat(slice.channel().isOpen()).isFalse();
        }
        try (ObjectHandle now = backend.getObject(BUCKET, "k"); ObjectBody b = now.open(0, 400_000);
                InputStream in = b.openStream()) {
            assertThat(io.predastore.node.store.TestBodiesAccess.compare(in, 22)).isEqualTo(400_000);
        }
    }

    @Test
    void getObject_duringConcurrentOverwrites_alwaysReadsOneWholeVersion() throws Exception {
        long size = 100_000;
        putGenerated("hot", 0, size);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        putGenerated("hot", writer * 1000 + i, i % 4 == 0 ? 100 : size);
                    }
                    return 0;
                }));
            }
            for (int r = 0; r < 4; r++) {
                futures.add(pool.submit(() -> {
                    int reads = 0;
                    for (int i = 0; i < 80; i++) {
                        try (ObjectHandle h = backend.getObject(BUCKET, "hot")) {
                            byte[] bytes = readRange(h, 0, h.info().size());
                            assertThat(md5Hex(bytes)).isEqualTo(h.info().etag());
                            reads++;
                        }
                    }
                    return reads;
                }));
            }
            int reads = 0;
            for (Future<Integer> f : futures) {
                reads += f.get();
            }
            assertThat(reads).isEqualTo(320);
        } finally {
            pool.shutdownNow();
        }
        assertThat(dataFiles().size()).isLessThanOrEqualTo(1);
    }

    @Test
    void putObject_smallBody_storedInlineWithoutFiles() throws IOException {
        Set<String> before = dataFiles();

        put(BUCKET, "inline", new byte[FilesystemBackend.INLINE_LIMIT]);
        putGenerated("blob", 1, FilesystemBackend.INLINE_LIMIT + 1);

        assertThat(dataFiles()).hasSize(before.size() + 1);
        try (ObjectHandle h = backend.getObject(BUCKET, "inline"); ObjectBody b = h.open(0, 10)) {
            assertThat(b.fileSlices()).isEmpty();
        }
    }

    @Test
    void putObject_overwritesAndDeletes_leaveNoGarbageFiles() throws Exception {
        Set<String> before = dataFiles();
        putGenerated("k", 1, 100_000);
        putGenerated("k", 2, 100_000);
        put(BUCKET, "k", utf8Bytes("small"));
        putGenerated("j", 3, 100_000);
        backend.deleteObject(BUCKET, "j");

        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void completeMultipartUpload_unlistedParts_areCollected() throws IOException {
        Set<String> before = dataFiles();
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        uploadPart("k", id, 1, utf8Bytes("one"));
        PartInfo two = uploadPart("k", id, 2, utf8Bytes("two"));
        uploadPart("k", id, 3, utf8Bytes("three"));

        complete("k", id, List.of(new CompletedPart(2, two.etag())));

        assertThat(dataFiles()).hasSize(before.size() + 1);
        backend.deleteObject(BUCKET, "k");
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void completeMultipartUpload_tenThousandParts_works() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "many", ObjectMetadata.EMPTY);
        List<CompletedPart> parts = new ArrayList<>();
        // only the last part may be small; here all are small and listed singly to keep the test quick,
        // then one completion uses the last part only: the full 10,000-part path is exercised by listing
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<PartInfo>> futures = new ArrayList<>();
            for (int n = 1; n <= 10_000; n++) {
                int number = n;
                futures.add(pool.submit(() -> uploadPart("many", id, number, new byte[] {(byte) number})));
            }
            for (Future<PartInfo> f : futures) {
                PartInfo p = f.get();
                parts.add(new CompletedPart(p.partNumber(), p.etag()));
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        int listed = 0;
        int marker = 0;
        while (true) {
            var page = backend.listParts(BUCKET, "many", id, marker, 1000);
            listed += page.parts().size();
            marker = page.nextPartNumberMarker();
            if (!page.truncated()) {
                break;
            }
        }
        assertThat(listed).isEqualTo(10_000);
        // all parts but the last are below 5 MiB, so the full list is rejected without storing anything
        io.predastore.node.store.TestBodiesAccess.assertEntityTooSmall(() -> complete("many", id, parts));

        ObjectInfo last = complete("many", id, parts.subList(9_999, 10_000));

        assertThat(last.size()).isEqualTo(1);
        assertThat(dataFiles()).hasSize(1);
    }

    @Test
    void listObjects_delimiter_seeksPastCommonPrefixesInsteadOfReadingKeys() throws Exception {
        int prefixes = 200;
        int perPrefix = 500;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < prefixes; p++) {
                int prefix = p;
                futures.add(pool.submit(() -> {
                    for (int k = 0; k < perPrefix; k++) {
                        backend.putObject(new PutObjectRequest(BUCKET, String.format("dir%03d/key%04d", prefix, k),
                                0, ObjectMetadata.EMPTY, null, () -> null, WritePrecondition.NONE),
                                new ByteArrayInputStream(new byte[0]));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long stepsBefore = fs().listIteratorSteps.get();
        ListObjectsResult page = backend.listObjects(new ListObjectsRequest(BUCKET, "", "/", null, 1000));
        long steps = fs().listIteratorSteps.get() - stepsBefore;

        assertThat(page.commonPrefixes()).hasSize(prefixes);
        assertThat(page.commonPrefixes().get(0)).isEqualTo("dir000/");
        assertThat(page.truncated()).isFalse();
        assertThat(steps).as("iterator steps for %d keys", prefixes * perPrefix).isLessThanOrEqualTo(prefixes + 1);

        ListObjectsResult under = backend.listObjects(new ListObjectsRequest(BUCKET, "dir123/", "/", null, 2));
        assertThat(under.objects()).extracting(ObjectInfo::key).containsExactly("dir123/key0000", "dir123/key0001");
        assertThat(under.truncated()).isTrue();
    }

    @Test
    void listObjects_largeHeaders_decodedFromFullValue() throws IOException {
        String longType = "t".repeat(10_000);
        backend.putObject(new PutObjectRequest(BUCKET, "k", 3, new ObjectMetadata(longType, null, null, null, null,
                null, java.util.Map.of()), null, () -> null, WritePrecondition.NONE),
                new ByteArrayInputStream(utf8Bytes("abc")));

        ListObjectsResult r = backend.listObjects(new ListObjectsRequest(BUCKET, "", null, null, 10));

        assertThat(r.objects()).singleElement().satisfies(o -> assertThat(o.metadata().contentType())
                .isEqualTo(longType));
    }
}
