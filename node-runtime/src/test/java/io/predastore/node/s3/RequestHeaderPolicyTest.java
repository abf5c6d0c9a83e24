package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which S3 headers no operation reads are refused, on which operations, and the expected-owner check. */
class RequestHeaderPolicyTest {
    private final RequestHeaderPolicy policy = new RequestHeaderPolicy("owner");

    @ParameterizedTest
    @CsvSource({
        "PUT_OBJECT, x-amz-server-side-encryption, AES256",
        "COPY_OBJECT, x-amz-server-side-encryption, aws:kms",
        "CREATE_MULTIPART_UPLOAD, x-amz-server-side-encryption-aws-kms-key-id, key",
        "PUT_OBJECT, x-amz-server-side-encryption-customer-algorithm, AES256",
        "GET_OBJECT, x-amz-server-side-encryption-customer-algorithm, AES256",
        "HEAD_OBJECT, x-amz-server-side-encryption-customer-algorithm, AES256",
        "UPLOAD_PART, x-amz-server-side-encryption-customer-algorithm, AES256",
        "UPLOAD_PART_COPY, x-amz-copy-source-server-side-encryption-customer-algorithm, AES256",
        "PUT_OBJECT, x-amz-tagging, a=b",
        "CREATE_MULTIPART_UPLOAD, x-amz-tagging, a=b",
        "PUT_OBJECT, x-amz-object-lock-mode, GOVERNANCE",
        "COPY_OBJECT, x-amz-object-lock-retain-until-date, 2030-01-01T00:00:00Z",
        "CREATE_MULTIPART_UPLOAD, x-amz-object-lock-legal-hold, ON",
        "PUT_OBJECT, x-amz-write-offset-bytes, 10",
        "CREATE_BUCKET, x-amz-bucket-object-lock-enabled, true",
    })
    void check_headerAskingForWhatIsNotImplemented_isNotImplementedNamingIt(String op, String header, String value) {
        assertThatThrownBy(() -> policy.check(S3Operation.valueOf(op), request(Map.of(header, value))))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.NOT_IMPLEMENTED);
                    assertThat(e.getMessage()).contains(header);
                });
    }

    @ParameterizedTest
    @CsvSource({
        "GET_OBJECT, x-amz-tagging, a=b",
        "GET_OBJECT, If-Match, \"etag\"",
        "PUT_OBJECT, If-Match, \"etag\"",
        "DELETE_OBJECT, If-Match, \"etag\"",
        "DELETE_OBJECT, x-amz-if-match-size, 10",
        "DELETE_OBJECT, x-amz-if-match-last-modified-time, 'Wed, 01 Jan 2025 00:00:00 GMT'",
        "GET_OBJECT, x-amz-server-side-encryption, AES256",
        "CREATE_BUCKET, x-amz-bucket-object-lock-enabled, false",
        "PUT_OBJECT, x-amz-expected-bucket-owner, owner",
        "UPLOAD_PART_COPY, x-amz-source-expected-bucket-owner, owner",
    })
    void check_headerThatIsReadOrHarmlessThere_passes(String op, String header, String value) {
        assertThatCode(() -> policy.check(S3Operation.valueOf(op), request(Map.of(header, value))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "LIST_OBJECTS_V2, x-amz-expected-bucket-owner",
        "GET_OBJECT, x-amz-expected-bucket-owner",
        "COPY_OBJECT, x-amz-source-expected-bucket-owner",
        "UPLOAD_PART_COPY, x-amz-source-expected-bucket-owner",
    })
    void check_expectedOwnerNotTheOwner_isAccessDenied(String op, String header) {
        assertThatThrownBy(() -> policy.check(S3Operation.valueOf(op), request(Map.of(header, "111122223333"))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error())
                        .isEqualTo(S3Error.ACCESS_DENIED));
    }

    private static S3Request request(Map<String, String> headers) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        headers.forEach(h::add);
        return new S3Request(HttpMethod.GET, "bucket", "key", Map.of(), h, "req");
    }
}
