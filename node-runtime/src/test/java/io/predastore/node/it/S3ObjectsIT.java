package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Object operations through the AWS SDK v2 against a real node process. */
class S3ObjectsIT extends SharedNode {
    static final String BUCKET = "objects-it";

    @BeforeAll
    static void createBucket() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @Test
    void putObject_withHeadersAndMetadata_roundTrips() {
        byte[] data = random(100_000, 1);
        s3.putObject(b -> b.bucket(BUCKET).key("meta/obj").contentType("application/x-test")
                .cacheControl("max-age=60").contentDisposition("attachment; filename=\"x.bin\"")
                .contentEncoding("identity").expires(Instant.parse("2030-01-01T00:00:00Z"))
                .metadata(Map.of("color", "blue", "shape", "round")), RequestBody.fromBytes(data));
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("meta/obj"));
        assertThat(got.asByteArray()).isEqualTo(data);
        GetObjectResponse r = got.response();
        assertThat(r.contentType()).isEqualTo("application/x-test");
        assertThat(r.cacheControl()).isEqualTo("max-age=60");
        assertThat(r.contentDisposition()).isEqualTo("attachment; filename=\"x.bin\"");
        assertThat(r.contentEncoding()).isEqualTo("identity");
        assertThat(r.expiresString()).isEqualTo("Tue, 01 Jan 2030 00:00:00 GMT");
        assertThat(r.metadata()).containsEntry("color", "blue").containsEntry("shape", "round");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("meta/obj"));
        assertThat(head.contentLength()).isEqualTo(100_000L);
        assertThat(head.eTag()).isEqualTo(r.eTag());
        assertThat(head.metadata()).containsEntry("color", "blue");
    }

    @Test
    void putObject_emptyBody_roundTrips() {
        s3.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("empty")).asByteArray()).isEmpty();
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("empty")).eTag())
                .isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
    }

    @Test
    void putObject_wrongContentMd5_isBadDigest() {
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad-md5")
                .contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="), RequestBody.fromString("not empty")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("bad-md5")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void putObject_eachFlexibleChecksum_isVerifiedStoredAndReturned() {
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.CRC64_NVME, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            String key = "checksum/" + algorithm;
            byte[] data = random(70_000, algorithm.ordinal());
            PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm),
                    RequestBody.fromBytes(data));
            String sent = switch (algorithm) {
                case CRC32 -> put.checksumCRC32();
                case CRC32_C -> put.checksumCRC32C();
                case CRC64_NVME -> put.checksumCRC64NVME();
                case SHA1 -> put.checksumSHA1();
                default -> put.checksumSHA256();
            };
            assertThat(sent).as(algorithm.toString()).isNotNull();
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)
                    .checksumMode(ChecksumMode.ENABLED));
            assertThat(got.asByteArray()).isEqualTo(data);
            GetObjectResponse r = got.response();
            String returned = switch (algorithm) {
                case CRC32 -> r.checksumCRC32();
                case CRC32_C -> r.checksumCRC32C();
                case CRC64_NVME -> r.checksumCRC64NVME();
                case SHA1 -> r.checksumSHA1();
                default -> r.checksumSHA256();
            };
            assertThat(returned).as(algorithm.toString()).isEqualTo(sent);
        }
    }

    @Test
    void putObject_wrongChecksumHeader_isRejectedAndNothingStored() {
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("bad-crc")
                .checksumCRC32("AAAAAA=="), RequestBody.fromString("payload")))
                .satisfies(t -> assertThat(status(t)).isEqualTo(400));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("bad-crc")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void getObject_ranges_answerPartialContentOrInvalidRange() {
        byte[] data = random(10_000, 2);
        s3.putObject(b -> b.bucket(BUCKET).key("ranged"), RequestBody.fromBytes(data));
        ResponseBytes<GetObjectResponse> mid = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranged")
                .range("bytes=100-199"));
        assertThat(mid.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 200));
        assertThat(mid.response().contentRange()).isEqualTo("bytes 100-199/10000");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranged").range("bytes=9990-")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(data, 9990, 10_000));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranged").range("bytes=-5")).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(data, 9995, 10_000));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranged").range("bytes=9000-20000"))
                .asByteArray()).hasSize(1000);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("ranged").range("bytes=10000-")))
                .satisfies(t -> {
                    assertThat(status(t)).isEqualTo(416);
                    assertThat(code(t)).isEqualTo("InvalidRange");
                    // RFC 9110 §15.5.17: the answer says how long the object is.
                    assertThat(((S3Exception) t).awsErrorDetails().sdkHttpResponse()
                            .firstMatchingHeader("Content-Range")).hasValue("bytes */10000");
                });
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("ranged").range("bytes=20000-20001")))
                .satisfies(t -> {
                    assertThat(status(t)).isEqualTo(416);
                    assertThat(((S3Exception) t).awsErrorDetails().sdkHttpResponse()
                            .firstMatchingHeader("Content-Range")).hasValue("bytes */10000");
                });
    }

    @Test
    void getObject_conditions_answer304And412() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("conditional"),
                RequestBody.fromString("v1"));
        String etag = put.eTag();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional").ifMatch(etag)).asUtf8String())
                .isEqualTo("v1");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional")
                .ifMatch("\"0000\""))).satisfies(t -> assertThat(status(t)).isEqualTo(412));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional")
                .ifNoneMatch(etag))).satisfies(t -> assertThat(status(t)).isEqualTo(304));
        Instant future = Instant.now().plusSeconds(3600);
        Instant past = Instant.now().minusSeconds(3600);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional")
                .ifModifiedSince(future))).satisfies(t -> assertThat(status(t)).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional")
                .ifUnmodifiedSince(past))).satisfies(t -> assertThat(status(t)).isEqualTo(412));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("conditional").ifModifiedSince(past))
                .asUtf8String()).isEqualTo("v1");
    }

    @Test
    void getObject_responseOverrides_replaceHeaders() {
        s3.putObject(b -> b.bucket(BUCKET).key("override").contentType("text/plain"), RequestBody.fromString("x"));
        GetObjectResponse r = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("override")
                .responseContentType("application/json").responseContentDisposition("inline")
                .responseCacheControl("no-cache")).response();
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.contentDisposition()).isEqualTo("inline");
        assertThat(r.cacheControl()).isEqualTo("no-cache");
    }

    @Test
    void keys_thatLookLikePaths_coexistAndRoundTrip() {
        String longKey = "k".repeat(1024);
        List<String> keys = List.of("../x", "a", "a/b", "a/b/c", "../../etc/passwd", "unicode/ключ/鍵/🔑",
                "with spaces and+plus", "./dot", "a//double", "trailing/", "%2F encoded", "tilde~and*star",
                longKey);
        for (String key : keys) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("value of " + key));
        }
        for (String key : keys) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
                    .as(key).isEqualTo("value of " + key);
        }
        assertThat(dataRoot().resolve("etc")).doesNotExist();
        String tooLong = "k".repeat(1025);
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(tooLong), RequestBody.fromString("x")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("KeyTooLongError"));
    }

    @Test
    void getObject_manySmallGetsOnOneKeepAliveConnection_neverMixResponses() {
        byte[] data = random(4096, 9);
        s3.putObject(b -> b.bucket(BUCKET).key("keep-alive"), RequestBody.fromBytes(data));
        for (int i = 0; i < 2000; i++) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("keep-alive")).asByteArray()).isEqualTo(data);
        }
    }

    @Test
    void deleteObject_missingKey_answers204() {
        s3.deleteObject(b -> b.bucket(BUCKET).key("never-existed"));
        s3.putObject(b -> b.bucket(BUCKET).key("to-delete"), RequestBody.fromString("x"));
        s3.deleteObject(b -> b.bucket(BUCKET).key("to-delete"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("to-delete")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void deleteObjects_verboseAndQuiet_deleteEveryKey() {
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "multi-delete/" + i;
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));
            ids.add(ObjectIdentifier.builder().key(key).build());
        }
        DeleteObjectsResponse verbose = s3.deleteObjects(b -> b.bucket(BUCKET)
                .delete(Delete.builder().objects(ids.subList(0, 10)).build()));
        assertThat(verbose.deleted()).hasSize(10);
        assertThat(verbose.errors()).isEmpty();
        DeleteObjectsResponse quiet = s3.deleteObjects(b -> b.bucket(BUCKET)
                .delete(Delete.builder().objects(ids.subList(10, 20)).quiet(true).build()));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(quiet.errors()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("multi-delete/")).contents()).isEmpty();
    }

    @Test
    void copyObject_copyAndReplaceDirectives() {
        s3.putObject(b -> b.bucket(BUCKET).key("copy/src").contentType("text/a").metadata(Map.of("m", "1")),
                RequestBody.fromString("source bytes"));
        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/src")
                .destinationBucket(BUCKET).destinationKey("copy/dst"));
        assertThat(copied.copyObjectResult().eTag()).isNotBlank();
        GetObjectResponse dst = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy/dst")).response();
        assertThat(dst.contentType()).isEqualTo("text/a");
        assertThat(dst.metadata()).containsEntry("m", "1");
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/src").destinationBucket(BUCKET)
                .destinationKey("copy/src").metadataDirective(MetadataDirective.REPLACE).contentType("text/b")
                .metadata(Map.of("m", "2")));
        ResponseBytes<GetObjectResponse> self = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("copy/src"));
        assertThat(self.asUtf8String()).isEqualTo("source bytes");
        assertThat(self.response().contentType()).isEqualTo("text/b");
        assertThat(self.response().metadata()).containsEntry("m", "2");
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/src")
                .destinationBucket(BUCKET).destinationKey("copy/src")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("copy/missing")
                .destinationBucket(BUCKET).destinationKey("copy/x")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NoSuchKey"));
    }

    @Test
    void conditionalPut_ifNoneMatchAndIfMatch_answer412WhenTheyFail() {
        PutObjectResponse first = s3.putObject(b -> b.bucket(BUCKET).key("cond-put").ifNoneMatch("*"),
                RequestBody.fromString("one"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("cond-put").ifNoneMatch("*"),
                RequestBody.fromString("two"))).satisfies(t -> assertThat(status(t)).isEqualTo(412));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("cond-put").ifMatch("\"ffff\""),
                RequestBody.fromString("two"))).satisfies(t -> assertThat(status(t)).isEqualTo(412));
        s3.putObject(b -> b.bucket(BUCKET).key("cond-put").ifMatch(first.eTag()), RequestBody.fromString("three"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("cond-put")).asUtf8String()).isEqualTo("three");
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("cond-absent").ifMatch(first.eTag()),
                RequestBody.fromString("x"))).satisfies(t -> {
                    // As S3 answers it: there is no version to compare with.
                    assertThat(status(t)).isEqualTo(404);
                    assertThat(code(t)).isEqualTo("NoSuchKey");
                });
    }

    @Test
    void conditionalPut_racingCreators_exactlyOneWins() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                byte[] body = ("racer " + i).getBytes(StandardCharsets.UTF_8);
                Callable<Boolean> racer = () -> {
                    go.await();
                    try {
                        s3.putObject(b -> b.bucket(BUCKET).key("race").ifNoneMatch("*"),
                                RequestBody.fromBytes(body));
                        return true;
                    } catch (S3Exception e) {
                        assertThat(e.statusCode()).isIn(409, 412);
                        return false;
                    }
                };
                results.add(pool.submit(racer));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void headersAskingForWhatIsNotImplemented_areRefusedAndNothingIsStored() {
        String key = "refused/header";
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(key)
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("secret")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NotImplemented"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).tagging("team=a"),
                RequestBody.fromString("tagged")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NotImplemented"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)))
                .isInstanceOf(NoSuchKeyException.class);

        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(BUCKET).expectedBucketOwner("111122223333")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDenied"));
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).expectedBucketOwner(NodeProcess.ACCESS_KEY)).name())
                .isEqualTo(BUCKET);
    }
}
