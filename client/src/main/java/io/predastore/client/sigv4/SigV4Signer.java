package io.predastore.client.sigv4;

import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signs S3 requests with AWS Signature Version 4, for clients of a node (the desktop app, the admin client, the
 * load generator, tests). Uses the same canonicalisation ({@link SigV4}) and request-target parse
 * ({@link RequestTarget}) as the node's verifier. Immutable and thread-safe.
 */
public final class SigV4Signer {
    /** Headers a client or proxy may change or add in transit, so they are never signed. */
    private static final Set<String> UNSIGNED_HEADERS =
            Set.of("authorization", "connection", "expect", "user-agent", "x-amzn-trace-id", "transfer-encoding",
                    "content-length");

    private final Credentials credentials;
    private final String region;
    private final Clock clock;

    public SigV4Signer(Credentials credentials, String region, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Signs a request with the Authorization header.
     *
     * @param method the HTTP method, e.g. {@code PUT}
     * @param uri the absolute request URI; its raw path and query are sent as they are
     * @param headers the headers the request will carry (besides Host), all of which are signed except
     *     hop-by-hop and length headers
     * @param payloadSha256 the hex SHA-256 of the body, or null to send {@code UNSIGNED-PAYLOAD}; a STREAMING-*
     *     value is passed through for aws-chunked bodies
     * @return the headers to add: {@code Authorization}, {@code x-amz-date} and {@code x-amz-content-sha256};
     *     the Host header must be the URI's authority (which HTTP clients send by default)
     * @throws IllegalArgumentException if the URI's path or query is one the server refuses (see
     *     {@link RequestTarget}: a bad percent-escape, not UTF-8 once decoded, a character that must be encoded)
     */
    public Map<String, String> signHeaders(String method, URI uri, Map<String, String> headers, String payloadSha256) {
        String payload = payloadSha256 == null ? SigV4.UNSIGNED_PAYLOAD : payloadSha256;
        String amzDate = SigV4.AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> signed = new TreeMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (!UNSIGNED_HEADERS.contains(lower) && !lower.equals("host")) {
                if (signed.put(lower, h.getValue()) != null) {
                    throw new IllegalArgumentException("Header " + lower + " is given twice");
                }
            }
        }
        signed.put("host", host(uri));
        signed.put(SigV4.X_AMZ_DATE, amzDate);
        signed.put(SigV4.X_AMZ_CONTENT_SHA256, payload);
        List<String> lines = new ArrayList<>(signed.size());
        for (Map.Entry<String, String> h : signed.entrySet()) {
            lines.add(SigV4.canonicalHeader(h.getKey(), List.of(h.getValue())));
        }
        String signedHeaders = String.join(";", signed.keySet());
        RequestTarget target = target(uri.getRawPath(), uri.getRawQuery());
        String canonicalRequest = SigV4.canonicalRequest(method, SigV4.canonicalUri(target.path()),
                SigV4.canonicalQuery(target.params(), name -> false), lines, signedHeaders, payload);
        String scope = SigV4.scope(date, region);
        String signature = SigV4.sign(signingKey(date), SigV4.stringToSign(amzDate, scope, canonicalRequest));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Authorization", SigV4.ALGORITHM + " Credential=" + credentials.accessKey() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        out.put(SigV4.X_AMZ_DATE, amzDate);
        out.put(SigV4.X_AMZ_CONTENT_SHA256, payload);
        return out;
    }

    /**
     * A presigned URL for {@code method} on {@code uri}, valid for {@code expires} (1 second to 7 days), signing
     * only the Host header and an unsigned payload.
     *
     * @throws IllegalArgumentException if {@code expires} is out of range, or the URI's path or query is one the
     *     server refuses (see {@link RequestTarget})
     */
    public URI presign(String method, URI uri, Duration expires) {
        long seconds = expires.getSeconds();
        if (seconds < 1 || seconds > SigV4.MAX_EXPIRES_SECONDS || expires.getNano() != 0) {
            throw new IllegalArgumentException("A presigned URL must expire after 1 to 604800 whole seconds, not "
                    + expires);
        }
        String amzDate = SigV4.AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        String scope = SigV4.scope(date, region);
        StringBuilder query = new StringBuilder();
        String rawQuery = uri.getRawQuery();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            query.append(rawQuery).append('&');
        }
        query.append(SigV4.Q_ALGORITHM).append('=').append(SigV4.ALGORITHM)
                .append('&').append(SigV4.Q_CREDENTIAL).append('=')
                .append(SigV4.uriEncode(credentials.accessKey() + "/" + scope, false))
                .append('&').append(SigV4.Q_DATE).append('=').append(amzDate)
                .append('&').append(SigV4.Q_EXPIRES).append('=').append(seconds)
                .append('&').append(SigV4.Q_SIGNED_HEADERS).append("=host");
        RequestTarget target = target(uri.getRawPath(), query.toString());
        String canonicalRequest = SigV4.canonicalRequest(method, SigV4.canonicalUri(target.path()),
                SigV4.canonicalQuery(target.params(), name -> false),
                List.of(SigV4.canonicalHeader("host", List.of(host(uri)))), "host", SigV4.UNSIGNED_PAYLOAD);
        String signature = SigV4.sign(signingKey(date), SigV4.stringToSign(amzDate, scope, canonicalRequest));
        query.append('&').append(SigV4.Q_SIGNATURE).append('=').append(signature);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + "?" + query);
    }

    /**
     * The URI's path and query parsed as the server will parse them, so that the signer canonicalises exactly what
     * the verifier will.
     */
    private static RequestTarget target(String rawPath, String rawQuery) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        try {
            return RequestTarget.parse(rawQuery == null ? path : path + "?" + rawQuery);
        } catch (MalformedRequestException e) {
            throw new IllegalArgumentException("The URI cannot be signed because the server would refuse it: "
                    + e.getMessage(), e);
        }
    }

    /** The signing key for requests dated {@code yyyyMMdd}; used to sign aws-chunked chunks. */
    byte[] signingKey(String date) {
        return SigV4.signingKey(credentials.secretKey(), date, region);
    }

    /** The Host header value for {@code uri}: host, plus the port unless it is the scheme's default. */
    public static String host(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("The URI " + uri + " has no host");
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = uri.getPort();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return defaultPort ? host : host + ":" + port;
    }
}
