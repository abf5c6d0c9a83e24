package io.predastore.node.auth;

import static io.predastore.client.sigv4.SigV4.MAX_EXPIRES_SECONDS;
import static io.predastore.client.sigv4.SigV4.Q_ALGORITHM;
import static io.predastore.client.sigv4.SigV4.Q_CONTENT_SHA256;
import static io.predastore.client.sigv4.SigV4.Q_CREDENTIAL;
import static io.predastore.client.sigv4.SigV4.Q_DATE;
import static io.predastore.client.sigv4.SigV4.Q_EXPIRES;
import static io.predastore.client.sigv4.SigV4.Q_SIGNATURE;
import static io.predastore.client.sigv4.SigV4.Q_SIGNED_HEADERS;
import static io.predastore.client.sigv4.SigV4.X_AMZ_CONTENT_SHA256;
import static io.predastore.client.sigv4.SigV4.X_AMZ_DATE;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4;
import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.protocol.http.RequestTarget;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies AWS Signature Version 4 on the head of an S3 request: the {@code Authorization} header or presigned
 * query parameters. Anonymous requests are refused. The body is verified later through
 * {@link AuthContext#decodeBody}.
 */
public final class SigV4Verifier {
    /** The largest difference allowed between the request time and the server clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String UNSUPPORTED_MECHANISM =
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";

    private final CredentialStore store;
    private final String region;
    private final Clock clock;

    public SigV4Verifier(CredentialStore store, String region, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (region.isEmpty()) {
            throw new IllegalArgumentException("region must not be empty");
        }
    }

    /**
     * Verifies the signature of a request head and returns who signed it and how its body must be decoded. The
     * canonical URI and query are built from {@code target}, the same parse the caller routes from, so a request
     * that verifies can only act on the resource its signature names.
     *
     * @param method the request method
     * @param target the request's target, from {@link RequestTarget#of}
     * @param headers the request headers (the Host header among them)
     * @throws S3Exception when the request is unauthenticated, malformed, expired, or its signature is wrong
     */
    public AuthContext verify(HttpMethod method, RequestTarget target, HttpHeaders headers) {
        Map<String, List<String>> query = target.parameters();
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        boolean presigned = query.containsKey(Q_ALGORITHM) || query.containsKey(Q_SIGNATURE)
                || query.containsKey(Q_CREDENTIAL);
        if (authorization != null && presigned) {
            throw S3Error.INVALID_ARGUMENT.exception("Only one auth mechanism allowed; only the X-Amz-Algorithm "
                    + "query parameter or the Authorization header should be specified.");
        }
        Request r = new Request(method.name(), target, headers);
        if (authorization != null) {
            return verifyHeader(r, authorization);
        }
        if (presigned) {
            return verifyQuery(r, query);
        }
        if (query.containsKey("AWSAccessKeyId") || query.containsKey("Signature")) {
            throw S3Error.INVALID_REQUEST.exception(UNSUPPORTED_MECHANISM);
        }
        throw S3Error.ACCESS_DENIED.exception("Anonymous requests are not allowed: sign the request with AWS "
                + "Signature Version 4 (AWS4-HMAC-SHA256) in the Authorization header or presigned query parameters.");
    }

    private record Request(String method, RequestTarget target, HttpHeaders headers) {
    }

    private record Scope(String accessKey, String date, String region) {
    }

    // ---------------------------------------------------------------- Authorization header

    private AuthContext verifyHeader(Request r, String authorization) {
        String value = authorization.trim();
        int sp = indexOfWhitespace(value);
        String algorithm = sp < 0 ? value : value.substring(0, sp);
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw S3Error.INVALID_REQUEST.exception(UNSUPPORTED_MECHANISM);
        }
        if (sp < 0) {
            throw malformedHeader("it has no Credential, SignedHeaders and Signature after AWS4-HMAC-SHA256");
        }
        Map<String, String> parts = new HashMap<>();
        for (String token : value.substring(sp + 1).split("[,\\s]+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw malformedHeader("'" + abbreviate(token) + "' is not a key=value component");
            }
            String key = token.substring(0, eq);
            if (!key.equals("Credential") && !key.equals("SignedHeaders") && !key.equals("Signature")) {
                throw malformedHeader("unknown component '" + abbreviate(key)
                        + "'; expected Credential, SignedHeaders and Signature");
            }
            if (parts.put(key, token.substring(eq + 1)) != null) {
                throw malformedHeader("the component " + key + " is given twice");
            }
        }
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (parts.get(required) == null || parts.get(required).isEmpty()) {
                throw malformedHeader("the " + required + " component is missing or empty");
            }
        }
        Scope scope = parseScope(parts.get("Credential"), false);
        List<String> signedHeaders = parseSignedHeaders(parts.get("SignedHeaders"), false);
        String signature = parts.get("Signature");
        if (!SigV4.isLowerHex(signature, 64)) {
            throw malformedHeader("the Signature must be 64 lower-case hex digits");
        }

        HttpHeaders headers = r.headers();
        String payloadHash = headers.get(X_AMZ_CONTENT_SHA256);
        if (payloadHash == null) {
            throw S3Error.INVALID_REQUEST.exception("Missing required header for this request: "
                    + "x-amz-content-sha256. Send the hex SHA-256 of the body, UNSIGNED-PAYLOAD or a STREAMING-* "
                    + "value.");
        }
        payloadHash = payloadHash.trim();
        PayloadMode mode = AuthContext.parsePayloadMode(payloadHash);

        String amzDate;
        Instant time;
        String xAmzDate = headers.get(X_AMZ_DATE);
        if (xAmzDate != null) {
            time = parseAmzDate(xAmzDate.trim());
            if (time == null) {
                throw S3Error.ACCESS_DENIED.exception("AWS authentication requires a valid Date or x-amz-date "
                        + "header: x-amz-date must be yyyyMMdd'T'HHmmss'Z'.");
            }
            amzDate = xAmzDate.trim();
        } else {
            String date = headers.get(HttpHeaderNames.DATE);
            time = date == null ? null : parseHttpDate(date.trim());
            if (time == null) {
                throw S3Error.ACCESS_DENIED.exception("AWS authentication requires a valid Date or x-amz-date "
                        + "header.");
            }
            if (!signedHeaders.contains("date")) {
                throw malformedHeader("the Date header carries the request time, so it must be in SignedHeaders");
            }
            amzDate = SigV4.AMZ_DATE.format(time);
        }
        if (!amzDate.startsWith(scope.date())) {
            throw malformedHeader("the credential date " + scope.date() + " is not the date of the request time "
                    + amzDate);
        }
        Credentials credentials = lookup(scope.accessKey());
        checkSkew(time);
        return verifySignature(r, credentials, scope, signedHeaders, signature, payloadHash, mode, amzDate,
                SigV4.canonicalQuery(r.target().params(), name -> false), false);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static S3Exception malformedHeader(String why) {
        return S3Error.AUTHORIZATION_HEADER_MALFORMED.exception("The authorization header is malformed: " + why
                + ". Expected 'AWS4-HMAC-SHA256 Credential=<access key>/<yyyyMMdd>/<region>/s3/aws4_request, "
                + "SignedHeaders=<names;...>, Signature=<hex>'.");
    }

    private static S3Exception malformedQuery(String why) {
        return S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR.exception(why);
    }

    // ---------------------------------------------------------------- presigned query

    private AuthContext verifyQuery(Request r, Map<String, List<String>> query) {
        String algorithm = single(query, Q_ALGORITHM);
        String credential = single(query, Q_CREDENTIAL);
        String amzDate = single(query, Q_DATE);
        String expiresText = single(query, Q_EXPIRES);
        String signedHeadersText = single(query, Q_SIGNED_HEADERS);
        String signature = single(query, Q_SIGNATURE);
        if (algorithm == null || credential == null || amzDate == null || expiresText == null
                || signedHeadersText == null || signature == null) {
            throw malformedQuery("Query-string authentication version 4 requires the X-Amz-Algorithm, "
                    + "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires "
                    + "parameters, each exactly once.");
        }
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw malformedQuery("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\".");
        }
        Scope scope = parseScope(credential, true);
        List<String> signedHeaders = parseSignedHeaders(signedHeadersText, true);
        if (!SigV4.isLowerHex(signature, 64)) {
            throw malformedQuery("X-Amz-Signature must be 64 lower-case hex digits.");
        }
        long expires = parseExpires(expiresText);
        Instant time = parseAmzDate(amzDate);
        if (time == null) {
            throw malformedQuery("X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'.");
        }
        if (!amzDate.startsWith(scope.date())) {
            throw malformedQuery("Invalid credential date " + scope.date() + ": it is not the date of X-Amz-Date "
                    + amzDate + ".");
        }
        String payloadHash = single(query, Q_CONTENT_SHA256);
        if (payloadHash == null) {
            payloadHash = SigV4.UNSIGNED_PAYLOAD;
        }
        PayloadMode mode = AuthContext.parsePayloadMode(payloadHash);
        if (mode != PayloadMode.SIGNED_SHA256 && mode != PayloadMode.UNSIGNED) {
            throw malformedQuery("X-Amz-Content-Sha256 of a presigned URL must be a hex SHA-256 or "
                    + "UNSIGNED-PAYLOAD.");
        }
        Credentials credentials = lookup(scope.accessKey());
        Instant now = clock.instant();
        if (time.isAfter(now.plus(MAX_SKEW))) {
            throw S3Error.REQUEST_TIME_TOO_SKEWED.exception("The presigned URL's X-Amz-Date " + amzDate
                    + " is more than 15 minutes ahead of the server time " + SigV4.AMZ_DATE.format(now)
                    + ". Check the signer's clock.");
        }
        if (now.isAfter(time.plusSeconds(expires))) {
            throw S3Error.ACCESS_DENIED.exception("Request has expired: the presigned URL was valid for "
                    + expires + " seconds from " + amzDate + ". Create a new presigned URL.");
        }
        return verifySignature(r, credentials, scope, signedHeaders, signature, payloadHash, mode, amzDate,
                SigV4.canonicalQuery(r.target().params(), Q_SIGNATURE::equals), true);
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw malformedQuery("The query parameter " + name + " must be given exactly once.");
        }
        return values.get(0);
    }

    private static long parseExpires(String text) {
        long expires = -1;
        if (!text.isEmpty() && text.length() <= 10 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            expires = Long.parseLong(text);
        }
        if (expires < 1) {
            throw malformedQuery("X-Amz-Expires must be a whole number of seconds, at least 1.");
        }
        if (expires > MAX_EXPIRES_SECONDS) {
            throw malformedQuery("X-Amz-Expires must be less than a week (in seconds); that is, the given "
                    + "X-Amz-Expires must be less than 604800 seconds.");
        }
        return expires;
    }

    // ---------------------------------------------------------------- shared

    private Scope parseScope(String credential, boolean query) {
        String[] parts = credential.split("/", -1);
        String what = query ? "Error parsing the X-Amz-Credential parameter" : "the Credential component is invalid";
        if (parts.length < 5) {
            throw query ? malformedQuery(what + ": expected <access key>/<yyyyMMdd>/<region>/s3/aws4_request.")
                    : malformedHeader(what + ": expected <access key>/<yyyyMMdd>/<region>/s3/aws4_request");
        }
        int n = parts.length;
        String accessKey = String.join("/", java.util.Arrays.copyOf(parts, n - 4));
        String date = parts[n - 4];
        String scopeRegion = parts[n - 3];
        String service = parts[n - 2];
        String terminator = parts[n - 1];
        String problem = null;
        if (accessKey.isEmpty()) {
            problem = "the access key is empty";
        } else if (date.length() != 8 || !date.chars().allMatch(c -> c >= '0' && c <= '9')) {
            problem = "the date '" + abbreviate(date) + "' is not yyyyMMdd";
        } else if (!scopeRegion.equals(region)) {
            problem = "the region '" + abbreviate(scopeRegion) + "' is wrong; expecting '" + region + "'";
        } else if (!service.equals(SigV4.SERVICE)) {
            problem = "the service '" + abbreviate(service) + "' is wrong; this endpoint only serves 's3'";
        } else if (!terminator.equals(SigV4.TERMINATOR)) {
            problem = "the scope must end with 'aws4_request', not '" + abbreviate(terminator) + "'";
        }
        if (problem != null) {
            throw query ? malformedQuery(what + ": " + problem + ".") : malformedHeader(what + ": " + problem);
        }
        return new Scope(accessKey, date, scopeRegion);
    }

    private static List<String> parseSignedHeaders(String text, boolean query) {
        TreeSet<String> names = new TreeSet<>();
        for (String name : text.split(";", -1)) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || !lower.chars().allMatch(SigV4Verifier::tokenChar)) {
                String why = "SignedHeaders contains an empty or invalid header name";
                throw query ? malformedQuery("X-Amz-SignedHeaders is invalid: it contains an empty or invalid "
                        + "header name.") : malformedHeader(why);
            }
            names.add(lower);
        }
        if (!names.contains("host")) {
            throw query ? malformedQuery("X-Amz-SignedHeaders must include 'host'.")
                    : malformedHeader("SignedHeaders must include 'host'");
        }
        return new ArrayList<>(names);
    }

    private static boolean tokenChar(int c) {
        return c > 0x20 && c < 0x7F && c != ':' && c != ';' && c != ',';
    }

    private Credentials lookup(String accessKey) {
        return store.find(accessKey).orElseThrow(() -> S3Error.INVALID_ACCESS_KEY_ID.exception(
                "The AWS access key Id you provided does not exist in our records: " + abbreviate(accessKey)
                        + ". Check the access key the client is configured with."));
    }

    private void checkSkew(Instant time) {
        Instant now = clock.instant();
        if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0) {
            throw S3Error.REQUEST_TIME_TOO_SKEWED.exception("The difference between the request time "
                    + SigV4.AMZ_DATE.format(time) + " and the server's time " + SigV4.AMZ_DATE.format(now)
                    + " is more than 15 minutes. Correct the client's clock.");
        }
    }

    private AuthContext verifySignature(Request r, Credentials credentials, Scope scope, List<String> signedHeaders,
            String signature, String payloadHash, PayloadMode mode, String amzDate, String canonicalQuery,
            boolean presigned) {
        HttpHeaders headers = r.headers();
        Set<String> unsigned = new TreeSet<>();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-") && !lower.equals(X_AMZ_CONTENT_SHA256) && !signedHeaders.contains(lower)) {
                unsigned.add(lower);
            }
        }
        if (!unsigned.isEmpty()) {
            throw S3Error.ACCESS_DENIED.exception("There were headers present in the request which were not "
                    + "signed: " + String.join(", ", unsigned) + ". Every x-amz-* header must be signed.");
        }
        List<String> lines = new ArrayList<>(signedHeaders.size());
        for (String name : signedHeaders) {
            List<String> values = headers.getAll(name);
            if (values.isEmpty()) {
                throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The header '" + name + "' is listed in the "
                        + "signed headers but is not in the request. Send every header that was signed.");
            }
            lines.add(SigV4.canonicalHeader(name, values));
        }
        String canonicalRequest = SigV4.canonicalRequest(r.method(), SigV4.canonicalUri(r.target().path()),
                canonicalQuery, lines, String.join(";", signedHeaders), payloadHash);
        String scopeText = SigV4.scope(scope.date(), scope.region());
        String stringToSign = SigV4.stringToSign(amzDate, scopeText, canonicalRequest);
        byte[] signingKey = SigV4.signingKey(credentials.secretKey(), scope.date(), scope.region());
        String expected = SigV4.sign(signingKey, stringToSign);
        if (!SigV4.constantTimeEquals(expected, signature)) {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The request signature we calculated does not match "
                    + "the signature you provided. Check your secret access key and signing method. StringToSign: '"
                    + escape(stringToSign) + "'; CanonicalRequest: '" + escape(canonicalRequest) + "'.");
        }
        return new AuthContext(credentials.accessKey(), mode, payloadHash, signingKey, signature, amzDate, scopeText,
                presigned);
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n");
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /** Parses {@code yyyyMMdd'T'HHmmss'Z'}; null if it is not exactly that. */
    static Instant parseAmzDate(String s) {
        if (s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z') {
            return null;
        }
        for (int i = 0; i < 15; i++) {
            if (i != 8 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
                return null;
            }
        }
        try {
            return LocalDateTime.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(4, 6)),
                    Integer.parseInt(s.substring(6, 8)), Integer.parseInt(s.substring(9, 11)),
                    Integer.parseInt(s.substring(11, 13)), Integer.parseInt(s.substring(13, 15)))
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Instant parseHttpDate(String s) {
        try {
            return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
