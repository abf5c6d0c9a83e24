package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What storage refuses reaches an S3 client as the S3 error of the one table, with the thrower's words. */
class StorageErrorsTest {

    /** The answers S3 clients have always had for these refusals; the ITs pin the same through a real node. */
    private static final Map<StorageError, String> EXPECTED_CODES = new EnumMap<>(Map.ofEntries(
            Map.entry(StorageError.NO_SUCH_BUCKET, "NoSuchBucket"),
            Map.entry(StorageError.NO_SUCH_KEY, "NoSuchKey"),
            Map.entry(StorageError.NO_SUCH_UPLOAD, "NoSuchUpload"),
            Map.entry(StorageError.BUCKET_NOT_EMPTY, "BucketNotEmpty"),
            Map.entry(StorageError.BUCKET_ALREADY_YOURS, "BucketAlreadyOwnedByYou"),
            Map.entry(StorageError.PRECONDITION_FAILED, "PreconditionFailed"),
            Map.entry(StorageError.WRITE_CONFLICT, "ConditionalRequestConflict"),
            Map.entry(StorageError.INVALID_PART, "InvalidPart"),
            Map.entry(StorageError.INVALID_PART_ORDER, "InvalidPartOrder"),
            Map.entry(StorageError.PART_TOO_SMALL, "EntityTooSmall"),
            Map.entry(StorageError.MALFORMED_PART_LIST, "MalformedXML"),
            Map.entry(StorageError.BODY_INCOMPLETE, "IncompleteBody"),
            Map.entry(StorageError.BODY_TOO_LONG, "InvalidRequest"),
            Map.entry(StorageError.BODY_DIGEST_MISMATCH, "BadDigest"),
            Map.entry(StorageError.UNAVAILABLE, "ServiceUnavailable"),
            Map.entry(StorageError.OUTCOME_UNKNOWN, "ServiceUnavailable")));

    @ParameterizedTest
    @EnumSource(StorageError.class)
    void s3Error_everyStorageError_hasTheS3CodeClientsExpect(StorageError error) {
        assertThat(StorageErrors.s3Error(error).code()).isEqualTo(EXPECTED_CODES.get(error));
    }

    @Test
    void toS3_keepsTheThrowersMessageAndResource() {
        StorageException refused = new StorageException(StorageError.NO_SUCH_UPLOAD, "Upload u1 is gone.",
                "/b/k", null);

        S3Exception answer = StorageErrors.toS3(refused);

        assertThat(answer.error()).isEqualTo(S3Error.NO_SUCH_UPLOAD);
        assertThat(answer.getMessage()).isEqualTo("Upload u1 is gone.");
        assertThat(answer.resource()).isEqualTo("/b/k");
        assertThat(answer.getCause()).isSameAs(refused);
    }

    @Test
    void handle_storageRefusal_answeredWithItsS3ErrorMessageAndResource() {
        S3Response response = RefusingBackends.createBucket(RefusingBackends.refusingWith(new StorageException(StorageError.UNAVAILABLE,
                "The cluster metadata is unavailable; retry in a moment.", "/elsewhere", null)));

        assertThat(response.status().code()).isEqualTo(503);
        assertThat(response.operation()).isEqualTo("CREATE_BUCKET");
        assertThat(new String(response.bytes(), StandardCharsets.UTF_8))
                .contains("<Code>ServiceUnavailable</Code>")
                .contains("<Message>The cluster metadata is unavailable; retry in a moment.</Message>")
                .contains("<Resource>/elsewhere</Resource>")
                .contains("<RequestId>REQ1</RequestId>");
    }

    @Test
    void handle_bucketAlreadyYoursInLegacyRegion_createSucceedsAsS3Does() {
        S3Response response = RefusingBackends.createBucket(RefusingBackends.refusingWith(new StorageException(StorageError.BUCKET_ALREADY_YOURS,
                "Bucket photos already exists and is yours.")));

        assertThat(response.status().code()).isEqualTo(200);
    }
}
