package io.predastore.node.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.predastore.client.sigv4.SigV4;
import io.predastore.node.checksum.ChecksumAlgorithm;
import io.predastore.node.error.S3Error;
import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of a verified request head: who signed it, how the body is protected, and the means to decode and
 * verify that body.
 */
public final class AuthContext {
    static final String X_AMZ_DECODED_CONTENT_LENGTH = "x-amz-decoded-content-length";
    static final String X_AMZ_TRAILER = "x-amz-trailer";
    static final String X_AMZ_SDK_CHECKSUM_ALGORITHM = "x-amz-sdk-checksum-algorithm";

    private final String accessKey;
    private final PayloadMode payloadMode;
    private final String payloadHash;
    private final byte[] signingKey;
    private final String seedSignature;
    private final String amzDate;
    private final String scope;
    private final boolean presigned;

    AuthContext(String accessKey, PayloadMode payloadMode, String payloadHash, byte[] signingKey,
            String seedSignature, String amzDate, String scope, boolean presigned) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.payloadMode = Objects.requireNonNull(payloadMode, "payloadMode");
        this.payloadHash = payloadHash;
        this.signingKey = signingKey.clone();
        this.seedSignature = seedSignature;
        this.amzDate = amzDate;
        this.scope = scope;
        this.presigned = presigned;
    }

    /** The access key that signed the request. */
    public String accessKey() {
        return accessKey;
    }

    /** How the body is protected and encoded. */
    public PayloadMode payloadMode() {
        return payloadMode;
    }

    /** The request's signature (lower-case hex), which is different for every signed request. */
    public String signature() {
        return seedSignature;
    }

    /** The time the request was signed for ({@code x-amz-date}, {@code Date} or {@code X-Amz-Date}). */
    public java.time.Instant requestTime() {
        return SigV4Verifier.parseAmzDate(amzDate);
    }

    /** True when the request was authenticated by presigned query parameters. */
    public boolean presigned() {
        return presigned;
    }

    /**
     * The length of the decoded body: {@code x-amz-decoded-content-length} for aws-chunked bodies, otherwise
     * {@code Content-Length}.
     *
     * @throws io.predastore.node.error.S3Exception MissingContentLength when the header is absent, InvalidArgument
     *     when it is not a non-negative number
     */
    public long decodedContentLength(HttpHeaders headers) {
        String name = payloadMode.streaming() ? X_AMZ_DECODED_CONTENT_LENGTH : HttpHeaderNames.CONTENT_LENGTH.toString();
        String value = headers.get(name);
        if (value == null) {
            throw S3Error.MISSING_CONTENT_LENGTH.exception(payloadMode.streaming()
                    ? "An aws-chunked upload must carry x-amz-decoded-content-length with the length of the "
                            + "decoded object data."
                    : "You must provide the Content-Length HTTP header.");
        }
        long length = parseLength(value.trim());
        if (length < 0) {
            throw S3Error.INVALID_ARGUMENT.exception("The " + name + " header must be a non-negative decimal "
                    + "number, not '" + (value.length() > 32 ? value.substring(0, 32) + "..." : value) + "'.");
        }
        return length;
    }

    static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(value);
    }

    /**
     * Wraps the raw request body in a stream that yields the decoded object bytes and verifies them: the payload
     * SHA-256, aws-chunked framing and chunk/trailer signatures, flexible checksums (from headers or trailers)
     * and Content-MD5. Failures surface from {@code read} as {@link io.predastore.node.error.S3Exception}, at the
     * latest when end of stream is reached (before -1 is returned), so read to the end before committing.
     *
     * @param raw the body as received (only the body: exactly Content-Length bytes)
     * @param headers the request headers
     */
    public DecodedBody decodeBody(InputStream raw, HttpHeaders headers) {
        Objects.requireNonNull(raw, "raw");
        ChecksumAlgorithm headerAlgorithm = null;
        byte[] headerValue = null;
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = headers.get(a.headerName());
            if (v != null) {
                if (headerAlgorithm != null) {
                    throw S3Error.INVALID_REQUEST.exception("Expecting a single x-amz-checksum- header. Multiple "
                            + "checksum types are not allowed.");
                }
                headerAlgorithm = a;
                headerValue = decodeChecksum(a, v.trim(), "header");
            }
        }

        Set<String> trailerNames = new LinkedHashSet<>();
        String trailerHeader = headers.get(X_AMZ_TRAILER);
        ChecksumAlgorithm trailerAlgorithm = null;
        if (trailerHeader != null) {
            if (!payloadMode.trailers()) {
                throw S3Error.INVALID_REQUEST.exception("x-amz-trailer is only allowed with x-amz-content-sha256 "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or STREAMING-UNSIGNED-PAYLOAD-TRAILER.");
            }
            for (String name : trailerHeader.split(",")) {
                String lower = name.trim().toLowerCase(Locale.ROOT);
                if (lower.isEmpty()) {
                    continue;
                }
                ChecksumAlgorithm a = ChecksumAlgorithm.fromHeader(lower).orElseThrow(() -> S3Error.INVALID_REQUEST
                        .exception("The trailer '" + lower + "' named in x-amz-trailer is not supported; only "
                                + "x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256} may be sent as trailers."));
                if (trailerAlgorithm != null || headerAlgorithm != null) {
                    throw S3Error.INVALID_REQUEST.exception("Expecting a single x-amz-checksum- header or trailer. "
                            + "Multiple checksum types are not allowed.");
                }
                trailerAlgorithm = a;
                trailerNames.add(lower);
            }
        }

        ChecksumAlgorithm algorithm = headerAlgorithm != null ? headerAlgorithm : trailerAlgorithm;
        String sdkAlgorithm = headers.get(X_AMZ_SDK_CHECKSUM_ALGORITHM);
        if (sdkAlgorithm != null) {
            ChecksumAlgorithm declared = ChecksumAlgorithm.fromName(sdkAlgorithm).orElseThrow(() ->
                    S3Error.INVALID_REQUEST.exception("Value for x-amz-sdk-checksum-algorithm header is invalid: "
                            + "use CRC32, CRC32C, CRC64NVME, SHA1 or SHA256."));
            if (algorithm != null && algorithm != declared) {
                throw S3Error.INVALID_REQUEST.exception("x-amz-sdk-checksum-algorithm says " + declared
                        + " but the checksum sent is " + algorithm + "; send the value of the declared algorithm.");
            }
            algorithm = declared;
        }

        byte[] md5 = null;
        String contentMd5 = headers.get(HttpHeaderNames.CONTENT_MD5);
        if (contentMd5 != null) {
            try {
                md5 = Base64.getDecoder().decode(contentMd5.trim());
            } catch (IllegalArgumentException e) {
                md5 = null;
            }
            if (md5 == null || md5.length != 16) {
                throw S3Error.INVALID_DIGEST.exception("The Content-MD5 you specified is not valid: it must be the "
                        + "base64 of the 16-byte MD5 of the body.");
            }
        }

        long declaredLength = -1;
        InputStream source = raw;
        AwsChunkedDecoder decoder = null;
        if (payloadMode.streaming()) {
            String decoded = headers.get(X_AMZ_DECODED_CONTENT_LENGTH);
            if (decoded != null) {
                declaredLength = parseLength(decoded.trim());
                if (declaredLength < 0) {
                    throw S3Error.INVALID_ARGUMENT.exception("x-amz-decoded-content-length must be a non-negative "
                            + "decimal number.");
                }
            }
            decoder = new AwsChunkedDecoder(raw, payloadMode, signingKey, amzDate, scope, seedSignature, trailerNames);
            source = decoder;
        }
        String expectedSha256 = payloadMode == PayloadMode.SIGNED_SHA256 ? payloadHash.toLowerCase(Locale.ROOT) : null;
        return new DecodedBody(source, decoder, expectedSha256, algorithm, headerValue,
                trailerAlgorithm == null ? null : trailerAlgorithm.headerName(), md5, declaredLength);
    }

    static byte[] decodeChecksum(ChecksumAlgorithm algorithm, String base64, String where) {
        byte[] value;
        try {
            value = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            value = null;
        }
        if (value == null || value.length != algorithm.length()) {
            throw S3Error.INVALID_REQUEST.exception("Value for " + algorithm.headerName() + " " + where
                    + " is invalid: it must be the base64 of the " + algorithm.length() + "-byte " + algorithm
                    + " checksum.");
        }
        return value;
    }

    /** The payload mode declared by an {@code x-amz-content-sha256} value. */
    static PayloadMode parsePayloadMode(String value) {
        switch (value) {
            case SigV4.UNSIGNED_PAYLOAD:
                return PayloadMode.UNSIGNED;
            case SigV4.STREAMING_SIGNED:
                return PayloadMode.STREAMING_SIGNED;
            case SigV4.STREAMING_SIGNED_TRAILER:
                return PayloadMode.STREAMING_SIGNED_TRAILER;
            case SigV4.STREAMING_UNSIGNED_TRAILER:
                return PayloadMode.STREAMING_UNSIGNED_TRAILER;
            default:
                if (SigV4.isLowerHex(value.toLowerCase(Locale.ROOT), 64)) {
                    return PayloadMode.SIGNED_SHA256;
                }
                throw S3Error.INVALID_ARGUMENT.exception("x-amz-content-sha256 must be the hex SHA-256 of the body, "
                        + "UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or STREAMING-UNSIGNED-PAYLOAD-TRAILER.");
        }
    }

    @Override
    public String toString() {
        return "AuthContext[accessKey=" + accessKey + ", payloadMode=" + payloadMode + ", presigned=" + presigned
                + "]";
    }
}
