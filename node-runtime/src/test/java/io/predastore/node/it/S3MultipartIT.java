package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
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

    /** Parts of unequal sizes (the first two at least 5 MiB), uploaded and completed as {@code key}. */
    byte[][] uploadUnequalParts(String key) {
        byte[][] data = {part(21, 5 * MIB + 7), part(22, 5 * MIB), part(23, 123)};
        String uploadId = create(key);
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            parts.add(upload(key, uploadId, i + 1, data[i]));
        }
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        return data;
    }

    @Test
    void getAndHeadObject_partNumber_answerThatPartAsARange() {
        String key = "parts/unequal";
        byte[][] data = uploadUnequalParts(key);
        long total = 10L * MIB + 130;
        String etag = s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag();

        long offset = 0;
        for (int i = 0; i < data.length; i++) {
            int number = i + 1;
            String contentRange = "bytes " + offset + "-" + (offset + data[i].length - 1) + "/" + total;
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)
                    .partNumber(number));
            assertThat(got.asByteArray()).isEqualTo(data[i]);
            assertThat(got.response().contentRange()).isEqualTo(contentRange);
            assertThat(got.response().contentLength()).isEqualTo(data[i].length);
            assertThat(got.response().partsCount()).isEqualTo(3);
            assertThat(got.response().eTag()).isEqualTo(etag);
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key).partNumber(number));
            assertThat(head.contentRange()).isEqualTo(contentRange);
            assertThat(head.contentLength()).isEqualTo(data[i].length);
            assertThat(head.partsCount()).isEqualTo(3);
            offset += data[i].length;
        }

        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).partNumber(4)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidPartNumber"))
                .satisfies(t -> assertThat(status(t)).isEqualTo(416));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key).partNumber(4)))
                .satisfies(t -> assertThat(status(t)).isEqualTo(416));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).partNumber(1)
                .range("bytes=0-9")))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidRequest"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).partNumber(10001)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidArgument"));
    }

    @Test
    void getAndHeadObject_partNumberOfAnObjectNotUploadedInParts_partOneIsTheWholeObject() {
        String key = "parts/plain";
        byte[] data = part(24, 1000);
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(data));

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).partNumber(1));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().contentRange()).isEqualTo("bytes 0-999/1000");
        assertThat(got.response().partsCount()).isNull();
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key).partNumber(1)).contentRange())
                .isEqualTo("bytes 0-999/1000");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).partNumber(2)))
                .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidPartNumber"));
    }

    @Test
    void multipartDownloadClient_fetchesPartByPart_andAssemblesTheObject() {
        String key = "parts/download";
        byte[][] data = uploadUnequalParts(key);
        byte[] whole = new byte[data[0].length + data[1].length + data[2].length];
        System.arraycopy(data[0], 0, whole, 0, data[0].length);
        System.arraycopy(data[1], 0, whole, data[0].length, data[1].length);
        System.arraycopy(data[2], 0, whole, data[0].length + data[1].length, data[2].length);
        List<String> asked = Collections.synchronizedList(new ArrayList<>());
        ExecutionInterceptor observer = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                context.httpRequest().firstMatchingRawQueryParameter("partNumber").ifPresent(asked::add);
            }
        };

        try (S3AsyncClient async = Clients.s3AsyncMultipart(endpoint(), observer)) {
            byte[] got = async.getObject(b -> b.bucket(BUCKET).key(key), AsyncResponseTransformer.toBytes()).join()
                    .asByteArray();

            assertThat(got).isEqualTo(whole);
        }
        assertThat(asked).containsExactlyInAnyOrder("1", "2", "3");
    }
}
