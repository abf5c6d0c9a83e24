package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.disk.StorageFullException;
import io.predastore.node.store.Backend;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A write the storage refuses for space is answered as 507 StorageFull, not as an InternalError. */
class S3ServiceStorageFullTest {
    private static final Credentials CREDENTIALS = new Credentials("AKFULLDISKTEST", "secret/for+the-full-disk-test");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** A backend whose every call fails as {@code failure} (its checked exceptions are the backend's own). */
    private static Backend failingWith(IOException failure) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    throw failure;
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

    @Test
    void handle_storageRefusesForSpace_507StorageFullWithItsMessage() {
        S3Response response = createBucket(failingWith(new StorageFullException("Cannot create bucket photos: "
                + "this node has 3.0 MiB of free space, less than its reserve of 64.0 MiB, so it accepts no new data. "
                + StorageFullException.WHAT_TO_DO)));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.INSUFFICIENT_STORAGE);
        assertThat(response.status().code()).isEqualTo(507);
        assertThat(response.operation()).isEqualTo("CREATE_BUCKET");
        assertThat(new String(response.bytes(), StandardCharsets.UTF_8))
                .contains("<Code>StorageFull</Code>")
                .contains("<Message>Cannot create bucket photos: this node has 3.0 MiB of free space")
                .contains("<Resource>/photos</Resource>")
                .contains("<RequestId>REQ1</RequestId>");
    }

    @Test
    void handle_otherStorageFailure_stillInternalError() {
        S3Response response = createBucket(failingWith(new IOException("Input/output error")));

        assertThat(response.status().code()).isEqualTo(500);
        assertThat(new String(response.bytes(), StandardCharsets.UTF_8)).contains("<Code>InternalError</Code>")
                .doesNotContain("Input/output error");
    }

    @Test
    void storageFull_isOurOwnCodeWithStatus507() {
        assertThat(S3Error.STORAGE_FULL.code()).isEqualTo("StorageFull");
        assertThat(S3Error.STORAGE_FULL.httpStatus()).isEqualTo(507);
        assertThat(S3Error.STORAGE_FULL.defaultMessage()).contains("abort multipart uploads");
    }
}
