package io.predastore.node.s3;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.node.store.Backend;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * What the S3 service answers when its backend refuses: a backend whose every call throws one given failure, and a
 * correctly signed CreateBucket sent through a real {@link S3Service} over it.
 */
final class RefusingBackends {
    private static final Credentials CREDENTIALS = new Credentials("AKREFUSINGBACKEND", "secret/for+refusing-backends");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private RefusingBackends() {
    }

    /**
     * A backend whose every call throws {@code failure}: an {@code IOException} (the backend's own checked
     * failures) or an unchecked one such as a {@code StorageException}.
     */
    static Backend refusingWith(Exception failure) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    throw failure;
                });
    }

    /** Sends a signed {@code PUT /photos} (CreateBucket) through an S3 service over {@code backend}. */
    static S3Response createBucket(Backend backend) {
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
