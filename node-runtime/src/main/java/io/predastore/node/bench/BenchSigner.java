package io.predastore.node.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 header signing for the load generator, with {@code UNSIGNED-PAYLOAD}. It signs only
 * {@code host}, {@code x-amz-content-sha256} and {@code x-amz-date}, caches the derived signing key per day and
 * the date string per second, and reuses its digest and MAC: one instance per worker thread, not thread-safe.
 * Paths and query strings must already be in canonical (encoded, sorted) form, which the bench's own keys are.
 */
final class BenchSigner {
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String SIGNED_HEADERS = "host;x-amz-content-sha256;x-amz-date";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String accessKey;
    private final byte[] secret;
    private final String region;
    private final MessageDigest sha256;
    private final Mac mac;
    private final StringBuilder sb = new StringBuilder(512);

    private long cachedSecond = Long.MIN_VALUE;
    private String cachedAmzDate;
    private String cachedDay;
    private byte[] signingKey;

    BenchSigner(String accessKey, String secretKey, String region) {
        this.accessKey = accessKey;
        this.secret = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
        this.region = region;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.mac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256/HmacSHA256 unavailable", e);
        }
    }

    /** The signed headers of one request: what {@link #sign} returns. */
    record Signed(String amzDate, String authorization) {
    }

    /**
     * Signs a request.
     *
     * @param canonicalPath the path as sent, e.g. {@code /bench/k/1}
     * @param canonicalQuery the query string in canonical form (sorted, encoded, {@code name=value&...}), or ""
     * @param host the Host header value, e.g. {@code 127.0.0.1:9000}
     */
    Signed sign(String method, String canonicalPath, String canonicalQuery, String host, Instant now) {
        long second = now.getEpochSecond();
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedAmzDate = AMZ_DATE.format(Instant.ofEpochSecond(second));
        }
        String amzDate = cachedAmzDate;
        String day = amzDate.substring(0, 8);
        if (!day.equals(cachedDay)) {
            cachedDay = day;
            byte[] k = hmac(secret, day);
            k = hmac(k, region);
            k = hmac(k, "s3");
            signingKey = hmac(k, "aws4_request");
            try {
                mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        sb.setLength(0);
        sb.append(method).append('\n').append(canonicalPath).append('\n').append(canonicalQuery).append('\n')
                .append("host:").append(host).append('\n')
                .append("x-amz-content-sha256:").append(UNSIGNED_PAYLOAD).append('\n')
                .append("x-amz-date:").append(amzDate).append('\n')
                .append('\n')
                .append(SIGNED_HEADERS).append('\n')
                .append(UNSIGNED_PAYLOAD);
        String canonicalHash = hex(sha256.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        String scope = day + "/" + region + "/s3/aws4_request";
        sb.setLength(0);
        sb.append("AWS4-HMAC-SHA256\n").append(amzDate).append('\n').append(scope).append('\n').append(canonicalHash);
        String signature = hex(mac.doFinal(sb.toString().getBytes(StandardCharsets.UTF_8)));
        String authorization = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope
                + ", SignedHeaders=" + SIGNED_HEADERS + ", Signature=" + signature;
        return new Signed(amzDate, authorization);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
