package io.predastore.node.auth;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.http.RequestHeads;
import io.predastore.protocol.http.RequestTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Shared credentials, clocks and conversions between SDK-signed requests and Netty request heads. */
final class AuthFixtures {
    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    static final Credentials CREDENTIALS = new Credentials(ACCESS_KEY, SECRET_KEY);

    private AuthFixtures() {
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static SigV4Verifier verifier() {
        return verifierAt(NOW);
    }

    static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(CredentialStore.of(CREDENTIALS, new Credentials("OTHERKEY", "othersecret")),
                REGION, clockAt(now));
    }

    /** Verifies a request head as the S3 service does: its target parsed once, by {@link RequestTarget#of}. */
    static AuthContext verify(SigV4Verifier verifier, HttpRequest request) {
        return verifier.verify(request.method(), RequestHeads.target(request), request.headers());
    }

    /** An SDK request builder for {@code uri} (already encoded as the SDK's S3 client would). */
    static SdkHttpFullRequest.Builder sdkRequest(SdkHttpMethod method, String uri) {
        return SdkHttpFullRequest.builder().method(method).uri(URI.create(uri));
    }

    /** Signs with the SDK's SigV4 signer configured as its S3 client does (no double encoding or normalisation). */
    static SignedRequest sdkSign(SdkHttpRequest request, byte[] body, Instant at,
            Consumer<SignRequest.Builder<AwsCredentialsIdentity>> extra) {
        return AwsV4HttpSigner.create().sign(b -> {
            b.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                    .request(request)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clockAt(at));
            if (body != null) {
                b.payload(ContentStreamProvider.fromByteArray(body));
            }
            extra.accept(b);
        });
    }

    /** The Netty head of an SDK request, as the server would receive it. */
    static HttpRequest toNetty(SdkHttpRequest request) {
        URI uri = request.getUri();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        DefaultHttpRequest netty = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
                HttpMethod.valueOf(request.method().name()), target);
        request.forEachHeader((name, values) -> values.forEach(v -> netty.headers().add(name, v)));
        if (!netty.headers().contains("host")) {
            netty.headers().set("host", SigV4Signer.host(uri));
        }
        return netty;
    }

    /** A Netty request head with the given target and headers. */
    static HttpRequest nettyRequest(String method, String target, Map<String, String> headers) {
        DefaultHttpRequest netty = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        headers.forEach((k, v) -> netty.headers().add(k, v));
        return netty;
    }

    static HttpHeaders headers(Map<String, List<String>> map) {
        HttpHeaders h = new DefaultHttpHeaders();
        map.forEach((k, vs) -> vs.forEach(v -> h.add(k, v)));
        return h;
    }

    static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[777];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] readAll(ContentStreamProvider provider) {
        return readAll(provider.newStream());
    }

    static InputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
