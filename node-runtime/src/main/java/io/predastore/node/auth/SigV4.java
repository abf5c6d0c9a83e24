package io.predastore.node.auth;

import java.io.ByteArrayOutputStream;
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
 * The one implementation of AWS Signature Version 4 canonicalisation and key derivation, shared by the verifier
 * and the signer.
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String SERVICE = "s3";
    static final String TERMINATOR = "aws4_request";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";
    /** Hex SHA-256 of no bytes. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** {@code yyyyMMdd'T'HHmmss'Z'}, the x-amz-date format. */
    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private SigV4() {
    }

    /** A name/value pair of a query string, both already in canonical (encoded) form. */
    record QueryParam(String name, String value, String decodedName, String decodedValue) {
    }

    static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Percent-encodes every byte outside A-Za-z0-9-._~ (and '/' too unless {@code keepSlash}), upper-case hex. */
    static String uriEncode(byte[] bytes, boolean keepSlash) {
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

    static String uriEncode(String s, boolean keepSlash) {
        return uriEncode(s.getBytes(StandardCharsets.UTF_8), keepSlash);
    }

    /**
     * Decodes %XX escapes to bytes; a '%' not followed by two hex digits stays literal. In query strings '+' means
     * a space (form encoding); in paths it is a literal '+'.
     */
    static byte[] percentDecode(String s, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            int c = in[i] & 0xFF;
            if (c == '%' && i + 2 < in.length && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
                out.write(hexValue(in[i + 1]) << 4 | hexValue(in[i + 2]));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * The canonical URI of a raw (as sent) path: decoded once, then re-encoded with slashes kept; "/" if empty.
     * An encoded slash (%2F) is a slash, as S3 treats it: the AWS SDK signs a key {@code a//b} as is but its
     * HTTP client sends it as {@code a/%2Fb}, so keeping %2F encoded would reject such requests.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return uriEncode(percentDecode(rawPath, false), true);
    }

    /** Parses a raw query string into parameters; a parameter without '=' has an empty value. */
    static List<QueryParam> parseQuery(String rawQuery) {
        List<QueryParam> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            String rawValue = eq < 0 ? "" : part.substring(eq + 1);
            byte[] name = percentDecode(rawName, true);
            byte[] value = percentDecode(rawValue, true);
            params.add(new QueryParam(uriEncode(name, false), uriEncode(value, false),
                    new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8)));
        }
        return params;
    }

    /** The canonical query string: encoded params sorted by name then value, minus those {@code exclude} names. */
    static String canonicalQuery(List<QueryParam> params, Predicate<String> excludeDecodedName) {
        List<QueryParam> kept = new ArrayList<>(params.size());
        for (QueryParam p : params) {
            if (!excludeDecodedName.test(p.decodedName())) {
                kept.add(p);
            }
        }
        kept.sort(Comparator.comparing(QueryParam::name).thenComparing(QueryParam::value));
        StringBuilder sb = new StringBuilder();
        for (QueryParam p : kept) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p.name()).append('=').append(p.value());
        }
        return sb.toString();
    }

    /** A header value as signed: trimmed, inner runs of spaces and tabs collapsed to one space. */
    static String trimAll(String value) {
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
    static String canonicalHeader(String lowerName, List<String> values) {
        StringBuilder sb = new StringBuilder(lowerName).append(':');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(trimAll(values.get(i)));
        }
        return sb.toString();
    }

    static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
            List<String> canonicalHeaderLines, String signedHeaders, String payloadHash) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append('\n').append(canonicalUri).append('\n').append(canonicalQuery).append('\n');
        for (String line : canonicalHeaderLines) {
            sb.append(line).append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        return sb.toString();
    }

    static String scope(String date, String region) {
        return date + "/" + region + "/" + SERVICE + "/" + TERMINATOR;
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
    }

    static String chunkStringToSign(String amzDate, String scope, String previousSignature, String chunkSha256) {
        return CHUNK_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n" + EMPTY_SHA256
                + "\n" + chunkSha256;
    }

    static String trailerStringToSign(String amzDate, String scope, String previousSignature, String trailerSha256) {
        return TRAILER_ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + previousSignature + "\n" + trailerSha256;
    }

    static byte[] signingKey(String secretKey, String date, String region) {
        byte[] k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, SERVICE);
        return hmac(k, TERMINATOR);
    }

    static String sign(byte[] signingKey, String stringToSign) {
        return hex(hmac(signingKey, stringToSign));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    static String sha256Hex(String s) {
        return hex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256Hex(byte[] b) {
        return hex(sha256().digest(b));
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >>> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    static boolean isLowerHex(String s, int length) {
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
    static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}
