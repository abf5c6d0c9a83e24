package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Listings of no entries, requests on a bucket that does not exist, conditional writes and deletes, a completion
 * retried after it succeeded, ListBuckets pages, ACLs with ACLs disabled, and non-ASCII user metadata, through the
 * AWS SDK v2 against a real node process (and, as {@link S3CoreClusterIT}, against the shared cluster).
 */
class S3CoreIT extends SharedNode {
    static final int MIB = 1024 * 1024;
    static final String BUCKET = "core-it";

    @BeforeAll
    static void createBucket() {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    private static void assertS3Error(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).satisfies(t -> {
            assertThat(status(t)).as("status").isEqualTo(status);
            if (code != null) {
                assertThat(code(t)).as("code").isEqualTo(code);
            }
        });
    }

    private static CompletedPart upload(String bucket, String key, String uploadId, int number, byte[] data) {
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(data)).eTag();
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    // ------------------------------------------------------------------ max-keys=0 and friends

    @Test
    void listings_maxZero_answerAnEmptyPageThatIsNotTruncated() {
        for (String key : List.of("zero/a", "zero/b", "zero/c/d")) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key));
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("zero/mp")).uploadId();
        upload(BUCKET, "zero/mp", uploadId, 1, "one".getBytes(StandardCharsets.UTF_8));

        ListObjectsV2Response v2 = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("zero/").maxKeys(0));
        assertThat(v2.contents()).isEmpty();
        assertThat(v2.keyCount()).isZero();
        assertThat(v2.maxKeys()).isZero();
        assertThat(v2.isTruncated()).isFalse();
        assertThat(v2.nextContinuationToken()).isNull();
        ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(BUCKET).prefix("zero/").delimiter("/").maxKeys(0));
        assertThat(v1.contents()).isEmpty();
        assertThat(v1.commonPrefixes()).isEmpty();
        assertThat(v1.isTruncated()).isFalse();
        ListMultipartUploadsResponse uploads = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("zero/")
                .maxUploads(0));
        assertThat(uploads.uploads()).isEmpty();
        assertThat(uploads.isTruncated()).isFalse();
        ListPartsResponse parts = s3.listParts(b -> b.bucket(BUCKET).key("zero/mp").uploadId(uploadId).maxParts(0));
        assertThat(parts.parts()).isEmpty();
        assertThat(parts.isTruncated()).isFalse();

        // The same listings with room for entries still list them; a negative count is refused.
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("zero/").maxKeys(2)).isTruncated()).isTrue();
        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("zero/mp").uploadId(uploadId)).parts()).hasSize(1);
        assertS3Error(() -> s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(-1)), 400, "InvalidArgument");
        assertS3Error(() -> s3.listParts(b -> b.bucket(BUCKET).key("zero/mp").uploadId(uploadId).maxParts(-1)),
                400, "InvalidArgument");
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("zero/mp").uploadId(uploadId));
    }

    // ------------------------------------------------------------------ a bucket that does not exist

    @Test
    void deletedBucket_everyBucketScopedOperation_isNoSuchBucket404() {
        String gone = "core-gone";
        s3.createBucket(b -> b.bucket(gone));
        s3.putObject(b -> b.bucket(BUCKET).key("gone/source"), RequestBody.fromString("source"));
        s3.deleteBucket(b -> b.bucket(gone));
        String upload = "0".repeat(32);
        CompletedPart part = CompletedPart.builder().partNumber(1).eTag("\"" + "0".repeat(32) + "\"").build();

        Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
        calls.put("GetBucketLocation", () -> s3.getBucketLocation(b -> b.bucket(gone)));
        calls.put("GetBucketVersioning", () -> s3.getBucketVersioning(b -> b.bucket(gone)));
        calls.put("GetBucketAcl", () -> s3.getBucketAcl(b -> b.bucket(gone)));
        calls.put("PutBucketAcl", () -> s3.putBucketAcl(b -> b.bucket(gone).acl(BucketCannedACL.PRIVATE)));
        calls.put("ListObjects", () -> s3.listObjects(b -> b.bucket(gone)));
        calls.put("ListObjectsV2", () -> s3.listObjectsV2(b -> b.bucket(gone)));
        calls.put("ListObjectsV2 max-keys=0", () -> s3.listObjectsV2(b -> b.bucket(gone).maxKeys(0)));
        calls.put("ListMultipartUploads", () -> s3.listMultipartUploads(b -> b.bucket(gone)));
        calls.put("DeleteBucket", () -> s3.deleteBucket(b -> b.bucket(gone)));
        calls.put("PutObject", () -> s3.putObject(b -> b.bucket(gone).key("k"), RequestBody.fromString("x")));
        calls.put("PutObject If-None-Match", () -> s3.putObject(b -> b.bucket(gone).key("k").ifNoneMatch("*"),
                RequestBody.fromString("x")));
        calls.put("PutObject If-Match", () -> s3.putObject(b -> b.bucket(gone).key("k").ifMatch("*"),
                RequestBody.fromString("x")));
        calls.put("GetObject", () -> s3.getObjectAsBytes(b -> b.bucket(gone).key("k")));
        calls.put("GetObject partNumber", () -> s3.getObjectAsBytes(b -> b.bucket(gone).key("k").partNumber(1)));
        calls.put("DeleteObject", () -> s3.deleteObject(b -> b.bucket(gone).key("k")));
        calls.put("DeleteObject If-Match", () -> s3.deleteObject(b -> b.bucket(gone).key("k").ifMatch("*")));
        calls.put("DeleteObjects", () -> s3.deleteObjects(b -> b.bucket(gone).delete(d -> d.objects(
                ObjectIdentifier.builder().key("k").build()))));
        calls.put("GetObjectAcl", () -> s3.getObjectAcl(b -> b.bucket(gone).key("k")));
        calls.put("PutObjectAcl", () -> s3.putObjectAcl(b -> b.bucket(gone).key("k").acl(ObjectCannedACL.PRIVATE)));
        calls.put("CopyObject to it", () -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("gone/source")
                .destinationBucket(gone).destinationKey("k")));
        calls.put("CopyObject from it", () -> s3.copyObject(b -> b.sourceBucket(gone).sourceKey("k")
                .destinationBucket(BUCKET).destinationKey("gone/copy")));
        calls.put("CreateMultipartUpload", () -> s3.createMultipartUpload(b -> b.bucket(gone).key("k")));
        calls.put("UploadPart", () -> s3.uploadPart(b -> b.bucket(gone).key("k").uploadId(upload).partNumber(1),
                RequestBody.fromString("x")));
        calls.put("UploadPartCopy to it", () -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET)
                .sourceKey("gone/source").destinationBucket(gone).destinationKey("k").uploadId(upload)
                .partNumber(1)));
        calls.put("ListParts", () -> s3.listParts(b -> b.bucket(gone).key("k").uploadId(upload)));
        calls.put("CompleteMultipartUpload", () -> s3.completeMultipartUpload(b -> b.bucket(gone).key("k")
                .uploadId(upload).multipartUpload(m -> m.parts(part))));
        calls.put("AbortMultipartUpload", () -> s3.abortMultipartUpload(b -> b.bucket(gone).key("k")
                .uploadId(upload)));
        calls.forEach((name, call) -> assertThatThrownBy(call).as(name).satisfies(t -> {
            assertThat(status(t)).as(name).isEqualTo(404);
            assertThat(code(t)).as(name).isEqualTo("NoSuchBucket");
        }));
        // HEAD answers carry no body, so only the status tells.
        for (ThrowingCallable head : List.<ThrowingCallable>of(() -> s3.headBucket(b -> b.bucket(gone)),
                () -> s3.headObject(b -> b.bucket(gone).key("k")))) {
            assertThatThrownBy(head).satisfies(t -> assertThat(status(t)).isEqualTo(404));
        }
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("gone/copy")), 404, null);
    }

    // ------------------------------------------------------------------ conditional writes and deletes

    @Test
    void conditionalPut_ifMatchOnAMissingKey_isNoSuchKeyAndIfNoneMatchTakesOnlyStar() {
        String key = "cond/put";
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).ifMatch("\"" + "a".repeat(32) + "\""),
                RequestBody.fromString("x")), 404, "NoSuchKey");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).ifMatch("*"),
                RequestBody.fromString("x")), 404, "NoSuchKey");
        PutObjectResponse first = s3.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch("*"),
                RequestBody.fromString("one"));
        // S3 takes only '*' in If-None-Match on a write.
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key(key).ifNoneMatch(first.eTag()),
                RequestBody.fromString("two")), 501, "NotImplemented");
        s3.putObject(b -> b.bucket(BUCKET).key(key).ifMatch("*"), RequestBody.fromString("two"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("two");
    }

    @Test
    void conditionalCompleteAndCopy_ifMatchOnAMissingKey_isNoSuchKey() {
        String key = "cond/complete";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        CompletedPart p = upload(BUCKET, key, uploadId, 1, "only".getBytes(StandardCharsets.UTF_8));
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .ifMatch("\"" + "b".repeat(32) + "\"").multipartUpload(m -> m.parts(p))), 404, "NoSuchKey");
        // The upload is kept, and completes without the condition.
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(p)));
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(key).destinationBucket(BUCKET)
                .destinationKey("cond/copy-target").ifMatch("*")), 404, "NoSuchKey");
    }

    @Test
    void conditionalDelete_ifMatch_deletesOnlyThatVersion() {
        String key = "cond/delete-etag";
        String etag = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("v1")).eTag();

        assertS3Error(() -> s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatch("\"" + "c".repeat(32) + "\"")),
                412, "PreconditionFailed");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("v1");
        s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatch(etag));
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)), 404, null);
        // Gone now: a delete that requires a version finds none.
        assertS3Error(() -> s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatch(etag)), 404, "NoSuchKey");
        assertS3Error(() -> s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatch("*")), 404, "NoSuchKey");
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("v2"));
        s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatch("*"));
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)), 404, null);
    }

    @Test
    void conditionalDelete_sizeAndLastModified_deleteOnlyAMatchingVersion() {
        String key = "cond/delete-size";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("four"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));

        assertS3Error(() -> s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatchSize(5L)), 412,
                "PreconditionFailed");
        assertS3Error(() -> s3.deleteObject(b -> b.bucket(BUCKET).key(key)
                .ifMatchLastModifiedTime(head.lastModified().minusSeconds(60))), 412, "PreconditionFailed");
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag()).isEqualTo(head.eTag());

        s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatchSize(4L)
                .ifMatchLastModifiedTime(head.lastModified()).ifMatch(head.eTag()));
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)), 404, null);
        // Without an ETag to require, a delete of an absent key succeeds, as an unconditional one does.
        s3.deleteObject(b -> b.bucket(BUCKET).key(key).ifMatchSize(4L));
    }

    @Test
    void deleteObjects_perObjectConditions_eachEntryAnsweredOnItsOwn() {
        String etag = s3.putObject(b -> b.bucket(BUCKET).key("cond/many-1"), RequestBody.fromString("one")).eTag();
        s3.putObject(b -> b.bucket(BUCKET).key("cond/many-2"), RequestBody.fromString("two"));
        s3.putObject(b -> b.bucket(BUCKET).key("cond/many-3"), RequestBody.fromString("three"));
        s3.putObject(b -> b.bucket(BUCKET).key("cond/many-4"), RequestBody.fromString("four"));
        Instant modified = s3.headObject(b -> b.bucket(BUCKET).key("cond/many-3")).lastModified();
        Instant modified4 = s3.headObject(b -> b.bucket(BUCKET).key("cond/many-4")).lastModified();

        DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(
                ObjectIdentifier.builder().key("cond/many-1").eTag(etag).build(),
                ObjectIdentifier.builder().key("cond/many-2").eTag("\"" + "d".repeat(32) + "\"").build(),
                ObjectIdentifier.builder().key("cond/many-3").size(6L).lastModifiedTime(modified).build(),
                ObjectIdentifier.builder().key("cond/many-4").size(4L).lastModifiedTime(modified4).build(),
                ObjectIdentifier.builder().key("cond/many-absent").eTag(etag).build(),
                ObjectIdentifier.builder().key("cond/many-plain").build())));

        assertThat(r.deleted()).extracting(x -> x.key()).containsExactlyInAnyOrder("cond/many-1", "cond/many-4",
                "cond/many-plain");
        Map<String, String> errors = new LinkedHashMap<>();
        for (S3Error e : r.errors()) {
            errors.put(e.key(), e.code());
        }
        assertThat(errors).containsExactlyInAnyOrderEntriesOf(Map.of("cond/many-2", "PreconditionFailed",
                "cond/many-3", "PreconditionFailed", "cond/many-absent", "NoSuchKey"));
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("cond/many-1")), 404, null);
        s3.headObject(b -> b.bucket(BUCKET).key("cond/many-2"));
        s3.headObject(b -> b.bucket(BUCKET).key("cond/many-3"));
    }

    // ------------------------------------------------------------------ a completion retried

    @Test
    void completeMultipartUpload_retriedAfterSuccess_answersTheSameObject() {
        String key = "retry/complete";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        parts.add(upload(BUCKET, key, uploadId, 1, random(5 * MIB, 1)));
        parts.add(upload(BUCKET, key, uploadId, 2, random(1000, 2)));

        CompleteMultipartUploadResponse first = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        CompleteMultipartUploadResponse again = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key)
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));

        assertThat(again.eTag()).isEqualTo(first.eTag()).endsWith("-2\"");
        assertThat(again.key()).isEqualTo(key);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).contentLength()).isEqualTo(5L * MIB + 1000);
        // Not for another part list, and not once the key holds another version.
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts.get(0)))), 404, "NoSuchUpload");
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("replaced"));
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))), 404, "NoSuchUpload");
    }

    // ------------------------------------------------------------------ ListBuckets pages

    @Test
    void listBuckets_maxBucketsPrefixAndToken_pageThroughInNameOrder() {
        List<String> names = List.of("core-page-a", "core-page-b", "core-page-c", "core-page-d", "core-page-e");
        for (String name : names) {
            s3.createBucket(b -> b.bucket(name));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListBucketsResponse page = s3.listBuckets(b -> b.prefix("core-page-").maxBuckets(2).continuationToken(t));
            assertThat(page.buckets()).hasSizeLessThanOrEqualTo(2);
            assertThat(page.prefix()).isEqualTo("core-page-");
            page.buckets().forEach(x -> seen.add(x.name()));
            token = page.continuationToken();
            pages++;
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(names);
        assertThat(pages).isEqualTo(3);

        List<String> paginated = new ArrayList<>();
        s3.listBucketsPaginator(b -> b.prefix("core-page-").maxBuckets(1)).buckets()
                .forEach(x -> paginated.add(x.name()));
        assertThat(paginated).containsExactlyElementsOf(names);
        assertThat(s3.listBuckets(b -> b.prefix("core-page-").bucketRegion("us-east-1")).buckets())
                .extracting(Bucket::name).containsExactlyElementsOf(names);
        assertThat(s3.listBuckets(b -> b.prefix("core-page-").bucketRegion("eu-west-1")).buckets()).isEmpty();
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).containsAll(names);
        assertThat(s3.listBuckets().continuationToken()).isNull();

        assertS3Error(() -> s3.listBuckets(b -> b.maxBuckets(0)), 400, "InvalidArgument");
        assertS3Error(() -> s3.listBuckets(b -> b.maxBuckets(10_001)), 400, "InvalidArgument");
        assertS3Error(() -> s3.listBuckets(b -> b.continuationToken("not-a-token")), 400, "InvalidArgument");
    }

    // ------------------------------------------------------------------ ACLs

    @Test
    void acls_ownerFullControlOnly_readAndSetPrivate_refuseOthers() {
        String key = "acl/object";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("x"));

        GetBucketAclResponse bucketAcl = s3.getBucketAcl(b -> b.bucket(BUCKET));
        GetObjectAclResponse objectAcl = s3.getObjectAcl(b -> b.bucket(BUCKET).key(key));
        for (List<Grant> grants : List.of(bucketAcl.grants(), objectAcl.grants())) {
            assertThat(grants).singleElement().satisfies(g -> {
                assertThat(g.permission()).isEqualTo(Permission.FULL_CONTROL);
                assertThat(g.grantee().type()).isEqualTo(Type.CANONICAL_USER);
                assertThat(g.grantee().id()).isEqualTo(NodeProcess.ACCESS_KEY);
            });
        }
        assertThat(bucketAcl.owner().id()).isEqualTo(NodeProcess.ACCESS_KEY);
        assertThat(objectAcl.owner().id()).isEqualTo(NodeProcess.ACCESS_KEY);

        s3.putBucketAcl(b -> b.bucket(BUCKET).acl(BucketCannedACL.PRIVATE));
        s3.putObjectAcl(b -> b.bucket(BUCKET).key(key).acl(ObjectCannedACL.PRIVATE));
        s3.putObjectAcl(b -> b.bucket(BUCKET).key(key).acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));
        s3.putObjectAcl(b -> b.bucket(BUCKET).key(key).accessControlPolicy(p -> p.owner(objectAcl.owner())
                .grants(objectAcl.grants())));
        s3.putBucketAcl(b -> b.bucket(BUCKET).grantFullControl("id=\"" + NodeProcess.ACCESS_KEY + "\""));
        s3.putObject(b -> b.bucket(BUCKET).key("acl/private").acl(ObjectCannedACL.PRIVATE),
                RequestBody.fromString("x"));

        assertS3Error(() -> s3.putBucketAcl(b -> b.bucket(BUCKET).acl(BucketCannedACL.PUBLIC_READ)), 400,
                "AccessControlListNotSupported");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket(BUCKET).key(key).acl(ObjectCannedACL.PUBLIC_READ)), 400,
                "AccessControlListNotSupported");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket(BUCKET).key(key).grantRead("uri=\"http://acs.amazonaws"
                + ".com/groups/global/AllUsers\"")), 400, "AccessControlListNotSupported");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket(BUCKET).key(key).accessControlPolicy(p -> p
                .owner(objectAcl.owner()).grants(Grant.builder().permission(Permission.READ)
                        .grantee(g -> g.type(Type.CANONICAL_USER).id("someone-else")).build()))), 400,
                "AccessControlListNotSupported");
        assertS3Error(() -> s3.putObject(b -> b.bucket(BUCKET).key("acl/public").acl(ObjectCannedACL.PUBLIC_READ),
                RequestBody.fromString("x")), 400, "AccessControlListNotSupported");
        assertS3Error(() -> s3.createBucket(b -> b.bucket("core-acl-public").acl(BucketCannedACL.PUBLIC_READ)),
                400, "InvalidBucketAclWithObjectOwnership");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("acl/public")), 404, null);
        assertS3Error(() -> s3.headBucket(b -> b.bucket("core-acl-public")), 404, null);
        assertS3Error(() -> s3.getObjectAcl(b -> b.bucket(BUCKET).key("acl/missing")), 404, "NoSuchKey");
        assertS3Error(() -> s3.putObjectAcl(b -> b.bucket(BUCKET).key("acl/missing").acl(ObjectCannedACL.PRIVATE)),
                404, "NoSuchKey");
    }

    // ------------------------------------------------------------------ non-ASCII metadata

    @Test
    void userMetadata_nonAscii_roundTripsAsRfc2047() {
        String unicode = "Grüße 日本";
        String encoded = "=?UTF-8?B?" + Base64.getEncoder().encodeToString(unicode.getBytes(StandardCharsets.UTF_8))
                + "?=";
        // Header bytes outside ISO-8859-1 cannot be sent as they are; S3 clients send such values RFC 2047-encoded.
        s3.putObject(b -> b.bucket(BUCKET).key("meta/unicode").metadata(Map.of("greeting", encoded,
                "latin", "café", "plain", "ascii only")), RequestBody.fromString("x"));

        Map<String, String> head = s3.headObject(b -> b.bucket(BUCKET).key("meta/unicode")).metadata();
        Map<String, String> get = s3.getObject(b -> b.bucket(BUCKET).key("meta/unicode")).response().metadata();
        for (Map<String, String> m : List.of(head, get)) {
            assertThat(m.get("greeting")).isEqualTo(encoded);
            assertThat(decode(m.get("greeting"))).isEqualTo(unicode);
            assertThat(decode(m.get("latin"))).isEqualTo("café");
            assertThat(m.get("plain")).isEqualTo("ascii only");
        }
        // A copy keeps the stored (decoded) values, and answers them encoded again.
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("meta/unicode").destinationBucket(BUCKET)
                .destinationKey("meta/copy"));
        assertThat(decode(s3.headObject(b -> b.bucket(BUCKET).key("meta/copy")).metadata().get("greeting")))
                .isEqualTo(unicode);
        // A value that only looks encoded is kept as it was sent.
        s3.putObject(b -> b.bucket(BUCKET).key("meta/odd").metadata(Map.of("odd", "=?UTF-8?B?not base64?=")),
                RequestBody.fromString("x"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("meta/odd")).metadata().get("odd"))
                .isEqualTo("=?UTF-8?B?not base64?=");
    }

    /** Decodes one RFC 2047 B encoded-word of UTF-8, as a client reading S3 metadata does. */
    private static String decode(String value) {
        if (value.startsWith("=?UTF-8?B?") && value.endsWith("?=")) {
            return new String(Base64.getDecoder().decode(value.substring(10, value.length() - 2)),
                    StandardCharsets.UTF_8);
        }
        return value;
    }
}
