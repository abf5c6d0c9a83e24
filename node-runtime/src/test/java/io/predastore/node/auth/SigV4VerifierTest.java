package io.predastore.node.auth;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4;
import io.predastore.client.sigv4.SigV4Signer;
import static io.predastore.node.auth.AuthFixtures.ACCESS_KEY;
import static io.predastore.node.auth.AuthFixtures.CREDENTIALS;
import static io.predastore.node.auth.AuthFixtures.NOW;
import static io.predastore.node.auth.AuthFixtures.REGION;
import static io.predastore.node.auth.AuthFixtures.clockAt;
import static io.predastore.node.auth.AuthFixtures.readAll;
import static io.predastore.node.auth.AuthFixtures.sdkRequest;
import static io.predastore.node.auth.AuthFixtures.sdkSign;
import static io.predastore.node.auth.AuthFixtures.stream;
import static io.predastore.node.auth.AuthFixtures.toNetty;
import static io.predastore.node.auth.AuthFixtures.utf8;
import static io.predastore.node.auth.AuthFixtures.verifier;
import static io.predastore.node.auth.AuthFixtures.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.protocol.http.MalformedRequestException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

class SigV4VerifierTest {
    private static final String ENDPOINT = "https://s3.example.test:9443";

    private static String objectUri(String bucket, String key, String rawQuery) {
        return ENDPOINT + "/" + bucket + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key)
                + (rawQuery == null ? "" : "?" + rawQuery);
    }

    private static HttpRequest sdkHeaderSigned(String uri, byte[] body, boolean signPayload) {
        SdkHttpRequest request = sdkRequest(SdkHttpMethod.PUT, uri)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("x-amz-meta-note", "several   spaces  inside")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SignedRequest signed = sdkSign(request, body, NOW,
                b -> b.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload));
        return toNetty(signed.request());
    }

    private static void assertS3Error(ThrowingCallable call, S3Error error) {
        assertThatThrownBy(call).isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).error()).isEqualTo(error));
    }

    // ------------------------------------------------------------------ accepted

    @Test
    void verify_sdkHeaderSignedPayload_acceptsAndChecksBody() throws Exception {
        byte[] body = utf8("hello, predastore");
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "dir/my key.txt", null), body, true);

        AuthContext auth = verify(verifier(), request);

        assertThat(auth.accessKey()).isEqualTo(ACCESS_KEY);
        assertThat(auth.payloadMode()).isEqualTo(PayloadMode.SIGNED_SHA256);
        assertThat(auth.decodedContentLength(request.headers())).isEqualTo(body.length);
        try (DecodedBody decoded = auth.decodeBody(stream(body), request.headers())) {
            assertThat(readAll(decoded)).isEqualTo(body);
            assertThat(decoded.verified()).isTrue();
        }
    }

    @Test
    void verify_sdkHeaderUnsignedPayload_acceptsAsUnsigned() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), false);

        AuthContext auth = verify(verifier(), request);

        assertThat(auth.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
        assertThat(readAll(auth.decodeBody(stream(utf8("anything")), request.headers()))).isEqualTo(utf8("anything"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "with space", "unicode-\u00fc\u00e9\u4e2d\u6587", "plus+sign", "tilde~key",
        "percent%20literal", "a/b//c/./../d", "symbols !$&'()*,;=:@[]", "emoji-\ud83d\ude00"})
    void verify_sdkHeaderSignedSpecialKeys_accepts(String key) {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", key, "tagging"), new byte[0], true);

        assertThat(verify(verifier(), request).accessKey()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void verify_sdkHeaderSignedQueryWithSpecialCharacters_accepts() {
        String query = "list-type=2&prefix=" + SdkHttpUtils.urlEncode("a b+c/\u00fc~*'%")
                + "&delimiter=%2F&start-after=" + SdkHttpUtils.urlEncode("x=y&z") + "&fetch-owner";
        SdkHttpRequest request = sdkRequest(SdkHttpMethod.GET, ENDPOINT + "/bucket?" + query).build();
        SignedRequest signed = sdkSign(request, new byte[0], NOW, b -> { });

        assertThat(verify(verifier(), toNetty(signed.request())).payloadMode()).isEqualTo(PayloadMode.SIGNED_SHA256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "with space", "unicode-\u00fc\u4e2d", "plus+sign", "tilde~key", "pct%41",
        "deep/path/x.bin"})
    void verify_sdkPresignedSpecialKeys_accepts(String key) {
        String query = "response-content-disposition=" + SdkHttpUtils.urlEncode("attachment; filename=\"a b+c.txt\"")
                + "&versionId=null";
        SdkHttpRequest request = sdkRequest(SdkHttpMethod.GET, objectUri("bucket", key, query)).build();
        SignedRequest signed = sdkSign(request, null, NOW, b -> b
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofHours(1))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));

        AuthContext auth = verify(AuthFixtures.verifierAt(NOW.plusSeconds(3599)), toNetty(signed.request()));

        assertThat(auth.presigned()).isTrue();
        assertThat(auth.payloadMode()).isEqualTo(PayloadMode.UNSIGNED);
    }

    @Test
    void verify_s3PresignerUrl_accepts() throws Exception {
        String key = "reports/Q1 2026+final~\u00fc%.pdf";
        try (S3Presigner presigner = S3Presigner.builder()
                .region(Region.of(REGION))
                .endpointOverride(URI.create("http://localhost:9000"))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, AuthFixtures.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            URL url = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(10))
                    .getObjectRequest(g -> g.bucket("bucket").key(key).responseContentType("text/plain; x=y")))
                    .url();
            HttpRequest request = AuthFixtures.nettyRequest("GET", url.getFile(), Map.of("Host", "localhost:9000"));

            AuthContext auth = verify(AuthFixtures.verifierAt(Instant.now()), request);

            assertThat(auth.accessKey()).isEqualTo(ACCESS_KEY);
            assertThat(auth.presigned()).isTrue();
        }
    }

    @Test
    void verify_ownSignerHeaders_accepts() {
        URI uri = URI.create("http://127.0.0.1:8080/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes("a b+\u00fc")
                + "?uploads&x=" + SdkHttpUtils.urlEncode("1 2"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("x-amz-meta-k", "v");
        byte[] body = utf8("payload");
        Map<String, String> added = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .signHeaders("POST", uri, headers, SigV4.sha256Hex(body));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(added);
        all.put("Host", "127.0.0.1:8080");

        AuthContext auth = verify(verifier(), AuthFixtures.nettyRequest("POST", uri.getRawPath() + "?"
                + uri.getRawQuery(), all));

        assertThat(auth.payloadMode()).isEqualTo(PayloadMode.SIGNED_SHA256);
        assertThat(added).containsKeys("Authorization", "x-amz-date", "x-amz-content-sha256");
    }

    @Test
    void verify_ownSignerPresigned_accepts() {
        URI uri = URI.create("https://s3.example.test/bucket/" + SdkHttpUtils.urlEncodeIgnoreSlashes("k y+~")
                + "?versionId=3");
        URI presigned = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW)).presign("GET", uri, Duration.ofMinutes(5));

        AuthContext auth = verify(verifier(), AuthFixtures.nettyRequest("GET",
                presigned.getRawPath() + "?" + presigned.getRawQuery(), Map.of("Host", "s3.example.test")));

        assertThat(auth.presigned()).isTrue();
    }

    @Test
    void verify_ownSignerAbsoluteFormTarget_accepts() {
        URI uri = URI.create("http://s3.example.test/bucket/key");
        Map<String, String> all = new LinkedHashMap<>(new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .signHeaders("GET", uri, Map.of(), null));
        all.put("Host", "s3.example.test");

        assertThat(verify(verifier(), AuthFixtures.nettyRequest("GET", uri.toString(), all)).payloadMode())
                .isEqualTo(PayloadMode.UNSIGNED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP://s3.example.test/bucket/key", "hTtPs://S3.Example.Test/bucket/key",
        "http://s3.example.test/bucket%2Fkey", "/bucket/k%65y"})
    void verify_sameResourceInAnyAcceptedForm_accepts(String target) {
        Map<String, String> all = new LinkedHashMap<>(new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .signHeaders("GET", URI.create("http://s3.example.test/bucket/key"), Map.of(), null));
        all.put("Host", "s3.example.test");

        assertThat(verify(verifier(), AuthFixtures.nettyRequest("GET", target, all)).accessKey())
                .isEqualTo(ACCESS_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP://s3.example.test/bucket/b", "/bucket/a/", "/bucket/a?x-id=PutObject",
        "/bucket/a%3F", "/bucket/A"})
    void verify_signedForOneKeySentForAnother_throwsSignatureDoesNotMatch(String target) {
        Map<String, String> all = new LinkedHashMap<>(new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .signHeaders("PUT", URI.create("http://s3.example.test/bucket/a"), Map.of(), null));
        all.put("Host", "s3.example.test");

        assertS3Error(() -> verify(verifier(), AuthFixtures.nettyRequest("PUT", target, all)),
                S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void verify_absoluteFormNamingAnotherHost_isRefusedBeforeVerification() {
        Map<String, String> all = new LinkedHashMap<>(new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .signHeaders("PUT", URI.create("http://bucket.s3.example.test/a"), Map.of(), null));
        all.put("Host", "bucket.s3.example.test");

        assertThatThrownBy(() -> verify(verifier(), AuthFixtures.nettyRequest("PUT",
                "HTTP://other.s3.example.test/a", all))).isInstanceOf(MalformedRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h/bucket/%FF", "http://h/bucket/%ED%A0%80", "http://h/bucket?x=%C3"})
    void signHeaders_uriTheServerRefuses_throwsIllegalArgument(String uri) {
        SigV4Signer signer = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW));

        assertThatThrownBy(() -> signer.signHeaders("GET", URI.create(uri), Map.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the server would refuse it");
    }

    @Test
    void verify_headerWithoutSpacesAfterCommas_accepts() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        String compact = request.headers().get("Authorization").replace(", ", ",");
        request.headers().set("Authorization", compact);

        assertThat(verify(verifier(), request).accessKey()).isEqualTo(ACCESS_KEY);
    }

    // ------------------------------------------------------------------ refused

    @Test
    void verify_unknownAccessKey_throwsInvalidAccessKeyId() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        SigV4Verifier other = new SigV4Verifier(CredentialStore.of(new Credentials("SOMEONE", "else")), REGION,
                clockAt(NOW));

        assertS3Error(() -> verify(other, request), S3Error.INVALID_ACCESS_KEY_ID);
    }

    @Test
    void verify_wrongSecret_throwsSignatureDoesNotMatchWithoutLeakingSecret() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        SigV4Verifier other = new SigV4Verifier(CredentialStore.of(new Credentials(ACCESS_KEY, "not-the-secret")),
                REGION, clockAt(NOW));

        assertS3Error(() -> verify(other, request), S3Error.SIGNATURE_DOES_NOT_MATCH);
        assertThatThrownBy(() -> verify(other, request)).hasMessageContaining("AWS4-HMAC-SHA256\\n")
                .hasMessageNotContaining("not-the-secret");
    }

    @Test
    void verify_tamperedSignedHeader_throwsSignatureDoesNotMatch() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.headers().set("Content-Type", "text/html");

        assertS3Error(() -> verify(verifier(), request), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void verify_tamperedPath_throwsSignatureDoesNotMatch() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.setUri("/bucket/other");

        assertS3Error(() -> verify(verifier(), request), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void verify_doubleEncodedPath_throwsSignatureDoesNotMatch() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "a b", null), utf8("x"), true);
        request.setUri(request.uri().replace("%20", "%2520"));

        assertS3Error(() -> verify(verifier(), request), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void verify_addedQueryParameter_throwsSignatureDoesNotMatch() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.setUri(request.uri() + "?acl");

        assertS3Error(() -> verify(verifier(), request), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void verify_unsignedAmzHeaderAdded_throwsAccessDenied() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.headers().set("x-amz-copy-source", "/other/secret");

        assertS3Error(() -> verify(verifier(), request), S3Error.ACCESS_DENIED);
    }

    @Test
    void verify_clockSkewedSixteenMinutes_throwsRequestTimeTooSkewed() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);

        assertS3Error(() -> verify(AuthFixtures.verifierAt(NOW.plus(Duration.ofMinutes(16))), request),
                S3Error.REQUEST_TIME_TOO_SKEWED);
        assertS3Error(() -> verify(AuthFixtures.verifierAt(NOW.minus(Duration.ofMinutes(16))), request),
                S3Error.REQUEST_TIME_TOO_SKEWED);
        assertThat(verify(AuthFixtures.verifierAt(NOW.plus(Duration.ofMinutes(14))), request)).isNotNull();
    }

    @Test
    void verify_expiredPresignedUrl_throwsAccessDenied() {
        URI presigned = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .presign("GET", URI.create("https://h/bucket/k"), Duration.ofSeconds(60));
        HttpRequest request = AuthFixtures.nettyRequest("GET", presigned.getRawPath() + "?" + presigned.getRawQuery(),
                Map.of("Host", "h"));

        assertThat(verify(AuthFixtures.verifierAt(NOW.plusSeconds(60)), request)).isNotNull();
        assertS3Error(() -> verify(AuthFixtures.verifierAt(NOW.plusSeconds(61)), request), S3Error.ACCESS_DENIED);
        assertThatThrownBy(() -> verify(AuthFixtures.verifierAt(NOW.plusSeconds(61)), request))
                .hasMessageContaining("Request has expired");
    }

    @Test
    void verify_presignedDatedInTheFuture_throwsRequestTimeTooSkewed() {
        URI presigned = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW.plus(Duration.ofMinutes(16))))
                .presign("GET", URI.create("https://h/bucket/k"), Duration.ofHours(1));
        HttpRequest request = AuthFixtures.nettyRequest("GET", presigned.getRawPath() + "?" + presigned.getRawQuery(),
                Map.of("Host", "h"));

        assertS3Error(() -> verify(verifier(), request), S3Error.REQUEST_TIME_TOO_SKEWED);
    }

    @Test
    void verify_presignedExpiresOverAWeek_throwsAuthorizationQueryParametersError() {
        URI presigned = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .presign("GET", URI.create("https://h/bucket/k"), Duration.ofSeconds(604800));
        HttpRequest request = AuthFixtures.nettyRequest("GET", presigned.getRawPath() + "?"
                + presigned.getRawQuery().replace("X-Amz-Expires=604800", "X-Amz-Expires=604801"),
                Map.of("Host", "h"));

        assertS3Error(() -> verify(verifier(), request), S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    @Test
    void verify_presignedTamperedQuery_throwsSignatureDoesNotMatch() {
        URI presigned = new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW))
                .presign("GET", URI.create("https://h/bucket/k?versionId=1"), Duration.ofSeconds(600));
        HttpRequest request = AuthFixtures.nettyRequest("GET", presigned.getRawPath() + "?"
                + presigned.getRawQuery().replace("versionId=1", "versionId=2"), Map.of("Host", "h"));

        assertS3Error(() -> verify(verifier(), request), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void verify_presignedMissingParameter_throwsAuthorizationQueryParametersError() {
        HttpRequest request = AuthFixtures.nettyRequest("GET", "/bucket/k?X-Amz-Algorithm=AWS4-HMAC-SHA256",
                Map.of("Host", "h"));

        assertS3Error(() -> verify(verifier(), request), S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    @Test
    void verify_noAuthentication_throwsAccessDenied() {
        HttpRequest request = AuthFixtures.nettyRequest("GET", "/bucket/k", Map.of("Host", "h"));

        assertS3Error(() -> verify(verifier(), request), S3Error.ACCESS_DENIED);
    }

    @Test
    void verify_wrongRegion_throwsMalformedNamingExpectedRegion() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        SigV4Verifier euVerifier = new SigV4Verifier(CredentialStore.of(CREDENTIALS), "eu-west-1", clockAt(NOW));

        assertS3Error(() -> verify(euVerifier, request), S3Error.AUTHORIZATION_HEADER_MALFORMED);
        assertThatThrownBy(() -> verify(euVerifier, request)).hasMessageContaining("expecting 'eu-west-1'");
    }

    @Test
    void verify_presignedWrongRegion_throwsAuthorizationQueryParametersError() {
        URI presigned = new SigV4Signer(CREDENTIALS, "eu-west-1", clockAt(NOW))
                .presign("GET", URI.create("https://h/bucket/k"), Duration.ofSeconds(600));
        HttpRequest request = AuthFixtures.nettyRequest("GET", presigned.getRawPath() + "?" + presigned.getRawQuery(),
                Map.of("Host", "h"));

        assertS3Error(() -> verify(verifier(), request), S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertThatThrownBy(() -> verify(verifier(), request)).hasMessageContaining("expecting 'us-east-1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/s3/aws4_request",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=xyz",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/s3, SignedHeaders=host, Signature="
                + "0000000000000000000000000000000000000000000000000000000000000000",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature="
                + "0000000000000000000000000000000000000000000000000000000000000000",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/s3/aws4_request, SignedHeaders=x-amz-date, "
                + "Signature=0000000000000000000000000000000000000000000000000000000000000000",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2026011/us-east-1/s3/aws4_request, SignedHeaders=host, Signature="
                + "0000000000000000000000000000000000000000000000000000000000000000",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/s3/aws4_request, SignedHeaders=host, Signature="
                + "0000000000000000000000000000000000000000000000000000000000000000, Extra=1"
    })
    void verify_malformedAuthorizationHeader_throwsAuthorizationHeaderMalformed(String authorization) {
        HttpRequest request = AuthFixtures.nettyRequest("GET", "/bucket/k", Map.of("Host", "h",
                "Authorization", authorization, "x-amz-date", "20260115T120000Z",
                "x-amz-content-sha256", SigV4.EMPTY_SHA256));

        assertS3Error(() -> verify(verifier(), request), S3Error.AUTHORIZATION_HEADER_MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AWS AKIDEXAMPLE:c2lnbmF0dXJl", "AWS4-ECDSA-P256-SHA256 Credential=x, SignedHeaders=host"})
    void verify_otherAlgorithm_throwsInvalidRequest(String authorization) {
        HttpRequest request = AuthFixtures.nettyRequest("GET", "/bucket/k", Map.of("Host", "h",
                "Authorization", authorization));

        assertS3Error(() -> verify(verifier(), request), S3Error.INVALID_REQUEST);
    }

    @Test
    void verify_missingContentSha256_throwsInvalidRequest() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.headers().remove("x-amz-content-sha256");

        assertS3Error(() -> verify(verifier(), request), S3Error.INVALID_REQUEST);
    }

    @Test
    void verify_unknownContentSha256Value_throwsInvalidArgument() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.headers().set("x-amz-content-sha256", "STREAMING-SOMETHING-ELSE");

        assertS3Error(() -> verify(verifier(), request), S3Error.INVALID_ARGUMENT);
    }

    @Test
    void verify_headerAndPresignedTogether_throwsInvalidArgument() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        request.setUri(request.uri() + "?X-Amz-Algorithm=AWS4-HMAC-SHA256");

        assertS3Error(() -> verify(verifier(), request), S3Error.INVALID_ARGUMENT);
    }

    @Test
    void decodeBody_signedPayloadMismatch_throwsContentSha256MismatchAtEnd() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("expected"), true);
        AuthContext auth = verify(verifier(), request);

        assertS3Error(() -> readAll(auth.decodeBody(stream(utf8("tampered")), request.headers())),
                S3Error.CONTENT_SHA256_MISMATCH);
    }

    @Test
    void decodeBody_emptySignedPayload_accepts() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), new byte[0], true);
        AuthContext auth = verify(verifier(), request);

        assertThat(request.headers().get("x-amz-content-sha256")).isEqualTo(SigV4.EMPTY_SHA256);
        assertThat(readAll(auth.decodeBody(stream(new byte[0]), request.headers()))).isEmpty();
    }

    @Test
    void decodedContentLength_missingContentLength_throwsMissingContentLength() {
        HttpRequest request = sdkHeaderSigned(objectUri("bucket", "k", null), utf8("x"), true);
        AuthContext auth = verify(verifier(), request);
        DefaultHttpRequest bare = new DefaultHttpRequest(request.protocolVersion(), request.method(), "/");

        assertS3Error(() -> auth.decodedContentLength(bare.headers()), S3Error.MISSING_CONTENT_LENGTH);
    }

    @Test
    void verify_dateHeaderInsteadOfAmzDate_accepts() {
        String date = "Thu, 15 Jan 2026 12:00:00 GMT";
        String canonical = SigV4.canonicalRequest("GET", "/bucket/k", "", java.util.List.of("date:" + date,
                "host:h", "x-amz-content-sha256:" + SigV4.UNSIGNED_PAYLOAD), "date;host;x-amz-content-sha256",
                SigV4.UNSIGNED_PAYLOAD);
        String scope = SigV4.scope("20260115", REGION);
        String signature = SigV4.sign(SigV4.signingKey(AuthFixtures.SECRET_KEY, "20260115", REGION),
                SigV4.stringToSign("20260115T120000Z", scope, canonical));
        HttpRequest request = AuthFixtures.nettyRequest("GET", "/bucket/k", Map.of("Host", "h", "Date", date,
                "x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD, "Authorization", "AWS4-HMAC-SHA256 Credential="
                        + ACCESS_KEY + "/" + scope + ", SignedHeaders=date;host;x-amz-content-sha256, Signature="
                        + signature));

        assertThat(verify(verifier(), request).accessKey()).isEqualTo(ACCESS_KEY);
    }
}
