package io.predastore.node.store;

import io.predastore.node.checksum.ChecksumValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.disk.StorageFullException;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Backend} must have. A backend's test extends this class and supplies
 * {@link #newBackend(Path)}; backends with local data also override {@link #dataFiles()}.
 */
public abstract class BackendContractTest {
    protected static final long MIB = 1024 * 1024;
    protected static final String BUCKET = "bucket";

    @TempDir
    protected Path dir;

    protected Backend backend;

    /** Opens a backend over {@code dir}; called again by {@link #reopen()} over the same directory. */
    protected abstract Backend newBackend(Path dir) throws IOException;

    /** Closes the backend and opens a new one over the same directory, as a restart does. */
    protected Backend reopen() throws IOException {
        backend.close();
        backend = newBackend(dir);
        return backend;
    }

    /** Names of the backend's data files (temp and blob files), to prove failed writes leave none; or empty. */
    protected Set<String> dataFiles() throws IOException {
        return Set.of();
    }

    /**
     * Makes free space on the backend's disk (for a cluster: on one node's) fall below its reserve ({@code true}),
     * or come back above it.
     */
    protected abstract void diskFull(boolean full) throws IOException;

    /** Whether the backend's bodies are local file slices (sent with zero-copy) rather than streams only. */
    protected boolean sendsFileSlices() {
        return true;
    }

    @BeforeEach
    void openBackend() throws IOException {
        backend = newBackend(dir);
        backend.createBucket(BUCKET, "us-east-1");
    }

    @AfterEach
    void closeBackend() throws IOException {
        backend.close();
    }

    // ------------------------------------------------------------------ helpers

    protected ObjectInfo put(String bucket, String key, byte[] data) throws IOException {
        return put(bucket, key, data, WritePrecondition.NONE);
    }

    protected ObjectInfo put(String bucket, String key, byte[] data, WritePrecondition precondition)
            throws IOException {
        return backend.putObject(new PutObjectRequest(bucket, key, data.length, ObjectMetadata.EMPTY, null,
                () -> null, precondition), new ByteArrayInputStream(data));
    }

    protected ObjectInfo putGenerated(String key, long seed, long length) throws IOException {
        return backend.putObject(new PutObjectRequest(BUCKET, key, length, ObjectMetadata.EMPTY, null, () -> null,
                WritePrecondition.NONE), TestBodies.generated(seed, length));
    }

    protected byte[] read(String bucket, String key) throws IOException {
        try (ObjectHandle h = backend.getObject(bucket, key)) {
            return readRange(h, 0, h.info().size());
        }
    }

    protected static byte[] readRange(ObjectHandle h, long offset, long length) throws IOException {
        try (ObjectBody body = h.open(offset, length); InputStream in = body.openStream()) {
            assertThat(body.length()).isEqualTo(length);
            long sliced = body.fileSlices().stream().mapToLong(ObjectBody.FileSlice::length).sum();
            assertThat(body.fileSlices().isEmpty() || sliced == length).as("slices cover the range").isTrue();
            return in.readAllBytes();
        }
    }

    protected static void assertStorageError(ThrowingCallable call, StorageError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.error()).as(e.getMessage()).isEqualTo(error));
    }

    /**
     * The failure a body stream raised at its end (as authentication does for a bad chunk signature) reaches the
     * caller as it was thrown: the backend neither catches nor re-wraps it.
     */
    protected static void assertBodyFailurePassedThrough(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error()).isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH));
    }

    protected static void assertStorageFull(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(StorageFullException.class)
                .hasMessageEndingWith(StorageFullException.WHAT_TO_DO);
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String md5Hex(byte[] data) throws Exception {
        return TestBodies.hex(MessageDigest.getInstance("MD5").digest(data));
    }

    protected PartInfo uploadPart(String key, String uploadId, int number, long seed, long length,
            ChecksumValue checksum) throws IOException {
        return backend.uploadPart(new UploadPartRequest(BUCKET, key, uploadId, number, length, null, () -> checksum),
                TestBodies.generated(seed, length));
    }

    protected PartInfo uploadPart(String key, String uploadId, int number, byte[] data) throws IOException {
        return backend.uploadPart(new UploadPartRequest(BUCKET, key, uploadId, number, data.length, null,
                () -> null), new ByteArrayInputStream(data));
    }

    protected ObjectInfo complete(String key, String uploadId, List<CompletedPart> parts) throws IOException {
        return backend.completeMultipartUpload(
                new CompleteMultipartUploadRequest(BUCKET, key, uploadId, parts, WritePrecondition.NONE));
    }

    // ------------------------------------------------------------------ buckets

    @Test
    void createBucket_new_isHeadableAndListed() throws IOException {
        backend.createBucket("other", "eu-west-1");

        BucketInfo info = backend.headBucket("other");
        assertThat(info.name()).isEqualTo("other");
        assertThat(info.region()).isEqualTo("eu-west-1");
        assertThat(backend.listBuckets()).extracting(BucketInfo::name).containsExactly(BUCKET, "other");
    }

    @Test
    void createBucket_existing_bucketAlreadyOwnedByYou() {
        assertStorageError(() -> backend.createBucket(BUCKET, "us-east-1"), StorageError.BUCKET_ALREADY_YOURS);
    }

    @Test
    void listBuckets_several_sortedByName() throws IOException {
        for (String b : List.of("zeta", "alpha", "m-bucket", "a.b")) {
            backend.createBucket(b, "us-east-1");
        }

        assertThat(backend.listBuckets()).extracting(BucketInfo::name)
                .containsExactly("a.b", "alpha", BUCKET, "m-bucket", "zeta");
    }

    @Test
    void headBucket_missing_noSuchBucket() {
        assertStorageError(() -> backend.headBucket("missing"), StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void deleteBucket_empty_removesIt() throws IOException {
        backend.createBucket("gone", "us-east-1");

        backend.deleteBucket("gone");

        assertStorageError(() -> backend.headBucket("gone"), StorageError.NO_SUCH_BUCKET);
        assertThat(backend.listBuckets()).extracting(BucketInfo::name).containsExactly(BUCKET);
    }

    @Test
    void deleteBucket_missing_noSuchBucket() {
        assertStorageError(() -> backend.deleteBucket("missing"), StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void deleteBucket_withObject_bucketNotEmpty() throws IOException {
        put(BUCKET, "k", utf8("v"));

        assertStorageError(() -> backend.deleteBucket(BUCKET), StorageError.BUCKET_NOT_EMPTY);

        backend.deleteObject(BUCKET, "k");
        backend.deleteBucket(BUCKET);
        assertThat(backend.listBuckets()).isEmpty();
    }

    @Test
    void deleteBucket_withUploadInProgress_bucketNotEmpty() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);

        assertStorageError(() -> backend.deleteBucket(BUCKET), StorageError.BUCKET_NOT_EMPTY);

        backend.abortMultipartUpload(BUCKET, "k", id);
        backend.deleteBucket(BUCKET);
    }

    @Test
    void deleteBucket_prefixNamedBucketHasObjects_otherBucketStillDeletable() throws IOException {
        backend.createBucket("bucket2", "us-east-1");
        put("bucket2", "k", utf8("v"));
        backend.createBucket("b", "us-east-1");

        backend.deleteBucket("b");

        assertThat(read("bucket2", "k")).isEqualTo(utf8("v"));
    }

    // ------------------------------------------------------------------ objects

    @Test
    void putObject_small_getReturnsBytesAndRecord() throws Exception {
        byte[] data = utf8("hello, world");
        ObjectMetadata meta = new ObjectMetadata("text/plain", "no-cache", "inline", "identity", "en", null,
                Map.of("color", "blue", "size", "x"));
        ChecksumValue crc = new ChecksumValue("CRC32", "AAAAAA==", "FULL_OBJECT");

        ObjectInfo put = backend.putObject(new PutObjectRequest(BUCKET, "greeting", data.length, meta,
                MessageDigest.getInstance("MD5").digest(data), () -> crc, WritePrecondition.NONE),
                new ByteArrayInputStream(data));

        assertThat(put.etag()).isEqualTo(md5Hex(data));
        assertThat(put.size()).isEqualTo(data.length);
        assertThat(put.partsCount()).isZero();
        ObjectInfo head = backend.headObject(BUCKET, "greeting");
        assertThat(head).isEqualTo(put);
        assertThat(head.metadata()).isEqualTo(meta);
        assertThat(head.checksum()).isEqualTo(crc);
        try (ObjectHandle h = backend.getObject(BUCKET, "greeting")) {
            assertThat(h.info()).isEqualTo(put);
            assertThat(readRange(h, 0, data.length)).isEqualTo(data);
        }
    }

    @Test
    void putObject_large_getReturnsBytesAsFileSlices() throws Exception {
        long size = 3 * MIB + 17;
        ObjectInfo put = putGenerated("big", 3, size);

        assertThat(put.etag()).isEqualTo(TestBodies.hex(TestBodies.md5(3, size)));
        try (ObjectHandle h = backend.getObject(BUCKET, "big"); ObjectBody body = h.open(0, size);
                InputStream in = body.openStream()) {
            assertThat(TestBodies.compareWithGenerated(in, 3, 0)).isEqualTo(size);
        }
    }

    @Test
    void putObject_empty_readsBackEmpty() throws Exception {
        ObjectInfo put = put(BUCKET, "empty", new byte[0]);

        assertThat(put.etag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(read(BUCKET, "empty")).isEmpty();
    }

    @Test
    void putObject_missingBucket_noSuchBucket() {
        assertStorageError(() -> put("missing", "k", utf8("v")), StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void getObject_missingKey_noSuchKey() {
        assertStorageError(() -> backend.getObject(BUCKET, "nope"), StorageError.NO_SUCH_KEY);
        assertStorageError(() -> backend.headObject(BUCKET, "nope"), StorageError.NO_SUCH_KEY);
    }

    @Test
    void getObject_missingBucket_noSuchBucket() {
        assertStorageError(() -> backend.getObject("missing", "k"), StorageError.NO_SUCH_BUCKET);
        assertStorageError(() -> backend.headObject("missing", "k"), StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void open_ranges_returnExactlyThoseBytes() throws IOException {
        byte[] small = TestBodies.bytes(1, 1000);
        put(BUCKET, "small", small);
        long bigSize = 300_000;
        putGenerated("big", 2, bigSize);

        try (ObjectHandle h = backend.getObject(BUCKET, "small")) {
            assertThat(readRange(h, 10, 5)).isEqualTo(java.util.Arrays.copyOfRange(small, 10, 15));
            assertThat(readRange(h, 999, 1)).containsExactly(small[999]);
            assertThat(readRange(h, 0, 0)).isEmpty();
        }
        try (ObjectHandle h = backend.getObject(BUCKET, "big")) {
            byte[] mid = readRange(h, 123_456, 70_000);
            for (int i = 0; i < mid.length; i++) {
                assertThat(mid[i]).isEqualTo(TestBodies.byteAt(2, 123_456 + i));
            }
            try (ObjectBody body = h.open(bigSize - 10, 10)) {
                if (sendsFileSlices()) {
                    assertThat(body.fileSlices()).singleElement()
                            .satisfies(s -> assertThat(s.position()).isEqualTo(bigSize - 10))
                            .satisfies(s -> assertThat(s.length()).isEqualTo(10));
                } else {
                    assertThat(body.fileSlices()).isEmpty();
                }
            }
        }
    }

    @Test
    void putObject_overwrite_replacesBytesAndEtag() throws Exception {
        put(BUCKET, "k", utf8("one"));
        putGenerated("k", 5, 100_000);
        assertThat(backend.headObject(BUCKET, "k").size()).isEqualTo(100_000);

        ObjectInfo last = put(BUCKET, "k", utf8("three"));

        assertThat(read(BUCKET, "k")).isEqualTo(utf8("three"));
        assertThat(backend.headObject(BUCKET, "k").etag()).isEqualTo(last.etag()).isEqualTo(md5Hex(utf8("three")));
    }

    @Test
    void deleteObject_existing_removesIt() throws IOException {
        put(BUCKET, "small", utf8("v"));
        putGenerated("big", 1, 200_000);

        backend.deleteObject(BUCKET, "small");
        backend.deleteObject(BUCKET, "big");

        assertStorageError(() -> backend.headObject(BUCKET, "small"), StorageError.NO_SUCH_KEY);
        assertStorageError(() -> backend.getObject(BUCKET, "big"), StorageError.NO_SUCH_KEY);
    }

    @Test
    void deleteObject_absent_succeeds() throws IOException {
        backend.deleteObject(BUCKET, "never-was");
    }

    @Test
    void deleteObject_missingBucket_noSuchBucket() {
        assertStorageError(() -> backend.deleteObject("missing", "k"), StorageError.NO_SUCH_BUCKET);
        assertStorageError(() -> backend.deleteObject("missing", "k", new DeletePrecondition("*", null, null)),
                StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void deleteObject_ifMatch_deletesOnlyThatVersion() throws Exception {
        ObjectInfo v1 = put(BUCKET, "k", utf8("v1"));

        assertStorageError(() -> backend.deleteObject(BUCKET, "k", new DeletePrecondition(md5Hex(utf8("other")),
                null, null)), StorageError.PRECONDITION_FAILED);
        assertThat(read(BUCKET, "k")).isEqualTo(utf8("v1"));
        backend.deleteObject(BUCKET, "k", new DeletePrecondition("\"" + v1.etag() + "\"", null, null));
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);

        put(BUCKET, "any", utf8("x"));
        backend.deleteObject(BUCKET, "any", new DeletePrecondition("*", null, null));
        assertStorageError(() -> backend.headObject(BUCKET, "any"), StorageError.NO_SUCH_KEY);
    }

    @Test
    void deleteObject_ifMatchOnAbsentKey_noSuchKey() {
        for (String etag : List.of("*", "abc")) {
            assertStorageError(() -> backend.deleteObject(BUCKET, "never-was", new DeletePrecondition(etag, null,
                    null)), StorageError.NO_SUCH_KEY);
        }
    }

    @Test
    void deleteObject_lastModifiedAndSize_deleteOnlyAMatchingVersion() throws Exception {
        ObjectInfo v = put(BUCKET, "k", utf8("four"));
        java.time.Instant at = v.lastModified();

        assertStorageError(() -> backend.deleteObject(BUCKET, "k", new DeletePrecondition(null, null, 5L)),
                StorageError.PRECONDITION_FAILED);
        assertStorageError(() -> backend.deleteObject(BUCKET, "k", new DeletePrecondition(null,
                at.plusSeconds(1), null)), StorageError.PRECONDITION_FAILED);
        assertStorageError(() -> backend.deleteObject(BUCKET, "k", new DeletePrecondition(v.etag(),
                at, 3L)), StorageError.PRECONDITION_FAILED);
        assertThat(read(BUCKET, "k")).isEqualTo(utf8("four"));

        // A time is compared to the second, as HTTP dates carry it.
        backend.deleteObject(BUCKET, "k", new DeletePrecondition(v.etag(),
                at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), 4L));
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        // Only a time or a size, on an absent key: nothing to delete, as S3 answers.
        backend.deleteObject(BUCKET, "k", new DeletePrecondition(null, at, 4L));
    }

    @Test
    void putObject_awkwardKeysSideBySide_eachKeepsItsOwnBytes() throws IOException {
        List<String> keys = List.of("../x", "../../etc/passwd", "a", "a/b", "a/b/c", "a/", "/leading", "x/../y",
                "caf\u00e9 \u00fcber/\u65e5\u672c\u8a9e/\ud83d\ude00", "with space", "  ", ".", "..",
                "k".repeat(1024), "\u00e9".repeat(512), "back\\slash", "tab\tnew\nline");
        for (int i = 0; i < keys.size(); i++) {
            put(BUCKET, keys.get(i), utf8("value " + i));
        }

        for (int i = 0; i < keys.size(); i++) {
            assertThat(read(BUCKET, keys.get(i))).as(keys.get(i)).isEqualTo(utf8("value " + i));
        }
        ListObjectsResult all = backend.listObjects(new ListObjectsRequest(BUCKET, "", null, null, 1000));
        assertThat(all.objects()).extracting(ObjectInfo::key)
                .containsExactlyElementsOf(sortedUtf8(keys));
    }

    @Test
    void putObject_bodyLongerThanContentLength_invalidRequest() {
        byte[] data = utf8("0123456789");
        assertStorageError(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", 5, ObjectMetadata.EMPTY, null,
                () -> null, WritePrecondition.NONE), new ByteArrayInputStream(data)), StorageError.BODY_TOO_LONG);
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
    }

    @Test
    void putObject_bodyShorterThanContentLength_incompleteBody() throws IOException {
        Set<String> before = dataFiles();
        assertStorageError(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", 200_000, ObjectMetadata.EMPTY,
                null, () -> null, WritePrecondition.NONE), TestBodies.generated(1, 199_999)),
                StorageError.BODY_INCOMPLETE);
        assertStorageError(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", 10, ObjectMetadata.EMPTY,
                null, () -> null, WritePrecondition.NONE), new ByteArrayInputStream(new byte[3])),
                StorageError.BODY_INCOMPLETE);

        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void putObject_wrongContentMd5_badDigestAndNothingStored() throws IOException {
        Set<String> before = dataFiles();
        byte[] wrong = new byte[16];
        assertStorageError(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", 3, ObjectMetadata.EMPTY, wrong,
                () -> null, WritePrecondition.NONE), new ByteArrayInputStream(utf8("abc"))),
                StorageError.BODY_DIGEST_MISMATCH);
        assertStorageError(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", 100_000, ObjectMetadata.EMPTY,
                wrong, () -> null, WritePrecondition.NONE), TestBodies.generated(1, 100_000)),
                StorageError.BODY_DIGEST_MISMATCH);

        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void putObject_bodyThrowsMidway_leavesNothing() throws IOException {
        put(BUCKET, "kept", utf8("old"));
        Set<String> before = dataFiles();

        for (long size : new long[] {1000, 2 * MIB}) {
            assertBodyFailurePassedThrough(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", size,
                    ObjectMetadata.EMPTY, null, () -> null, WritePrecondition.NONE),
                    TestBodies.failingAfter(size / 2, true)));
            assertThatThrownBy(() -> backend.putObject(new PutObjectRequest(BUCKET, "kept", size,
                    ObjectMetadata.EMPTY, null, () -> null, WritePrecondition.NONE),
                    TestBodies.failingAfter(size / 2, false))).isInstanceOf(IOException.class);
        }

        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        assertThat(read(BUCKET, "kept")).isEqualTo(utf8("old"));
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void putObject_streamThrowsAtItsEnd_nothingStored() throws IOException {
        Set<String> before = dataFiles();
        for (long size : new long[] {10, 300_000}) {
            assertBodyFailurePassedThrough(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", size,
                    ObjectMetadata.EMPTY, null, () -> null, WritePrecondition.NONE),
                    TestBodies.failingAfter(size, true)));
        }
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
        assertThat(dataFiles()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ preconditions

    @Test
    void putObject_ifNoneMatchOnExisting_preconditionFailed() throws IOException {
        put(BUCKET, "k", utf8("v1"));

        assertStorageError(() -> put(BUCKET, "k", utf8("v2"), new WritePrecondition(null, true)),
                StorageError.PRECONDITION_FAILED);
        assertStorageError(() -> backend.putObject(new PutObjectRequest(BUCKET, "k", 200_000, ObjectMetadata.EMPTY,
                null, () -> null, new WritePrecondition(null, true)), TestBodies.generated(1, 200_000)),
                StorageError.PRECONDITION_FAILED);
        assertThat(read(BUCKET, "k")).isEqualTo(utf8("v1"));
    }

    @Test
    void putObject_ifNoneMatchOnAbsent_creates() throws IOException {
        put(BUCKET, "k", utf8("v1"), new WritePrecondition(null, true));

        assertThat(read(BUCKET, "k")).isEqualTo(utf8("v1"));
    }

    @Test
    void putObject_ifMatch_replacesOnlyThatVersion() throws Exception {
        // As S3 answers it: with no version to compare with, the key is missing.
        assertStorageError(() -> put(BUCKET, "k", utf8("v0"), new WritePrecondition("abc", false)),
                StorageError.NO_SUCH_KEY);
        ObjectInfo v1 = put(BUCKET, "k", utf8("v1"));

        assertStorageError(() -> put(BUCKET, "k", utf8("v2"), new WritePrecondition(md5Hex(utf8("other")), false)),
                StorageError.PRECONDITION_FAILED);
        put(BUCKET, "k", utf8("v2"), new WritePrecondition(v1.etag(), false));
        assertStorageError(() -> put(BUCKET, "k", utf8("v3"), new WritePrecondition(v1.etag(), false)),
                StorageError.PRECONDITION_FAILED);

        assertThat(read(BUCKET, "k")).isEqualTo(utf8("v2"));
    }

    @Test
    void putObject_eightRacingCreatorsWithIfNoneMatch_exactlyOneWins() throws Exception {
        int threads = 8;
        for (int round = 0; round < 5; round++) {
            String key = "race-" + round;
            long size = round % 2 == 0 ? 100 : 100_000;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = t;
                    Callable<Integer> creator = () -> {
                        start.await();
                        try {
                            backend.putObject(new PutObjectRequest(BUCKET, key, size, ObjectMetadata.EMPTY, null,
                                    () -> null, new WritePrecondition(null, true)), TestBodies.generated(seed, size));
                            return 1;
                        } catch (StorageException e) {
                            assertThat(e.error()).isEqualTo(StorageError.PRECONDITION_FAILED);
                            return 0;
                        }
                    };
                    results.add(pool.submit(creator));
                }
                start.countDown();
                int wins = 0;
                for (Future<Integer> f : results) {
                    wins += f.get();
                }
                assertThat(wins).as("winners of round " + round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------ listing

    @Test
    void listObjects_pagedWithPrefixDelimiterAndAfter_matchesModel() throws IOException {
        NavigableSet<String> model = new TreeSet<>(BackendContractTest::compareUtf8);
        String[] dirs = {"", "a/", "a/b/", "a/b/c/", "b/", "b-", "photos/2024/", "photos/2025/", "z\u00e9/"};
        int n = 0;
        for (String d : dirs) {
            for (int i = 0; i < 35; i++) {
                String key = d + (i % 3 == 0 ? "x" : "f") + i + (i % 5 == 0 ? "/" : "");
                model.add(key);
                put(BUCKET, key, utf8("v" + n++));
            }
        }
        assertThat(model.size()).isGreaterThan(300);

        for (String prefix : List.of("", "a/", "a/b", "photos/", "b", "nothing")) {
            for (String delimiter : new String[] {null, "/", "b", "/2"}) {
                for (int maxKeys : new int[] {1, 7, 1000}) {
                    assertListingMatchesModel(model, prefix, delimiter, maxKeys);
                }
            }
        }
    }

    private void assertListingMatchesModel(NavigableSet<String> model, String prefix, String delimiter,
            int maxKeys) throws IOException {
        List<String> expected = modelEntries(model, prefix, delimiter);
        List<String> got = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            ListObjectsResult r = backend.listObjects(new ListObjectsRequest(BUCKET, prefix, delimiter, after,
                    maxKeys));
            List<String> entries = new ArrayList<>();
            r.objects().forEach(o -> entries.add(o.key()));
            entries.addAll(r.commonPrefixes());
            entries.sort(BackendContractTest::compareUtf8);
            assertThat(entries.size()).isLessThanOrEqualTo(maxKeys);
            got.addAll(entries);
            String where = "prefix=" + prefix + " delimiter=" + delimiter + " max=" + maxKeys + " after=" + after;
            if (!entries.isEmpty()) {
                assertThat(r.lastEntry()).as(where).isEqualTo(entries.get(entries.size() - 1));
            }
            if (!r.truncated()) {
                break;
            }
            assertThat(entries).as(where).isNotEmpty();
            after = r.lastEntry();
        }
        assertThat(got).as("prefix=" + prefix + " delimiter=" + delimiter + " max=" + maxKeys)
                .containsExactlyElementsOf(expected);
    }

    private static List<String> modelEntries(NavigableSet<String> model, String prefix, String delimiter) {
        List<String> out = new ArrayList<>();
        for (String key : model) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            String entry = at < 0 ? key : key.substring(0, at + delimiter.length());
            if (out.isEmpty() || !out.get(out.size() - 1).equals(entry)) {
                out.add(entry);
            }
        }
        return out;
    }

    @Test
    void listObjects_afterIsCommonPrefix_skipsEverythingUnderIt() throws IOException {
        for (String k : List.of("a/1", "a/2", "a0", "b/1", "c")) {
            put(BUCKET, k, utf8(k));
        }

        ListObjectsResult r = backend.listObjects(new ListObjectsRequest(BUCKET, "", "/", "a/", 1000));

        assertThat(r.objects()).extracting(ObjectInfo::key).containsExactly("a0", "c");
        assertThat(r.commonPrefixes()).containsExactly("b/");
        assertThat(r.truncated()).isFalse();
        assertThat(r.lastEntry()).isEqualTo("c");
    }

    @Test
    void listObjects_exactlyFullPage_notTruncated() throws IOException {
        for (String k : List.of("a", "b", "c")) {
            put(BUCKET, k, utf8(k));
        }

        ListObjectsResult full = backend.listObjects(new ListObjectsRequest(BUCKET, "", null, null, 3));
        ListObjectsResult partial = backend.listObjects(new ListObjectsRequest(BUCKET, "", null, null, 2));

        assertThat(full.truncated()).isFalse();
        assertThat(full.lastEntry()).isEqualTo("c");
        assertThat(partial.truncated()).isTrue();
        assertThat(partial.lastEntry()).isEqualTo("b");
        assertThat(partial.objects().get(0).etag()).isEqualTo(backend.headObject(BUCKET, "a").etag());
    }

    @Test
    void listObjects_emptyBucket_emptyPage() throws IOException {
        ListObjectsResult r = backend.listObjects(new ListObjectsRequest(BUCKET, "", "/", null, 1000));

        assertThat(r.objects()).isEmpty();
        assertThat(r.commonPrefixes()).isEmpty();
        assertThat(r.truncated()).isFalse();
        assertThat(r.lastEntry()).isNull();
    }

    @Test
    void listObjects_otherBuckets_notIncluded() throws IOException {
        backend.createBucket("bucket0", "us-east-1");
        backend.createBucket("bucke", "us-east-1");
        put("bucket0", "x", utf8("x"));
        put("bucke", "y", utf8("y"));
        put(BUCKET, "k", utf8("k"));

        assertThat(backend.listObjects(new ListObjectsRequest(BUCKET, "", null, null, 1000)).objects())
                .extracting(ObjectInfo::key).containsExactly("k");
    }

    @Test
    void listObjects_missingBucket_noSuchBucket() {
        assertStorageError(() -> backend.listObjects(new ListObjectsRequest("missing", "", null, null, 10)),
                StorageError.NO_SUCH_BUCKET);
    }

    // ------------------------------------------------------------------ multipart

    @Test
    void completeMultipartUpload_threeParts_objectIsTheConcatenation() throws Exception {
        long[] sizes = {5 * MIB, 5 * MIB, 1000};
        String id = backend.createMultipartUpload(BUCKET, "mp", new ObjectMetadata("application/x-test", null,
                null, null, null, null, Map.of("m", "1")));
        List<CompletedPart> parts = new ArrayList<>();
        MessageDigest etag = MessageDigest.getInstance("MD5");
        for (int i = 0; i < 3; i++) {
            PartInfo p = uploadPart("mp", id, i + 1, 100 + i, sizes[i], null);
            assertThat(p.etag()).isEqualTo(TestBodies.hex(TestBodies.md5(100 + i, sizes[i])));
            assertThat(p.size()).isEqualTo(sizes[i]);
            parts.add(new CompletedPart(i + 1, p.etag()));
            etag.update(TestBodies.md5(100 + i, sizes[i]));
        }

        ObjectInfo done = complete("mp", id, parts);

        assertThat(done.etag()).isEqualTo(TestBodies.hex(etag.digest()) + "-3");
        assertThat(done.partsCount()).isEqualTo(3);
        assertThat(done.size()).isEqualTo(10 * MIB + 1000);
        assertThat(done.metadata().contentType()).isEqualTo("application/x-test");
        assertThat(backend.headObject(BUCKET, "mp")).isEqualTo(done);
        try (ObjectHandle h = backend.getObject(BUCKET, "mp")) {
            assertConcatenation(h, 0, done.size(), sizes);
            assertConcatenation(h, 5 * MIB - 10, 5 * MIB + 20, sizes);
            try (ObjectBody body = h.open(5 * MIB - 10, 5 * MIB + 20)) {
                List<ObjectBody.FileSlice> slices = body.fileSlices();
                if (!slices.isEmpty()) {
                    assertThat(slices).hasSize(3);
                    assertThat(slices.get(0).length()).isEqualTo(10);
                    assertThat(slices.get(2).position()).isZero();
                    assertThat(slices.get(2).length()).isEqualTo(10);
                }
            }
        }
        assertStorageError(() -> backend.listParts(BUCKET, "mp", id, 0, 100), StorageError.NO_SUCH_UPLOAD);
        assertThat(backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", null, null, null, 100))
                .uploads()).isEmpty();
    }

    private static void assertConcatenation(ObjectHandle h, long offset, long length, long[] sizes)
            throws IOException {
        try (ObjectBody body = h.open(offset, length); InputStream in = body.openStream()) {
            long partStart = 0;
            long pos = offset;
            long end = offset + length;
            for (int i = 0; i < sizes.length && pos < end; i++) {
                long partEnd = partStart + sizes[i];
                if (pos < partEnd) {
                    long n = Math.min(partEnd, end) - pos;
                    byte[] chunk = in.readNBytes((int) n);
                    assertThat(chunk).hasSize((int) n);
                    for (int j = 0; j < n; j++) {
                        if (chunk[j] != TestBodies.byteAt(100 + i, pos - partStart + j)) {
                            throw new AssertionError("byte " + (pos + j) + " differs");
                        }
                    }
                    pos += n;
                }
                partStart = partEnd;
            }
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void part_completedMultipart_spansThePartsInCompletionOrder() throws Exception {
        long[] sizes = {5 * MIB, 5 * MIB + 3, 17};
        int[] numbers = {2, 5, 7};
        String id = backend.createMultipartUpload(BUCKET, "parts", ObjectMetadata.EMPTY);
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            parts.add(new CompletedPart(numbers[i], uploadPart("parts", id, numbers[i], 100 + i, sizes[i], null)
                    .etag()));
        }
        complete("parts", id, parts);

        try (ObjectHandle h = backend.getObject(BUCKET, "parts")) {
            long offset = 0;
            for (int i = 0; i < sizes.length; i++) {
                ObjectHandle.Span span = h.part(i + 1).orElseThrow();
                assertThat(span).isEqualTo(new ObjectHandle.Span(offset, sizes[i]));
                try (ObjectBody body = h.open(span.offset(), span.length()); InputStream in = body.openStream()) {
                    assertThat(TestBodies.compareWithGenerated(in, 100 + i, 0)).isEqualTo(sizes[i]);
                }
                offset += sizes[i];
            }
            assertThat(h.part(0)).isEmpty();
            assertThat(h.part(4)).isEmpty();
            assertThat(h.part(numbers[2])).isEmpty();
        }
    }

    @Test
    void part_objectNotUploadedInParts_isOnePartTheWholeObject() throws Exception {
        put(BUCKET, "small", utf8("a few bytes"));
        putGenerated("big", 4, 3 * MIB + 5);
        put(BUCKET, "empty", new byte[0]);

        for (String key : List.of("small", "big", "empty")) {
            try (ObjectHandle h = backend.getObject(BUCKET, key)) {
                assertThat(h.part(1)).contains(new ObjectHandle.Span(0, h.info().size()));
                assertThat(h.part(2)).isEmpty();
            }
        }
    }

    @Test
    void completeMultipartUpload_partsWithCrc32_compositeChecksum() throws Exception {
        String id = backend.createMultipartUpload(BUCKET, "crc", ObjectMetadata.EMPTY);
        byte[][] data = {TestBodies.bytes(1, (int) (5 * MIB)), TestBodies.bytes(2, 10)};
        CRC32 ofChecksums = new CRC32();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CRC32 crc = new CRC32();
            crc.update(data[i]);
            byte[] value = java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
            ofChecksums.update(value);
            ChecksumValue c = new ChecksumValue("CRC32", Base64.getEncoder().encodeToString(value), "FULL_OBJECT");
            PartInfo p = backend.uploadPart(new UploadPartRequest(BUCKET, "crc", id, i + 1, data[i].length, null,
                    () -> c), new ByteArrayInputStream(data[i]));
            assertThat(p.checksum()).isEqualTo(c);
            parts.add(new CompletedPart(i + 1, p.etag()));
        }

        ObjectInfo done = complete("crc", id, parts);

        byte[] expected = java.nio.ByteBuffer.allocate(4).putInt((int) ofChecksums.getValue()).array();
        assertThat(done.checksum()).isEqualTo(
                new ChecksumValue("CRC32", Base64.getEncoder().encodeToString(expected) + "-2", "COMPOSITE"));
    }

    @Test
    void completeMultipartUpload_errors() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        PartInfo p1 = uploadPart("k", id, 1, utf8("small one"));
        PartInfo p2 = uploadPart("k", id, 2, utf8("small two"));

        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(2, p2.etag()), new CompletedPart(1,
                p1.etag()))), StorageError.INVALID_PART_ORDER);
        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(1, p1.etag()), new CompletedPart(1,
                p1.etag()))), StorageError.INVALID_PART_ORDER);
        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(1, p2.etag()))),
                StorageError.INVALID_PART);
        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(3, p1.etag()))),
                StorageError.INVALID_PART);
        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(1, p1.etag()), new CompletedPart(2,
                p2.etag()))), StorageError.PART_TOO_SMALL);
        assertStorageError(() -> complete("k", "0".repeat(32), List.of(new CompletedPart(1, p1.etag()))),
                StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> complete("other-key", id, List.of(new CompletedPart(1, p1.etag()))),
                StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> complete("k", "not-an-upload", List.of(new CompletedPart(1, p1.etag()))),
                StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);

        ObjectInfo single = complete("k", id, List.of(new CompletedPart(2, "\"" + p2.etag() + "\"")));
        assertThat(single.partsCount()).isEqualTo(1);
        assertThat(read(BUCKET, "k")).isEqualTo(utf8("small two"));
    }

    @Test
    void completeMultipartUpload_retriedAfterSuccess_answersTheSameObject() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        PartInfo p1 = uploadPart("k", id, 1, 1, 5 * MIB, null);
        PartInfo p2 = uploadPart("k", id, 2, utf8("tail"));
        List<CompletedPart> parts = List.of(new CompletedPart(1, p1.etag()), new CompletedPart(2, p2.etag()));
        ObjectInfo first = complete("k", id, parts);

        ObjectInfo again = complete("k", id, parts);
        // Also after a restart, and with If-None-Match: * (the object the retry asks for is the one there).
        reopen();
        ObjectInfo afterRestart = backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, "k",
                id, parts, new WritePrecondition(null, true)));

        for (ObjectInfo o : List.of(again, afterRestart)) {
            assertThat(o.etag()).isEqualTo(first.etag());
            assertThat(o.size()).isEqualTo(first.size());
            assertThat(o.lastModified()).isEqualTo(first.lastModified());
        }
        // Another part list, another upload id, or a key overwritten since: the upload is gone.
        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(2, p2.etag()))),
                StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> complete("k", "0".repeat(32), parts), StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> complete("k", id, List.of(new CompletedPart(1, "not-hex"),
                new CompletedPart(2, p2.etag()))), StorageError.NO_SUCH_UPLOAD);
        put(BUCKET, "k", utf8("overwritten"));
        assertStorageError(() -> complete("k", id, parts), StorageError.NO_SUCH_UPLOAD);
    }

    @Test
    void completeMultipartUpload_ifNoneMatchOnExisting_preconditionFailedAndUploadKept() throws IOException {
        put(BUCKET, "k", utf8("existing"));
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        PartInfo p = uploadPart("k", id, 1, utf8("new"));

        assertStorageError(() -> backend.completeMultipartUpload(new CompleteMultipartUploadRequest(BUCKET, "k", id,
                List.of(new CompletedPart(1, p.etag())), new WritePrecondition(null, true))),
                StorageError.PRECONDITION_FAILED);

        assertThat(read(BUCKET, "k")).isEqualTo(utf8("existing"));
        assertThat(backend.listParts(BUCKET, "k", id, 0, 10).parts()).hasSize(1);
    }

    @Test
    void uploadPart_unknownUpload_noSuchUpload() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);

        assertStorageError(() -> uploadPart("k", "f".repeat(32), 1, utf8("x")), StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> uploadPart("other", id, 1, utf8("x")), StorageError.NO_SUCH_UPLOAD);
        backend.createBucket("b2", "us-east-1");
        assertStorageError(() -> backend.uploadPart(new UploadPartRequest("b2", "k", id, 1, 1, null, () -> null),
                new ByteArrayInputStream(new byte[1])), StorageError.NO_SUCH_UPLOAD);
    }

    @Test
    void uploadPart_samePartNumberTwice_replacesIt() throws IOException {
        Set<String> before = dataFiles();
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        uploadPart("k", id, 1, utf8("first"));
        PartInfo second = uploadPart("k", id, 1, utf8("second"));

        assertThat(backend.listParts(BUCKET, "k", id, 0, 10).parts()).singleElement()
                .satisfies(p -> assertThat(p.etag()).isEqualTo(second.etag()));
        complete("k", id, List.of(new CompletedPart(1, second.etag())));
        assertThat(read(BUCKET, "k")).isEqualTo(utf8("second"));
        assertThat(dataFiles().size()).isLessThanOrEqualTo(before.size() + 1);
    }

    @Test
    void uploadPart_bodyThrows_leavesNothing() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        Set<String> before = dataFiles();

        assertBodyFailurePassedThrough(() -> backend.uploadPart(new UploadPartRequest(BUCKET, "k", id, 1, 100_000,
                null, () -> null), TestBodies.failingAfter(50_000, true)));
        assertStorageError(() -> backend.uploadPart(new UploadPartRequest(BUCKET, "k", id, 1, 3, new byte[16],
                () -> null), new ByteArrayInputStream(utf8("abc"))), StorageError.BODY_DIGEST_MISMATCH);

        assertThat(backend.listParts(BUCKET, "k", id, 0, 10).parts()).isEmpty();
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void abortMultipartUpload_withParts_freesThem() throws IOException {
        Set<String> before = dataFiles();
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        uploadPart("k", id, 1, utf8("one"));
        uploadPart("k", id, 2, utf8("two"));

        backend.abortMultipartUpload(BUCKET, "k", id);

        assertStorageError(() -> backend.listParts(BUCKET, "k", id, 0, 10), StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> backend.abortMultipartUpload(BUCKET, "k", id), StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> uploadPart("k", id, 3, utf8("three")), StorageError.NO_SUCH_UPLOAD);
        assertThat(dataFiles()).isEqualTo(before);
        assertStorageError(() -> backend.headObject(BUCKET, "k"), StorageError.NO_SUCH_KEY);
    }

    // ------------------------------------------------------------------ full disks

    @Test
    void writes_belowTheFreeSpaceReserve_areRefusedAndLeaveNothing() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "mp", ObjectMetadata.EMPTY);
        PartInfo part = uploadPart("mp", id, 1, utf8("one"));
        Set<String> before = dataFiles();

        diskFull(true);

        assertStorageFull(() -> put(BUCKET, "small", utf8("small")));
        assertStorageFull(() -> putGenerated("large", 1, 3 * MIB));
        assertStorageFull(() -> backend.createBucket("other", "us-east-1"));
        assertStorageFull(() -> backend.createMultipartUpload(BUCKET, "mp2", ObjectMetadata.EMPTY));
        assertStorageFull(() -> uploadPart("mp", id, 2, 7, MIB, null));
        assertStorageFull(() -> complete("mp", id, List.of(new CompletedPart(1, part.etag()))));
        assertThat(dataFiles()).isEqualTo(before);
        assertStorageError(() -> backend.headObject(BUCKET, "small"), StorageError.NO_SUCH_KEY);
        assertStorageError(() -> backend.headObject(BUCKET, "large"), StorageError.NO_SUCH_KEY);
        assertStorageError(() -> backend.headObject(BUCKET, "mp"), StorageError.NO_SUCH_KEY);
        assertStorageError(() -> backend.headBucket("other"), StorageError.NO_SUCH_BUCKET);
        assertThat(backend.listParts(BUCKET, "mp", id, 0, 10).parts()).extracting(PartInfo::partNumber)
                .containsExactly(1);
    }

    @Test
    void readsAndDeletes_belowTheFreeSpaceReserve_work_andWritesResumeOnceSpaceIsBack() throws IOException {
        backend.createBucket("spare", "us-east-1");
        byte[] kept = utf8("kept");
        put(BUCKET, "kept", kept);
        putGenerated("big", 2, 2 * MIB);
        String id = backend.createMultipartUpload(BUCKET, "mp", ObjectMetadata.EMPTY);
        uploadPart("mp", id, 1, 3, MIB, null);
        Set<String> withUpload = dataFiles();

        diskFull(true);

        assertThat(read(BUCKET, "kept")).isEqualTo(kept);
        assertThat(backend.headObject(BUCKET, "big").size()).isEqualTo(2 * MIB);
        assertThat(backend.listObjects(new ListObjectsRequest(BUCKET, "", null, null, 10)).objects())
                .extracting(ObjectInfo::key).containsExactly("big", "kept");
        backend.deleteObject(BUCKET, "big");
        backend.abortMultipartUpload(BUCKET, "mp", id);
        backend.deleteBucket("spare");
        assertStorageError(() -> backend.headObject(BUCKET, "big"), StorageError.NO_SUCH_KEY);
        assertStorageError(() -> backend.listParts(BUCKET, "mp", id, 0, 10), StorageError.NO_SUCH_UPLOAD);
        assertStorageError(() -> backend.headBucket("spare"), StorageError.NO_SUCH_BUCKET);
        assertThat(dataFiles()).isNotEqualTo(withUpload);

        diskFull(false);

        putGenerated("after", 4, 2 * MIB);
        put(BUCKET, "after-small", utf8("small"));
        assertThat(read(BUCKET, "after")).isEqualTo(TestBodies.bytes(4, (int) (2 * MIB)));
        assertThat(read(BUCKET, "after-small")).isEqualTo(utf8("small"));
        assertThat(read(BUCKET, "kept")).isEqualTo(kept);
    }

    @Test
    void listParts_maxZero_emptyAndNotTruncated() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        uploadPart("k", id, 1, utf8("one"));
        uploadPart("k", id, 2, utf8("two"));

        for (int marker : new int[] {0, 1}) {
            ListPartsResult none = backend.listParts(BUCKET, "k", id, marker, 0);
            assertThat(none.parts()).isEmpty();
            assertThat(none.truncated()).isFalse();
            assertThat(none.nextPartNumberMarker()).isEqualTo(marker);
        }
    }

    @Test
    void listObjectsAndUploads_maxZero_emptyAndNotTruncated() throws IOException {
        put(BUCKET, "a", utf8("a"));
        backend.createMultipartUpload(BUCKET, "b", ObjectMetadata.EMPTY);

        ListObjectsResult objects = backend.listObjects(new ListObjectsRequest(BUCKET, "", "/", null, 0));
        ListUploadsResult uploads = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", null, null,
                null, 0));

        assertThat(objects.objects()).isEmpty();
        assertThat(objects.truncated()).isFalse();
        assertThat(uploads.uploads()).isEmpty();
        assertThat(uploads.truncated()).isFalse();
    }

    @Test
    void listParts_paged_inPartOrder() throws IOException {
        String id = backend.createMultipartUpload(BUCKET, "k", ObjectMetadata.EMPTY);
        for (int n : new int[] {7, 1, 300, 2, 10_000, 256}) {
            uploadPart("k", id, n, utf8("part " + n));
        }

        ListPartsResult first = backend.listParts(BUCKET, "k", id, 0, 4);
        ListPartsResult second = backend.listParts(BUCKET, "k", id, first.nextPartNumberMarker(), 4);

        assertThat(first.parts()).extracting(PartInfo::partNumber).containsExactly(1, 2, 7, 256);
        assertThat(first.truncated()).isTrue();
        assertThat(first.nextPartNumberMarker()).isEqualTo(256);
        assertThat(first.upload().uploadId()).isEqualTo(id);
        assertThat(second.parts()).extracting(PartInfo::partNumber).containsExactly(300, 10_000);
        assertThat(second.truncated()).isFalse();
        assertThat(second.parts().get(1).size()).isEqualTo(utf8("part 10000").length);
        assertStorageError(() -> backend.listParts(BUCKET, "other", id, 0, 4), StorageError.NO_SUCH_UPLOAD);
    }

    @Test
    void listMultipartUploads_prefixDelimiterAndMarkers() throws IOException {
        List<String> keys = List.of("a/1", "a/2", "b", "b", "c/d/e", "c/x", "d");
        List<String> ids = new ArrayList<>();
        for (String k : keys) {
            ids.add(backend.createMultipartUpload(BUCKET, k, ObjectMetadata.EMPTY));
        }

        ListUploadsResult all = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", null, null, null,
                1000));
        assertThat(all.uploads()).extracting(UploadInfo::key).containsExactlyElementsOf(keys);
        assertThat(all.uploads()).extracting(UploadInfo::uploadId).as("same key in initiation order")
                .containsExactlyElementsOf(ids);
        assertThat(all.truncated()).isFalse();

        ListUploadsResult rolled = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", "/", null,
                null, 1000));
        assertThat(rolled.uploads()).extracting(UploadInfo::key).containsExactly("b", "b", "d");
        assertThat(rolled.commonPrefixes()).containsExactly("a/", "c/");

        ListUploadsResult page = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", "/", null, null,
                3));
        assertThat(page.commonPrefixes()).containsExactly("a/");
        assertThat(page.uploads()).extracting(UploadInfo::key).containsExactly("b", "b");
        assertThat(page.truncated()).isTrue();
        assertThat(page.nextKeyMarker()).isEqualTo("b");
        ListUploadsResult next = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", "/",
                page.nextKeyMarker(), page.nextUploadIdMarker(), 3));
        assertThat(next.commonPrefixes()).containsExactly("c/");
        assertThat(next.uploads()).extracting(UploadInfo::key).containsExactly("d");
        assertThat(next.truncated()).isFalse();

        ListUploadsResult midKey = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", null, "b",
                all.uploads().get(2).uploadId(), 1000));
        assertThat(midKey.uploads()).extracting(UploadInfo::uploadId)
                .containsExactly(ids.get(3), ids.get(4), ids.get(5), ids.get(6));
        ListUploadsResult afterKey = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "", null, "b",
                null, 1000));
        assertThat(afterKey.uploads()).extracting(UploadInfo::key).containsExactly("c/d/e", "c/x", "d");
        ListUploadsResult prefixed = backend.listMultipartUploads(new ListUploadsRequest(BUCKET, "c/", "/", null,
                null, 1000));
        assertThat(prefixed.uploads()).extracting(UploadInfo::key).containsExactly("c/x");
        assertThat(prefixed.commonPrefixes()).containsExactly("c/d/");
        assertStorageError(() -> backend.listMultipartUploads(new ListUploadsRequest("missing", "", null, null, null,
                10)), StorageError.NO_SUCH_BUCKET);
    }

    @Test
    void createMultipartUpload_missingBucket_noSuchBucket() {
        assertStorageError(() -> backend.createMultipartUpload("missing", "k", ObjectMetadata.EMPTY),
                StorageError.NO_SUCH_BUCKET);
    }

    // ------------------------------------------------------------------ utilities

    protected static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(utf8(a), utf8(b));
    }

    protected static List<String> sortedUtf8(List<String> keys) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(BackendContractTest::compareUtf8);
        return sorted;
    }
}
