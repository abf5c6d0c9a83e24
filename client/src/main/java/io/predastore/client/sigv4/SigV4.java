package io.predastore.client.sigv4;

import io.predastore.protocol.http.RequestTarget;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one implementation of AWS Signature Version 4 canonicalisation and key derivation, shared by the node's
 * verifier and {@link SigV4Signer}. Stateless; every method is a pure function and thread-safe.
 */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String SERVICE = "s3";
    public static final String TERMINATOR = "aws4_request";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    public static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";
    /** Hex SHA-256 of no bytes. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** The longest validity of a presigned URL: seven days. */
    public static final long MAX_EXPIRES_SECONDS = 604_800;

    public static final String X_AMZ_DATE = "x-amz-date";
    public static final String X_AMZ_CONTENT_SHA256 = "x-amz-content-sha256";

    public static final String Q_ALGORITHM = "X-Amz-Algorithm";
    public static final String Q_CREDENTIAL = "X-Amz-Credential";
    public static final String Q_DATE = "X-Amz-Date";
    public static final String Q_EXPIRES = "X-Amz-Expires";
    public static final String Q_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    public static final String Q_SIGNATURE = "X-Amz-Signature";
    public static final String Q_CONTENT_SHA256 = "X-Amz-Content-Sha256";

    /** {@code yyyyMMdd'T'HHmmss'Z'}, the x-amz-date format. */
    public static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private SigV4() {
    }

    public static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Percent-encodes every byte outside A-Za-z0-9-._~ (and '/' too unless {@code keepSlash}), upper-case hex. */
    public static String uriEncode(byte[] bytes, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (unreserved(c) || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX_UPPER[c >>> 4]).append(HEX_UPPER[c & 0xF]);
            }
        }
        return sb.toString();
    }

    public static String uriEncode(String s, boolean keepSlash) {
        return uriEncode(s.getBytes(StandardCharsets.UTF_8), keepSlash);
    }

    /**
     * The canonical URI of a decoded path (see {@link RequestTarget#path()}): its UTF-8 bytes encoded with slashes
     * kept; "/" if empty. Canonicalising the decoded path, never the path as sent, is what makes a signature cover
     * exactly the resource that is routed: two request-targets that canonicalise alike decode alike. An encoded slash
     * (%2F) is therefore a slash, as S3 treats it: the AWS SDK signs a key {@code a//b} as is but its HTTP client
     * sends it as {@code a/%2Fb}, so keeping %2F encoded would reject such requests.
     */
    public static String canonicalUri(String decodedPath) {
        if (decodedPath.isEmpty()) {
            return "/";
        }
        return uriEncode(decodedPath, true);
    }

    /**
     * The canonical query string of decoded parameters: names and values encoded, sorted by name then value, minus
     * the parameters whose (decoded) name {@code exclude} accepts.
     */
    public static String canonicalQuery(List<RequestTarget.Param> params, Predicate<String> exclude) {
        List<RequestTarget.Param> kept = new ArrayList<>(params.size());
        for (RequestTarget.Param p : params) {
            if (!exclude.test(p.name())) {
                kept.add(new RequestTarget.Param(uriEncode(p.name(), false), uriEncode(p.value(), false)));
            }
        }
        kept.sort(Comparator.comparing(RequestTarget.Param::name).thenComparing(RequestTarget.Param::value));
        StringBuilder sb = new StringBuilder();
        for (RequestTarget.Param p : kept) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p.name()).append('=').append(p.value());
        }
        return sb.toString();
    }

    /** A header value as signed: trimmed, inner runs of spaces and tabs collapsed to one space. */
    public static String trimAll(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t') {
                space = true;
            } else {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** One canonical header line without its newline: name, ':', the values trimmed and joined by ','. */
    public static String canonicalHeader(String lowerName, List<String> values) {
        StringBuilder sb = new StringBuilder(lowerName).append(':');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(trimAll(values.get(i)));
        }
        return sb.toString();
    }

    public static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
            List<String> canonicalHeaderLines, String signedHeaders, String payloadHash) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append('\n').append(canonicalUri).append('\n').append(canonicalQuery).append('\n');
        for (String line : canonicalHeaderLines) {
            sb.append(line).append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        return sb.toString();
    }

    public static String scope(String date, String region) {
        return date + "/" + region + "/" + SERVICE + "/" + TERMINATOR;
    }

    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
    }

    public static String chunkStringToSign(String amzDate, String scope, String previousSignature, String chunkSha256) {
        return CHUNK_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n" + EMPTY_SHA256
                + "\n" + chunkSha256;
    }

    public static String trailerStringToSign(String amzDate, String scope, String previousSignature, String trailerSha256) {
        return TRAILER_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n" + trailerSha256;
    }

    public static byte[] signingKey(String secretKey, String date, String region) {
        byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, SERVICE);
        return hmac(k, TERMINATOR);
    }

    public static String sign(byte[] signingKey, String stringToSign) {
        return hex(hmac(signingKey, stringToSign));
    }

    public static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    public static String sha256Hex(String s) {
        return hex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    public static String sha256Hex(byte[] b) {
        return hex(sha256().digest(b));
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >>> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    public static boolean isLowerHex(String s, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Constant-time comparison of two signatures or hashes. */
    public static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}
