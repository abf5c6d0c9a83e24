package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** Multipart uploads through the AWS SDK v2 against a real node process. */
class S3MultipartIT extends SharedNode {
    static final int MIB = 1024 * 1024;
    static final String BUCKET = "multipart-it";

    @BeforeAll
    static void createBucket() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    static byte[] part(int number, int size) {
        byte[] b = new byte[size];
        new Random(number * 7919L).nextBytes(b);
        return b;
    }

    String create(String key) {
        return s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
    }

    CompletedPart upload(String key, String uploadId, int number, byte[] data) {
        UploadPartResponse r = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(data));
        return CompletedPart.builder().partNumber(number).eTag(r.eTag()).build();
    }

    @Test
    void multipart64MiB_completesWithPartEtagAndReadsBackWithRanges() throws Exception {
        String key = "big/64mib.bin";
        String uploadId = create(key);
        int partSize = 8 * MIB;
        List<CompletedPart> parts = new ArrayList<>();
        MessageDigest whole = MessageDigest.getInstance("MD5");
        MessageDigest etags = MessageDigest.getInstance("MD5");
        for (int n = 1; n <= 8; n++) {
            byte[] data = part(n, partSize);
            whole.update(data);
            etags.update(MessageDigest.getInstance("MD5").digest(data));
            parts.add(upload(key, uploadId, n, data));
        }
        ListPartsResponse listed = s3.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));
        assertThat(listed.parts()).hasSize(8);
        assertThat(listed.parts().get(0).size()).isEqualTo((long) partSize);
        ListMultipartUploadsResponse uploads = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("big/"));
        assertThat(uploads.uploads()).extracting(u -> u.uploadId()).contains(uploadId);

        String etag = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag();
        assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(etags.digest()) + "-8\"");
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("big/")).uploads()).isEmpty();

        MessageDigest read = MessageDigest.getInstance("MD5");
        try (InputStream in = s3.getObject(b -> b.bucket(BUCKET).key(key))) {
            byte[] buf = new byte[1 << 16];
            int n;
            long total = 0;
            while ((n = in.read(buf)) >= 0) {
                read.update(buf, 0, n);
                total += n;
            }
            assertThat(total).isEqualTo(64L * MIB);
        }
        assertThat(read.digest()).isEqualTo(whole.digest());

        // A range that spans the boundary between parts 2 and 3.
        long start = 2L * partSize - 100;
        byte[] ranged = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)
                .range("bytes=" + start + "-" + (start + 199))).asByteArray();
        byte[] expected = new byte[200];
        System.arraycopy(part(2, partSize), partSize - 100, expected, 0, 100);
        System.arraycopy(part(3, partSize), 0, expected, 100, 100);
        assertThat(ranged).isEqualTo(expected);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).partsCount()).isEqualTo(8);
    }

    @Test
    void complete_withErrors_answersInvalidPartOrderInvalidPartEntityTooSmallNoSuchUpload() {
        String key = "errors/obj";
        String uploadId = create(key);
        CompletedPart small1 = upload(key, uploadId, 1, part(1, 1024));
        CompletedPart small2 = upload(key, uploadId, 2, part(2, 1024));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(small2, small1))))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidPartOrder"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("\"00\"").build()))))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(small1, small2))))
                .satisfies(t -> assertThat(code(t)).isEqualTo("EntityTooSmall"));
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId));
        assertThatThrownBy(() -> s3.listParts(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NoSuchUpload"));
        assertThatThrownBy(() -> upload(key, uploadId, 3, part(3, 10)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("NoSuchUpload"));
    }

    @Test
    void singlePartUpload_lastPartMayBeSmall_andCompleteHonoursIfNoneMatch() {
        String key = "small/one-part";
        String uploadId = create(key);
        CompletedPart only = upload(key, uploadId, 1, part(9, 1000));
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(only)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(part(9, 1000));

        String second = create(key);
        CompletedPart p = upload(key, second, 1, part(10, 10));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(second)
                .ifNoneMatch("*").multipartUpload(m -> m.parts(p))))
                .satisfies(t -> assertThat(((S3Exception) t).statusCode()).isEqualTo(412));
    }

    @Test
    void uploadPartCopy_copiesARangeOfAnObject() {
        byte[] source = part(42, 6 * MIB);
        s3.putObject(b -> b.bucket(BUCKET).key("copy/source"), RequestBody.fromBytes(source));
        String key = "copy/assembled";
        String uploadId = create(key);
        UploadPartCopyResponse first = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("copy/source")
                .destinationBucket(BUCKET).destinationKey(key).uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (5 * MIB - 1)));
        UploadPartCopyResponse second = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("copy/source")
                .destinationBucket(BUCKET).destinationKey(key).uploadId(uploadId).partNumber(2)
                .copySourceRange("bytes=" + (5 * MIB) + "-" + (6 * MIB - 1)));
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(first.copyPartResult().eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(second.copyPartResult().eTag()).build())));
        assertThat(Arrays.equals(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(), source))
                .isTrue();
    }
}
