package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Bucket operations and listings through the AWS SDK v2 against a real node process. */
class S3BucketsIT extends SharedNode {

    @Test
    void bucketLifecycle_createHeadListLocationDelete() {
        s3.createBucket(b -> b.bucket("life-cycle"));
        // In us-east-1 S3 answers a re-create of your own bucket with 200 (legacy behaviour); see the eu-west-1 test.
        s3.createBucket(b -> b.bucket("life-cycle"));
        s3.headBucket(b -> b.bucket("life-cycle"));
        assertThat(s3.listBuckets().buckets()).extracting(x -> x.name()).contains("life-cycle");
        assertThat(s3.getBucketLocation(b -> b.bucket("life-cycle")).locationConstraintAsString()).isEmpty();
        s3.putObject(b -> b.bucket("life-cycle").key("k"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("life-cycle")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("BucketNotEmpty"));
        s3.deleteObject(b -> b.bucket("life-cycle").key("k"));
        s3.deleteBucket(b -> b.bucket("life-cycle"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("life-cycle")))
                .isInstanceOf(NoSuchBucketException.class);
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("life-cycle")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NoSuchBucket"));
    }

    @Test
    void createBucket_withLocationConstraintBody_isAccepted() {
        try (S3Client eu = software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                NodeProcess.ACCESS_KEY, NodeProcess.SECRET_KEY)))
                .forcePathStyle(true).build()) {
            eu.createBucket(b -> b.bucket("with-location").createBucketConfiguration(c -> c
                    .locationConstraint("us-east-1")));
            assertThatThrownBy(() -> eu.createBucket(b -> b.bucket("other-region").createBucketConfiguration(c -> c
                    .locationConstraint(BucketLocationConstraint.EU_WEST_1))))
                    .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(400));
        }
        s3.headBucket(b -> b.bucket("with-location"));
    }

    @Test
    void createBucket_invalidNames_areInvalidBucketName() throws Exception {
        // Sent raw: the SDK refuses some of these names before they reach the server.
        for (String name : List.of("ab", "Upper-Case", "under_score", "-leading", "trailing-", "a..b",
                "192.168.1.1", "xn--punycode", "x".repeat(64), "a%00b")) {
            RawHttp.Response r = RawHttp.signed(endpoint(), "PUT", "/" + name, java.util.Map.of(),
                    new byte[0], java.time.Clock.systemUTC());
            assertThat(r.status()).as(name).isEqualTo(400);
            assertThat(r.body()).as(name).contains("<Code>InvalidBucketName</Code>");
        }
        assertThat(s3.listBuckets().buckets()).extracting(x -> x.name()).doesNotContain("ab", "a..b");
    }

    @Test
    void listObjectsV2_prefixDelimiterAndPaging_matchAModel() {
        s3.createBucket(b -> b.bucket("listing"));
        TreeSet<String> model = new TreeSet<>();
        for (int d = 0; d < 7; d++) {
            for (int f = 0; f < 9; f++) {
                model.add("dir" + d + "/file" + f);
            }
            model.add("top" + d);
        }
        model.add("dir3/sub/deep");
        model.add("z é");
        for (String key : model) {
            s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key));
        }
        List<String> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("listing").maxKeys(10).continuationToken(t));
            assertThat(page.keyCount()).isLessThanOrEqualTo(10);
            page.contents().forEach(o -> all.add(o.key()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(all).containsExactlyElementsOf(model);

        ListObjectsV2Response rolled = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
        assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix)
                .containsExactly("dir0/", "dir1/", "dir2/", "dir3/", "dir4/", "dir5/", "dir6/");
        assertThat(rolled.contents()).extracting(S3Object::key)
                .containsExactly("top0", "top1", "top2", "top3", "top4", "top5", "top6", "z é");

        ListObjectsV2Response pagedPrefixes = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/").maxKeys(3));
        assertThat(pagedPrefixes.isTruncated()).isTrue();
        assertThat(pagedPrefixes.commonPrefixes()).extracting(CommonPrefix::prefix)
                .containsExactly("dir0/", "dir1/", "dir2/");
        ListObjectsV2Response next = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/").maxKeys(3)
                .continuationToken(pagedPrefixes.nextContinuationToken()));
        assertThat(next.commonPrefixes()).extracting(CommonPrefix::prefix)
                .containsExactly("dir3/", "dir4/", "dir5/");

        ListObjectsV2Response sub = s3.listObjectsV2(b -> b.bucket("listing").prefix("dir3/").delimiter("/"));
        assertThat(sub.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("dir3/sub/");
        assertThat(sub.contents()).hasSize(9);

        ListObjectsV2Response after = s3.listObjectsV2(b -> b.bucket("listing").startAfter("top5"));
        assertThat(after.contents()).extracting(S3Object::key).containsExactly("top6", "z é");

        ListObjectsV2Response owner = s3.listObjectsV2(b -> b.bucket("listing").prefix("top0").fetchOwner(true));
        assertThat(owner.contents().get(0).owner()).isNotNull();

        ListObjectsV2Response encoded = s3.listObjectsV2(b -> b.bucket("listing").prefix("z")
                .encodingType(EncodingType.URL));
        assertThat(encoded.contents()).extracting(S3Object::key).containsExactly("z é");
    }

    @Test
    void listObjectsV1_markerAndNextMarker_page() {
        s3.createBucket(b -> b.bucket("listing-v1"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = String.format("p%02d/x", i);
            keys.add(key);
            s3.putObject(b -> b.bucket("listing-v1").key(key), RequestBody.fromString("x"));
        }
        ListObjectsResponse first = s3.listObjects(b -> b.bucket("listing-v1").delimiter("/").maxKeys(10));
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.commonPrefixes()).hasSize(10);
        assertThat(first.nextMarker()).isEqualTo("p09/");
        ListObjectsResponse second = s3.listObjects(b -> b.bucket("listing-v1").delimiter("/").maxKeys(10)
                .marker(first.nextMarker()));
        assertThat(second.commonPrefixes()).extracting(CommonPrefix::prefix).first().isEqualTo("p10/");
        ListObjectsResponse flat = s3.listObjects(b -> b.bucket("listing-v1").maxKeys(1000));
        assertThat(flat.contents().stream().map(S3Object::key).collect(Collectors.toList()))
                .containsExactlyElementsOf(keys);
        assertThat(flat.isTruncated()).isFalse();
    }
}
