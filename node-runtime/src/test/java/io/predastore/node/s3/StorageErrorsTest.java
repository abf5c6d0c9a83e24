package io.predastore.node.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.node.store.Backend;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What storage refuses reaches an S3 client as the S3 error of the one table, with the thrower's words. */
class StorageErrorsTest {
    private static final Credentials CREDENTIALS = new Credentials("AKSTORAGEERRORS", "secret/for+the-error-table");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
            Map.entry(StorageError.UNAVAILABLE, "ServiceUnavailable")));

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
        S3Response response = createBucket(refusingWith(new StorageException(StorageError.UNAVAILABLE,
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
        S3Response response = createBucket(refusingWith(new StorageException(StorageError.BUCKET_ALREADY_YOURS,
                "Bucket photos already exists and is yours.")));

        assertThat(response.status().code()).isEqualTo(200);
    }

    /** A backend whose every call is refused with {@code refusal}. */
    private static Backend refusingWith(StorageException refusal) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    throw refusal;
                });
    }

    private static S3Response createBucket(Backend backend) {
        S3Service service = new S3Service(backend, new SigV4Verifier(CredentialStore.of(CREDENTIALS), "us-east-1",
                CLOCK), "us-east-1", List.of("localhost"), CREDENTIALS.accessKey(), RequestObserver.NONE);
        URI uri = URI.create("http://localhost:9000/photos");
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, uri.getRawPath());
        request.headers().set("Host", "localhost:9000").set("Content-Length", "0");
        Map<String, String> signed = new SigV4Signer(CREDENTIALS, "us-east-1", CLOCK).signHeaders("PUT", uri,
                Map.of("Content-Length", "0"), EMPTY_SHA256);
        signed.forEach((name, value) -> request.headers().set(name, value));
        return service.handle(request, S3ServiceTest.finishedPipe(), "REQ1",
                new InetSocketAddress("127.0.0.1", 40000));
    }
}
