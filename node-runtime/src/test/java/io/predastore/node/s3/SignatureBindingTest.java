package io.predastore.node.s3;

import io.predastore.node.error.S3Exception;
import io.predastore.node.http.RequestHeads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.node.auth.AuthContext;
import io.predastore.node.auth.CanonicalTarget;
import io.predastore.node.auth.CredentialStore;
import io.predastore.node.auth.SigV4Verifier;
import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What a signature binds: over generated request-targets (origin-form and absolute-form, any scheme case, paths and
 * query strings with any bytes percent-encoded or not, {@code +}, {@code %2F}, {@code //}, dots, non-ASCII, repeated,
 * empty and valueless parameters), whatever the verifier canonicalises is exactly what the router acts on, a request
 * signed for one (bucket, key) verifies only where it is routed to that (bucket, key), and input that is not UTF-8
 * is refused, never aliased.
 */
class SignatureBindingTest {
    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Credentials CREDENTIALS = new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCY");
    private static final SigV4Signer SIGNER = new SigV4Signer(CREDENTIALS, "us-east-1", CLOCK);
    private static final SigV4Verifier VERIFIER = new SigV4Verifier(CredentialStore.of(CREDENTIALS), "us-east-1",
            CLOCK);
    private static final S3Router ROUTER = new S3Router(List.of("localhost"));
    private static final String PATH_HOST = "localhost:9000";
    private static final String UNRESERVED = "-._~";
    /** Printable ASCII that a path may carry unencoded and that stands for itself there. */
    private static final String PATH_LITERAL = "!$&'()*,;=:@" + UNRESERVED;

    /** A resource and how one client signed it. */
    record Signed(String bucket, String key, boolean virtualHost, Map<String, String> query) {
        String host() {
            return virtualHost ? bucket + ".localhost:9000" : PATH_HOST;
        }

        /** The path in S3 terms, before any encoding. */
        String path() {
            return virtualHost ? "/" + key : "/" + bucket + "/" + key;
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("a", "Z", "0", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";",
                "=", ":", "@", " ", "/", "//", "..", "%", "?", "#", "\u00e9", "\u4e2d", "\ud83d\ude00", "\u0001",
                "\u007f", "\ufffd", "[", "]", "\\", "^", "|", "%2F", "%41", "a+b")
                .list().ofMinSize(1).ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> names = Arbitraries.of("prefix", "delimiter", "uploads", "marker", "x", "a b", "a+b",
                "\u00e9", "k=v", "list-type", "&");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.just(""), keys());
        return Combinators.combine(names, values).as(Map::entry).list().ofMaxSize(4).map(entries -> {
            Map<String, String> q = new TreeMap<>();
            entries.forEach(e -> q.put(e.getKey(), e.getValue()));
            return q;
        });
    }

    @Provide
    Arbitrary<Signed> signedRequests() {
        return Combinators.combine(Arbitraries.of("bucket", "my.bucket", "b-1"), keys(), Arbitraries.of(true, false),
                queries()).as(Signed::new);
    }

    /**
     * {@code path} as a client might send it: each byte encoded or not where either is allowed, except the leading
     * slash, which makes it a path.
     */
    static String encodePath(String path, Random random) {
        StringBuilder sb = new StringBuilder("/");
        for (byte b : path.substring(1).getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean literalAllowed = c < 0x80 && (Character.isLetterOrDigit(c) || PATH_LITERAL.indexOf(c) >= 0
                    || c == '/' || c == '+');
            appendByte(sb, c, literalAllowed && random.nextInt(3) > 0, random);
        }
        return sb.toString();
    }

    /** {@code text} as a client might send it in a query name or value ({@code +} a space, {@code %20} too). */
    static String encodeQuery(String text, boolean value, Random random) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c == ' ' && random.nextBoolean()) {
                sb.append('+');
                continue;
            }
            boolean literalAllowed = c < 0x80 && (Character.isLetterOrDigit(c) || UNRESERVED.indexOf(c) >= 0
                    || "!$'()*,;:@/?".indexOf(c) >= 0 || (value && c == '='));
            appendByte(sb, c, literalAllowed && random.nextInt(3) > 0, random);
        }
        return sb.toString();
    }

    private static void appendByte(StringBuilder sb, int c, boolean literal, Random random) {
        if (literal) {
            sb.append((char) c);
        } else {
            String hex = HexFormat.of().withUpperCase().toHexDigits((byte) c);
            sb.append('%').append(random.nextBoolean() ? hex : hex.toLowerCase(Locale.ROOT));
        }
    }

    static String randomCase(String s, Random random) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /** The request-target a client sends for {@code s}: origin-form or absolute-form naming {@code authority}. */
    static String sentTarget(Signed s, String path, Map<String, String> query, String authority, Random random) {
        StringBuilder t = new StringBuilder();
        if (authority != null) {
            t.append(randomCase(random.nextBoolean() ? "http" : "https", random)).append("://").append(authority);
        }
        t.append(encodePath(path, random));
        List<String> parts = new ArrayList<>();
        query.forEach((name, value) -> parts.add(encodeQuery(name, false, random)
                + (value.isEmpty() && random.nextBoolean() ? "" : "=" + encodeQuery(value, true, random))));
        Collections.shuffle(parts, random);
        if (!parts.isEmpty()) {
            t.append('?').append(String.join(random.nextInt(4) == 0 ? "&&" : "&", parts));
        }
        return t.toString();
    }

    private static HttpRequest http(String method, String target, Map<String, String> headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        headers.forEach((k, v) -> r.headers().add(k, v));
        return r;
    }

    /** The URI a signer is given: the resource encoded the canonical way, which is always a valid URI. */
    private static URI signingUri(Signed s) {
        StringBuilder u = new StringBuilder("http://").append(s.host()).append(CanonicalTarget.encode(s.path(), true));
        if (!s.query().isEmpty()) {
            List<String> parts = new ArrayList<>();
            s.query().forEach((n, v) -> parts.add(CanonicalTarget.encode(n, false) + "="
                    + CanonicalTarget.encode(v, false)));
            u.append('?').append(String.join("&", parts));
        }
        return URI.create(u.toString());
    }

    // ------------------------------------------------------------------ properties

    /**
     * A request signed for (bucket, key, query), sent in any accepted form, verifies; sent with its resource changed
     * in any way, it verifies only if the router still acts on exactly what was signed.
     */
    @Property(tries = 1000)
    void signedRequest_anyForm_verifiesOnlyWhereRoutedToTheSignedResource(@ForAll("signedRequests") Signed s,
            @ForAll long seed) {
        Random random = new Random(seed);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", s.host());
        headers.putAll(SIGNER.signHeaders("PUT", signingUri(s), Map.of(), null));

        // The same resource, re-encoded, in origin-form or absolute-form naming the Host in any letter case.
        String authority = random.nextBoolean() ? null : randomCase(s.host(), random);
        String honest = sentTarget(s, s.path(), s.query(), authority, random);
        Outcome same = send(honest, headers);
        assertThat(same.verified()).as(honest).isTrue();
        assertThat(same.route()).as(honest).isEqualTo(new Resource(s.bucket(), s.key(), s.query()));

        // Then the request changed: another key, another host in the target, another parameter.
        String path = s.path();
        Map<String, String> query = new TreeMap<>(s.query());
        String changedAuthority = authority;
        switch (random.nextInt(4)) {
            case 0 -> path = path + (random.nextBoolean() ? "x" : "/");
            case 1 -> changedAuthority = random.nextBoolean() ? "other.localhost:9000" : "localhost:9001";
            case 2 -> query.put("uploadId", "u1");
            default -> path = "/" + (s.virtualHost() ? "" : s.bucket() + "/") + "b";
        }
        String tampered = sentTarget(s, path, query, changedAuthority, random);
        Outcome changed = send(tampered, headers);
        if (changed.verified()) {
            assertThat(changed.route()).as(tampered).isEqualTo(new Resource(s.bucket(), s.key(), s.query()));
        }
    }

    /** A presigned URL, sent in any accepted form, verifies; changed, it verifies only where routed alike. */
    @Property(tries = 500)
    void presignedUrl_anyForm_verifiesOnlyWhereRoutedToTheSignedResource(@ForAll("signedRequests") Signed s,
            @ForAll long seed) {
        Random random = new Random(seed);
        URI url = SIGNER.presign("GET", signingUri(s), Duration.ofMinutes(5));
        Map<String, String> query = new TreeMap<>();
        RequestTarget.parse("/?" + url.getRawQuery()).params().forEach(p -> query.put(p.name(), p.value()));
        Map<String, String> host = Map.of("Host", s.host());

        String authority = random.nextBoolean() ? null : randomCase(s.host(), random);
        String honest = sentTarget(s, s.path(), query, authority, random);
        Outcome same = send("GET", honest, host);
        assertThat(same.verified()).as(honest).isTrue();
        assertThat(same.route()).as(honest).isEqualTo(new Resource(s.bucket(), s.key(), s.query()));

        String path = random.nextBoolean() ? s.path() + "x" : "/" + (s.virtualHost() ? "" : s.bucket() + "/") + "b";
        String changedAuthority = random.nextBoolean() ? authority : "other.localhost:9000";
        if (random.nextBoolean()) {
            query.put("x-id", "PutObject");
        }
        String tampered = sentTarget(s, path, query, changedAuthority, random);
        Outcome changed = send("GET", tampered, host);
        if (changed.verified()) {
            assertThat(changed.route()).as(tampered).isEqualTo(new Resource(s.bucket(), s.key(), s.query()));
        }
    }

    /**
     * For any accepted target, the canonical URI and query the verifier signs are the canonical forms of the
     * router's bucket, key and query: a signature names exactly the resource that is acted on.
     */
    @Property(tries = 1000)
    void acceptedTarget_canonicalFormsAreThoseOfTheRoutedResource(@ForAll("signedRequests") Signed s,
            @ForAll long seed) {
        Random random = new Random(seed);
        String target = sentTarget(s, s.path(), s.query(), random.nextBoolean() ? null : s.host(), random);
        HttpRequest http = http("GET", target, Map.of("Host", s.host()));
        RequestTarget parsed = RequestHeads.target(http);

        S3Request routed = ROUTER.route(http.method(), parsed, http.headers(), "REQ").request();

        String resource = s.virtualHost() ? "/" + (routed.key() == null ? "" : routed.key())
                : "/" + routed.bucket() + (routed.key() == null ? "" : "/" + routed.key());
        String canonicalUri = CanonicalTarget.uri(parsed);
        // A bucket-level path may end in '/' ("/bucket/"), which routes like "/bucket".
        assertThat(List.of(CanonicalTarget.encode(resource, true), CanonicalTarget.encode(resource + "/", true)))
                .as(target).contains(canonicalUri);
        // One value per name (the router refuses more), so sorting by encoded name alone gives SigV4's order.
        Map<String, String> canonicalParams = new TreeMap<>();
        routed.query().forEach((n, v) -> canonicalParams.put(CanonicalTarget.encode(n, false),
                CanonicalTarget.encode(v.get(0), false)));
        List<String> joined = new ArrayList<>();
        canonicalParams.forEach((n, v) -> joined.add(n + "=" + v));
        assertThat(CanonicalTarget.query(parsed)).as(target).isEqualTo(String.join("&", joined));
    }

    /** Two targets with one canonical form (so one signature) route alike, whatever their spelling. */
    @Property(tries = 1000)
    void sameCanonicalForm_sameRoute(@ForAll("signedRequests") Signed s, @ForAll long seed) {
        Random random = new Random(seed);
        String target = sentTarget(s, s.path(), s.query(), random.nextBoolean() ? null : s.host(), random);
        RequestTarget parsed = RequestHeads.target(http("GET", target, Map.of("Host", s.host())));
        String canonical = CanonicalTarget.uri(parsed)
                + (parsed.params().isEmpty() ? "" : "?" + CanonicalTarget.query(parsed));

        Resource routed = send(target, Map.of("Host", s.host())).route();
        assertThat(routed).as(target).isNotNull();
        assertThat(send(canonical, Map.of("Host", s.host())).route()).as(canonical).isEqualTo(routed);
    }

    /** Any bytes percent-encoded decode to exactly those bytes, or are refused when they are not UTF-8. */
    @Property(tries = 2000)
    void percentEncodedBytes_decodeExactlyOrAreRefused(@ForAll("byteStrings") byte[] key, @ForAll boolean inQuery) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : key) {
            encoded.append('%').append(HexFormat.of().toHexDigits(b));
        }
        String target = inQuery ? "/bucket?prefix=" + encoded : "/bucket/" + encoded;
        boolean utf8 = isUtf8(key);

        if (utf8) {
            RequestTarget t = RequestTarget.parse(target);
            String decoded = inQuery ? t.parameters().get("prefix").get(0) : t.path().substring("/bucket/".length());
            assertThat(decoded.getBytes(StandardCharsets.UTF_8)).isEqualTo(key);
        } else {
            assertThatThrownBy(() -> RequestTarget.parse(target)).isInstanceOf(MalformedRequestException.class)
                    .satisfies(e -> assertThat(((MalformedRequestException) e).problem())
                            .isEqualTo(MalformedRequestException.Problem.ENCODING));
        }
    }

    @Provide
    Arbitrary<byte[]> byteStrings() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(12),
                Arbitraries.strings().ofMaxLength(6).map(text -> text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whatever a client sends as a request-target, the parser answers or refuses; it never fails otherwise. */
    @Property(tries = 2000)
    void anyTarget_isParsedOrRefusedCleanly(@ForAll("anyTargets") String target) {
        try {
            // parse, not of: Netty's own request constructor refuses some of these, its decoder does not.
            RequestTarget t = RequestTarget.parse(target);
            ROUTER.route(HttpMethod.GET, t, http("GET", "/", Map.of("Host", PATH_HOST)).headers(), "REQ");
        } catch (MalformedRequestException | S3Exception e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> anyTargets() {
        Arbitrary<String> pieces = Arbitraries.of("/", "//", "%", "%2", "%2F", "%FF", "%C3%A9", "%e2%82", "?", "&",
                "=", "+", "#", "*", "http://", "HTTPS://", "localhost:9000", "@", ":", "[", "]", "a", "\u00e9", " ",
                "\u0000", "\r", ".", "..", ";");
        return pieces.list().ofMaxSize(12).map(p -> String.join("", p));
    }

    // ------------------------------------------------------------------ helpers

    /** What the router acts on. */
    record Resource(String bucket, String key, Map<String, String> query) {
    }

    record Outcome(boolean verified, Resource route) {
    }

    private static Outcome send(String target, Map<String, String> headers) {
        return send("PUT", target, headers);
    }

    /**
     * Parses, routes and verifies like S3Service does; a refusal at any step is "not verified". The route's query
     * leaves out the presigning parameters (X-Amz-*), which are about the signature, not the resource.
     */
    private static Outcome send(String method, String target, Map<String, String> headers) {
        HttpRequest http = http(method, target, headers);
        Resource resource;
        RequestTarget parsed;
        try {
            parsed = RequestHeads.target(http);
            S3Request r = ROUTER.route(http.method(), parsed, http.headers(), "REQ").request();
            Map<String, String> query = new TreeMap<>();
            r.query().forEach((n, v) -> {
                if (!n.startsWith("X-Amz-")) {
                    query.put(n, v.get(0));
                }
            });
            resource = new Resource(r.bucket(), r.key(), query);
        } catch (MalformedRequestException | S3Exception e) {
            return new Outcome(false, null);
        }
        try {
            AuthContext auth = VERIFIER.verify(http.method(), parsed, http.headers());
            return new Outcome(auth != null, resource);
        } catch (S3Exception e) {
            return new Outcome(false, resource);
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
