package io.predastore.node.auth;

import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4;
import io.predastore.client.sigv4.SigV4Signer;
import static io.predastore.node.auth.AuthFixtures.CREDENTIALS;
import static io.predastore.node.auth.AuthFixtures.NOW;
import static io.predastore.node.auth.AuthFixtures.REGION;
import static io.predastore.node.auth.AuthFixtures.SECRET_KEY;
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

import io.netty.handler.codec.http.HttpRequest;
import io.predastore.node.checksum.ChecksumAlgorithm;
import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.checksum.StreamingChecksum;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

class AwsChunkedTest {
    private static final URI OBJECT = URI.create("http://s3.example.test:9000/bucket/chunked%20object.bin");

    private static byte[] randomData(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    private static void assertS3Error(ThrowingCallable call, S3Error error) {
        assertThatThrownBy(call).isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).error()).as(e.getMessage()).isEqualTo(error));
    }

    /** A request head and its aws-chunked body, as the server receives them. */
    private record Upload(HttpRequest request, byte[] body) {
        DecodedBody decode() {
            AuthContext auth = verify(verifier(), request);
            return auth.decodeBody(stream(body), request.headers());
        }

        Upload withBody(byte[] other) {
            return new Upload(request, other);
        }
    }

    // ------------------------------------------------------------------ bodies encoded by the AWS SDK's signer

    private static Upload sdkUpload(byte[] data, boolean signed, software.amazon.awssdk.checksums.spi.ChecksumAlgorithm
            checksum) {
        String uri = signed ? OBJECT.toString() : OBJECT.toString().replace("http://", "https://");
        SdkHttpRequest request = sdkRequest(SdkHttpMethod.PUT, uri)
                .putHeader("Content-Length", Integer.toString(data.length))
                .putHeader("Content-Type", "application/octet-stream")
                .build();
        SignedRequest signedRequest = sdkSign(request, data, NOW, b -> {
            b.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, signed);
            if (checksum != null) {
                b.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, checksum);
            }
        });
        byte[] body = readAll(signedRequest.payload().orElseThrow());
        return new Upload(toNetty(signedRequest.request()), body);
    }

    @Test
    void decodeBody_sdkSignedChunks_yieldsDataAndVerifiesEveryChunk() throws Exception {
        byte[] data = randomData(300_000);
        Upload upload = sdkUpload(data, true, null);
        AuthContext auth = verify(verifier(), upload.request());

        assertThat(auth.payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED);
        assertThat(auth.decodedContentLength(upload.request().headers())).isEqualTo(data.length);
        try (DecodedBody body = auth.decodeBody(stream(upload.body()), upload.request().headers())) {
            assertThat(readAll(body)).isEqualTo(data);
            assertThat(body.verified()).isTrue();
            assertThat(body.checksum()).isNull();
        }
    }

    @Test
    void decodeBody_sdkSignedEmptyBody_yieldsNothing() {
        Upload upload = sdkUpload(new byte[0], true, null);

        assertThat(readAll(upload.decode())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void decodeBody_sdkSignedChunksWithChecksumTrailer_verifiesTrailer(ChecksumAlgorithm algorithm) {
        byte[] data = randomData(200_000);
        Upload upload = sdkUpload(data, true, DefaultChecksumAlgorithm.fromValue(algorithm.name()));
        assertThat(verify(verifier(), upload.request()).payloadMode()).isEqualTo(PayloadMode.STREAMING_SIGNED_TRAILER);

        DecodedBody body = upload.decode();

        assertThat(readAll(body)).isEqualTo(data);
        assertThat(body.checksum()).isEqualTo(new ChecksumValue(algorithm.name(), checksumOf(algorithm, data),
                "FULL_OBJECT"));
    }

    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "SHA256"})
    void decodeBody_sdkUnsignedChunksWithChecksumTrailer_verifiesTrailer(ChecksumAlgorithm algorithm) {
        byte[] data = randomData(150_001);
        Upload upload = sdkUpload(data, false, DefaultChecksumAlgorithm.fromValue(algorithm.name()));
        assertThat(verify(verifier(), upload.request()).payloadMode())
                .isEqualTo(PayloadMode.STREAMING_UNSIGNED_TRAILER);

        DecodedBody body = upload.decode();

        assertThat(readAll(body)).isEqualTo(data);
        assertThat(body.checksum().value()).isEqualTo(checksumOf(algorithm, data));
    }

    @Test
    void decodeBody_sdkSignedChunkWithTamperedByte_throwsSignatureDoesNotMatch() {
        byte[] data = randomData(200_000);
        Upload upload = sdkUpload(data, true, null);
        byte[] tampered = upload.body().clone();
        tampered[150_000] ^= 1;

        assertS3Error(() -> readAll(upload.withBody(tampered).decode()), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void decodeBody_sdkSignedChunksSwapped_throwsSignatureDoesNotMatch() {
        Upload one = sdkUpload(utf8("first body"), true, null);
        Upload two = sdkUpload(utf8("another, longer body"), true, null);

        assertS3Error(() -> readAll(one.withBody(two.body()).decode()), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void decodeBody_sdkSignedTrailerValueTampered_throwsSignatureDoesNotMatch() {
        byte[] data = randomData(1000);
        Upload upload = sdkUpload(data, true, DefaultChecksumAlgorithm.CRC32);
        String wrong = ChecksumAlgorithm.CRC32.headerName() + ":" + checksumOf(ChecksumAlgorithm.CRC32, utf8("x"));
        byte[] tampered = replaceTrailer(upload.body(), ChecksumAlgorithm.CRC32.headerName(), wrong);

        assertS3Error(() -> readAll(upload.withBody(tampered).decode()), S3Error.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void decodeBody_sdkUnsignedTrailerValueTampered_throwsBadDigest() {
        byte[] data = randomData(1000);
        Upload upload = sdkUpload(data, false, DefaultChecksumAlgorithm.CRC32);
        String wrong = ChecksumAlgorithm.CRC32.headerName() + ":" + checksumOf(ChecksumAlgorithm.CRC32, utf8("x"));
        byte[] tampered = replaceTrailer(upload.body(), ChecksumAlgorithm.CRC32.headerName(), wrong);

        assertS3Error(() -> readAll(upload.withBody(tampered).decode()), S3Error.BAD_DIGEST);
        assertThatThrownBy(() -> readAll(upload.withBody(tampered).decode()))
                .hasMessage("The CRC32 you specified did not match the calculated checksum.");
    }

    @Test
    void decodeBody_sdkUnsignedChunkDataTampered_throwsBadDigest() {
        byte[] data = randomData(1000);
        Upload upload = sdkUpload(data, false, DefaultChecksumAlgorithm.CRC32C);
        byte[] tampered = upload.body().clone();
        tampered[100] ^= 0x40;

        assertS3Error(() -> readAll(upload.withBody(tampered).decode()), S3Error.BAD_DIGEST);
    }

    @Test
    void decodeBody_truncatedBody_throwsIncompleteBody() {
        byte[] data = randomData(200_000);
        Upload upload = sdkUpload(data, true, DefaultChecksumAlgorithm.CRC32);
        for (int cut : new int[] {0, 10, 100, 131_072, upload.body().length - 120, upload.body().length - 3}) {
            byte[] truncated = Arrays.copyOf(upload.body(), cut);
            assertThatThrownBy(() -> readAll(upload.withBody(truncated).decode())).as("cut at %d", cut)
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).error())
                            .isIn(S3Error.INCOMPLETE_BODY, S3Error.SIGNATURE_DOES_NOT_MATCH));
        }
        assertS3Error(() -> readAll(upload.withBody(Arrays.copyOf(upload.body(), 1000)).decode()),
                S3Error.INCOMPLETE_BODY);
    }

    @Test
    void decodeBody_errorRepeatsOnLaterReads() throws Exception {
        Upload upload = sdkUpload(utf8("abc"), true, null);
        DecodedBody body = upload.withBody(Arrays.copyOf(upload.body(), upload.body().length - 90)).decode();

        assertS3Error(() -> readAll(body), S3Error.INCOMPLETE_BODY);
        assertS3Error(body::read, S3Error.INCOMPLETE_BODY);
        assertThat(body.verified()).isFalse();
    }

    // ------------------------------------------------------------------ the real S3 client's PutObject

    @ParameterizedTest
    @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "SHA256"})
    void decodeBody_s3ClientPutObjectOverHttp_verifiesSignedTrailer(ChecksumAlgorithm algorithm) {
        byte[] data = randomData(400_000);
        CapturingHttpClient.Captured put = CapturingHttpClient.putObject("http://localhost:9000", "bucket",
                "dir/a key+~\u00fc.bin", data, algorithm.name());
        HttpRequest request = toNetty(put.request());
        AuthContext auth = verify(AuthFixtures.verifierAt(Instant.now()), request);

        DecodedBody body = auth.decodeBody(stream(put.body()), request.headers());

        assertThat(auth.payloadMode()).isIn(PayloadMode.STREAMING_SIGNED_TRAILER, PayloadMode.SIGNED_SHA256);
        assertThat(readAll(body)).isEqualTo(data);
        assertThat(body.checksum().value()).isEqualTo(checksumOf(algorithm, data));
    }

    @Test
    void decodeBody_s3ClientPutObjectOverHttps_verifiesUnsignedTrailer() {
        byte[] data = randomData(70_000);
        CapturingHttpClient.Captured put = CapturingHttpClient.putObject("https://localhost:9443", "bucket", "k",
                data, "CRC32");
        HttpRequest request = toNetty(put.request());
        AuthContext auth = verify(AuthFixtures.verifierAt(Instant.now()), request);

        DecodedBody body = auth.decodeBody(stream(put.body()), request.headers());

        assertThat(readAll(body)).isEqualTo(data);
        assertThat(body.checksum().value()).isEqualTo(checksumOf(ChecksumAlgorithm.CRC32, data));
    }

    // ------------------------------------------------------------------ bodies built from the specification

    private static Upload specUpload(byte[] data, int chunkSize, PayloadMode mode, ChecksumAlgorithm trailer,
            String trailerValue) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Encoding", "aws-chunked");
        headers.put("x-amz-decoded-content-length", Integer.toString(data.length));
        if (trailer != null) {
            headers.put("x-amz-trailer", trailer.headerName());
        }
        String contentSha = mode == PayloadMode.STREAMING_SIGNED ? SigV4.STREAMING_SIGNED
                : mode == PayloadMode.STREAMING_SIGNED_TRAILER ? SigV4.STREAMING_SIGNED_TRAILER
                : SigV4.STREAMING_UNSIGNED_TRAILER;
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW)).signHeaders("PUT", OBJECT, headers,
                contentSha));
        all.put("Host", SigV4Signer.host(OBJECT));
        String authorization = all.get("Authorization");
        String seed = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
        String amzDate = all.get("x-amz-date");
        byte[] key = SigV4.signingKey(SECRET_KEY, amzDate.substring(0, 8), REGION);
        String scope = SigV4.scope(amzDate.substring(0, 8), REGION);
        Map<String, String> trailers = new LinkedHashMap<>();
        if (trailer != null) {
            trailers.put(trailer.headerName(), trailerValue);
        }
        byte[] body = encode(data, chunkSize, mode, key, amzDate, scope, seed, trailers);
        HttpRequest request = AuthFixtures.nettyRequest("PUT", OBJECT.getRawPath(), all);
        return new Upload(request, body);
    }

    /** Encodes {@code data} as aws-chunked exactly as the SigV4 streaming documentation describes. */
    static byte[] encode(byte[] data, int chunkSize, PayloadMode mode, byte[] key, String amzDate, String scope,
            String seed, Map<String, String> trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String previous = seed;
        int off = 0;
        while (true) {
            int n = Math.min(chunkSize, data.length - off);
            byte[] chunk = Arrays.copyOfRange(data, off, off + n);
            String header = Integer.toHexString(n);
            if (mode.chunkSignatures()) {
                previous = SigV4.sign(key, SigV4.chunkStringToSign(amzDate, scope, previous, SigV4.sha256Hex(chunk)));
                header += ";chunk-signature=" + previous;
            }
            out.writeBytes(ascii(header + "\r\n"));
            if (n == 0) {
                break;
            }
            out.writeBytes(chunk);
            out.writeBytes(ascii("\r\n"));
            off += n;
        }
        if (mode.trailers()) {
            StringBuilder canonical = new StringBuilder();
            trailers.forEach((name, value) -> {
                out.writeBytes(ascii(name + ":" + value + "\r\n"));
                canonical.append(name).append(':').append(value).append('\n');
            });
            if (mode.chunkSignatures()) {
                String signature = SigV4.sign(key, SigV4.trailerStringToSign(amzDate, scope, previous,
                        SigV4.sha256Hex(canonical.toString())));
                out.writeBytes(ascii("x-amz-trailer-signature:" + signature + "\r\n"));
            }
        }
        out.writeBytes(ascii("\r\n"));
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String checksumOf(ChecksumAlgorithm algorithm, byte[] data) {
        StreamingChecksum c = algorithm.newChecksum();
        c.update(data);
        return c.base64();
    }

    private static byte[] replaceTrailer(byte[] body, String name, String newLine) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int start = text.lastIndexOf(name + ":");
        int end = text.indexOf("\r\n", start);
        return (text.substring(0, start) + newLine + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"STREAMING_SIGNED_TRAILER", "STREAMING_UNSIGNED_TRAILER"})
    void decodeBody_specTrailerForEveryAlgorithm_verifiesChecksum(PayloadMode mode) {
        byte[] data = randomData(50_000);
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            Upload upload = specUpload(data, 8192, mode, algorithm, checksumOf(algorithm, data));

            DecodedBody body = upload.decode();

            assertThat(readAll(body)).isEqualTo(data);
            assertThat(body.checksum()).isEqualTo(new ChecksumValue(algorithm.name(), checksumOf(algorithm, data),
                    "FULL_OBJECT"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = PayloadMode.class, names = {"STREAMING_SIGNED_TRAILER", "STREAMING_UNSIGNED_TRAILER"})
    void decodeBody_specTrailerWrongCrc64_throwsBadDigest(PayloadMode mode) {
        byte[] data = randomData(20_000);
        Upload upload = specUpload(data, 8192, mode, ChecksumAlgorithm.CRC64NVME,
                checksumOf(ChecksumAlgorithm.CRC64NVME, utf8("something else")));

        assertS3Error(() -> readAll(upload.decode()), S3Error.BAD_DIGEST);
        assertThatThrownBy(() -> readAll(upload.decode()))
                .hasMessage("The CRC64NVME you specified did not match the calculated checksum.");
    }

    @Test
    void decodeBody_specTrailerMissing_throwsInvalidRequest() {
        byte[] data = randomData(100);
        Upload upload = specUpload(data, 8192, PayloadMode.STREAMING_UNSIGNED_TRAILER, ChecksumAlgorithm.CRC32, "x");
        String text = new String(upload.body(), StandardCharsets.ISO_8859_1);
        byte[] withoutTrailer = text.substring(0, text.indexOf("x-amz-checksum-crc32:"))
                .concat("\r\n").getBytes(StandardCharsets.ISO_8859_1);

        assertS3Error(() -> readAll(upload.withBody(withoutTrailer).decode()), S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_specUndeclaredTrailer_throwsInvalidRequest() {
        byte[] data = randomData(100);
        Upload upload = specUpload(data, 8192, PayloadMode.STREAMING_UNSIGNED_TRAILER, ChecksumAlgorithm.CRC32,
                checksumOf(ChecksumAlgorithm.CRC32, data));
        byte[] other = replaceTrailer(upload.body(), "x-amz-checksum-crc32", "x-amz-checksum-sha1:AAAA");

        assertS3Error(() -> readAll(upload.withBody(other).decode()), S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_specSmallChunks_verifiesEachSignature() {
        byte[] data = randomData(10_000);
        Upload upload = specUpload(data, 1000, PayloadMode.STREAMING_SIGNED, null, null);

        assertThat(readAll(upload.decode())).isEqualTo(data);
    }

    @Test
    void decodeBody_oversizedChunkHeaderLine_throwsInvalidRequest() {
        Upload upload = specUpload(utf8("abc"), 8192, PayloadMode.STREAMING_SIGNED, null, null);
        byte[] longLine = ascii("3;" + "x".repeat(5000) + "\r\nabc\r\n");

        assertS3Error(() -> readAll(upload.withBody(longLine).decode()), S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_absurdChunkSize_throwsInvalidRequest() {
        Upload upload = specUpload(utf8("abc"), 8192, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, null);

        assertS3Error(() -> readAll(upload.withBody(ascii("ffffffffffff\r\n")).decode()), S3Error.INVALID_REQUEST);
        assertS3Error(() -> readAll(upload.withBody(ascii("zz\r\n")).decode()), S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_oversizedTrailers_throwsInvalidRequest() {
        Upload upload = specUpload(new byte[0], 8192, PayloadMode.STREAMING_UNSIGNED_TRAILER,
                ChecksumAlgorithm.CRC32, "y".repeat(20_000));

        assertS3Error(() -> readAll(upload.decode()), S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_chunkLongerThanDeclared_throwsInvalidRequest() {
        Upload upload = specUpload(utf8("abcdef"), 8192, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, null);

        assertS3Error(() -> readAll(upload.withBody(ascii("3\r\nabcdef\r\n0\r\n\r\n")).decode()),
                S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_decodedLengthDiffersFromHeader_throwsIncompleteBody() {
        Upload upload = specUpload(utf8("abcdef"), 8192, PayloadMode.STREAMING_UNSIGNED_TRAILER, null, null);

        assertS3Error(() -> readAll(upload.withBody(ascii("3\r\nabc\r\n0\r\n\r\n")).decode()),
                S3Error.INCOMPLETE_BODY);
    }

    @Test
    void decodeBody_signedChunkWithoutSignature_throwsInvalidRequest() {
        Upload upload = specUpload(utf8("abc"), 8192, PayloadMode.STREAMING_SIGNED, null, null);

        assertS3Error(() -> readAll(upload.withBody(ascii("3\r\nabc\r\n0\r\n\r\n")).decode()),
                S3Error.INVALID_REQUEST);
    }

    @Test
    void decodedContentLength_streamingWithoutDecodedLength_throwsMissingContentLength() {
        Upload upload = specUpload(utf8("abc"), 8192, PayloadMode.STREAMING_SIGNED, null, null);
        AuthContext auth = verify(verifier(), upload.request());
        upload.request().headers().remove("x-amz-decoded-content-length");

        assertS3Error(() -> auth.decodedContentLength(upload.request().headers()), S3Error.MISSING_CONTENT_LENGTH);
    }

    // ------------------------------------------------------------------ AWS documentation example

    /**
     * The example of the Amazon S3 documentation "Signature calculations for the Authorization header:
     * transferring payload in multiple chunks": 66560 bytes of 'a' in a 65536-byte and a 1024-byte chunk.
     */
    @Test
    void decodeBody_awsDocumentationStreamingExample_verifiesPublishedSignatures() {
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "s3.amazonaws.com");
        headers.put("x-amz-date", "20130524T000000Z");
        headers.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
        headers.put("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                + "aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class,Signature=" + seed);
        headers.put("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        headers.put("Content-Encoding", "aws-chunked");
        headers.put("x-amz-decoded-content-length", "66560");
        headers.put("Content-Length", "66824");
        HttpRequest request = AuthFixtures.nettyRequest("PUT", "/examplebucket/chunkObject.txt", headers);
        SigV4Verifier docVerifier = new SigV4Verifier(CredentialStore.of(new Credentials("AKIAIOSFODNN7EXAMPLE",
                secret)), "us-east-1", clockAt(Instant.parse("2013-05-24T00:00:00Z")));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(ascii("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
                + "\r\n"));
        body.writeBytes(ascii("a".repeat(65536) + "\r\n"));
        body.writeBytes(ascii("400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
                + "\r\n"));
        body.writeBytes(ascii("a".repeat(1024) + "\r\n"));
        body.writeBytes(ascii("0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
                + "\r\n\r\n"));
        assertThat(body.size()).isEqualTo(66824);

        AuthContext auth = verify(docVerifier, request);
        byte[] decoded = readAll(auth.decodeBody(stream(body.toByteArray()), request.headers()));

        assertThat(decoded).isEqualTo(ascii("a".repeat(66560)));
    }

    // ------------------------------------------------------------------ flexible checksums without trailers

    private static Upload signedSha256Upload(byte[] data, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Length", Integer.toString(data.length));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(new SigV4Signer(CREDENTIALS, REGION, clockAt(NOW)).signHeaders("PUT", OBJECT, headers,
                SigV4.sha256Hex(data)));
        all.put("Host", SigV4Signer.host(OBJECT));
        return new Upload(AuthFixtures.nettyRequest("PUT", OBJECT.getRawPath(), all), data);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void decodeBody_checksumHeader_verifiesAndExposesValue(ChecksumAlgorithm algorithm) {
        byte[] data = randomData(5000);
        String value = checksumOf(algorithm, data);
        Upload upload = signedSha256Upload(data, Map.of(algorithm.headerName(), value,
                "x-amz-sdk-checksum-algorithm", algorithm.name()));

        DecodedBody body = upload.decode();

        assertThat(body.checksum()).isNull();
        assertThat(readAll(body)).isEqualTo(data);
        assertThat(body.checksum()).isEqualTo(new ChecksumValue(algorithm.name(), value, "FULL_OBJECT"));
    }

    @Test
    void decodeBody_checksumHeaderMismatch_throwsBadDigest() {
        byte[] data = randomData(5000);
        Upload upload = signedSha256Upload(data, Map.of("x-amz-checksum-crc32",
                checksumOf(ChecksumAlgorithm.CRC32, utf8("other"))));

        assertS3Error(() -> readAll(upload.decode()), S3Error.BAD_DIGEST);
        assertThatThrownBy(() -> readAll(upload.decode()))
                .hasMessage("The CRC32 you specified did not match the calculated checksum.");
    }

    @Test
    void decodeBody_sdkChecksumAlgorithmOnly_computesValue() {
        byte[] data = randomData(5000);
        Upload upload = signedSha256Upload(data, Map.of("x-amz-sdk-checksum-algorithm", "crc64nvme"));

        DecodedBody body = upload.decode();
        readAll(body);

        assertThat(body.checksum().algorithm()).isEqualTo("CRC64NVME");
        assertThat(body.checksum().value()).isEqualTo(checksumOf(ChecksumAlgorithm.CRC64NVME, data));
    }

    @Test
    void decodeBody_malformedChecksumHeader_throwsInvalidRequest() {
        byte[] data = randomData(10);
        Upload upload = signedSha256Upload(data, Map.of("x-amz-checksum-sha256", "AAAA"));

        assertS3Error(upload::decode, S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_twoChecksumHeaders_throwsInvalidRequest() {
        byte[] data = randomData(10);
        Upload upload = signedSha256Upload(data, Map.of("x-amz-checksum-crc32", checksumOf(ChecksumAlgorithm.CRC32,
                data), "x-amz-checksum-crc32c", checksumOf(ChecksumAlgorithm.CRC32C, data)));

        assertS3Error(upload::decode, S3Error.INVALID_REQUEST);
    }

    @Test
    void decodeBody_contentMd5Mismatch_throwsBadDigest() {
        byte[] data = randomData(10);
        Upload upload = signedSha256Upload(data, Map.of("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="));

        assertS3Error(() -> readAll(upload.decode()), S3Error.BAD_DIGEST);
    }
}
