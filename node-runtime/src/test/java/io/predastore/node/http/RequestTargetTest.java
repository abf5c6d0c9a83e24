package io.predastore.node.http;

import io.predastore.protocol.http.MalformedRequestException;
import io.predastore.protocol.http.RequestTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.protocol.http.MalformedRequestException.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {
    private static HttpRequest request(String target, String... hosts) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        for (String h : hosts) {
            r.headers().add("Host", h);
        }
        return r;
    }

    private static void assertRefused(String target, Problem problem) {
        assertThatThrownBy(() -> RequestTarget.parse(target)).isInstanceOf(MalformedRequestException.class)
                .satisfies(e -> assertThat(((MalformedRequestException) e).problem()).isEqualTo(problem));
    }

    // ------------------------------------------------------------------ accepted

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // target                         | form     | authority     | raw path      | path
        "/                                | ORIGIN   |               | /             | /",
        "/bucket/key                      | ORIGIN   |               | /bucket/key   | /bucket/key",
        "/bucket/a+b                      | ORIGIN   |               | /bucket/a+b   | /bucket/a+b",
        "/bucket/a%2Fb                    | ORIGIN   |               | /bucket/a%2Fb | /bucket/a/b",
        "/bucket/a%2fb                    | ORIGIN   |               | /bucket/a%2fb | /bucket/a/b",
        "/bucket/caf%C3%A9                | ORIGIN   |               | /bucket/caf%C3%A9 | /bucket/café",
        "/bucket/a%20b                    | ORIGIN   |               | /bucket/a%20b | /bucket/a b",
        "/bucket/./../x//y                | ORIGIN   |               | /bucket/./../x//y | /bucket/./../x//y",
        "//bucket                         | ORIGIN   |               | //bucket      | //bucket",
        "http://host/bucket/key           | ABSOLUTE | host          | /bucket/key   | /bucket/key",
        "HTTP://Host:9000/bucket/key      | ABSOLUTE | Host:9000     | /bucket/key   | /bucket/key",
        "hTtPs://127.0.0.1:1/b            | ABSOLUTE | 127.0.0.1:1   | /b            | /b",
        "http://[::1]:80/b                | ABSOLUTE | [::1]:80      | /b            | /b",
        "http://host                      | ABSOLUTE | host          | /             | /",
        "http://host?location             | ABSOLUTE | host          | /             | /",
        "http://host//b                   | ABSOLUTE | host          | //b           | //b",
    })
    void parse_acceptedForms_splitsPathOnce(String target, RequestTarget.Form form, String authority, String rawPath,
            String path) {
        RequestTarget t = RequestTarget.parse(target);

        assertThat(t.form()).isEqualTo(form);
        assertThat(t.authority()).isEqualTo(authority);
        assertThat(t.rawPath()).isEqualTo(rawPath);
        assertThat(t.path()).isEqualTo(path);
        assertThat(t.host()).isNull();
    }

    @Test
    void parse_query_decodesInOrderWithPlusAsSpace() {
        RequestTarget t = RequestTarget.parse("/b?uploads&prefix=a+b%2Bc&x=1&x=&x&&=v&k=v=w&s=a;b");

        assertThat(t.rawQuery()).isEqualTo("uploads&prefix=a+b%2Bc&x=1&x=&x&&=v&k=v=w&s=a;b");
        assertThat(t.params()).containsExactly(new RequestTarget.Param("uploads", ""),
                new RequestTarget.Param("prefix", "a b+c"), new RequestTarget.Param("x", "1"),
                new RequestTarget.Param("x", ""), new RequestTarget.Param("x", ""), new RequestTarget.Param("", "v"),
                new RequestTarget.Param("k", "v=w"), new RequestTarget.Param("s", "a;b"));
        assertThat(t.parameters()).containsExactly(Map.entry("uploads", List.of("")),
                Map.entry("prefix", List.of("a b+c")), Map.entry("x", List.of("1", "", "")),
                Map.entry("", List.of("v")), Map.entry("k", List.of("v=w")), Map.entry("s", List.of("a;b")));
    }

    @Test
    void parse_noQuestionMark_hasNoQuery() {
        assertThat(RequestTarget.parse("/b").rawQuery()).isNull();
        assertThat(RequestTarget.parse("/b?").rawQuery()).isEmpty();
        assertThat(RequestTarget.parse("/b?").params()).isEmpty();
    }

    // ------------------------------------------------------------------ refused

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*",
        "host:9000",
        "bucket/key",
        "ftp://host/bucket",
        "http:/bucket/key",
        "http://",
        "http:///bucket",
        "http://user@host/bucket",
        "http://host:/bucket",
        "http://host:123456/bucket",
        "http://ho%41st/bucket",
        "http://[zz]/bucket",
        "/bucket/a#b",
        "/bucket/key?a=b#frag",
        "/bucket/100%",
        "/bucket/%4",
        "/bucket/%zz",
        "/bucket/key?a=%G0",
        "/bucket/key?%=1",
    })
    void parse_malformedTarget_isRefused(String target) {
        assertRefused(target, Problem.TARGET);
    }

    @Test
    void parse_controlOrNonAsciiCharacters_areRefused() {
        for (String target : List.of("/b/a\u0000", "/b/a\u0001", "/b/\u007f", "/b/\u00ff", "/b/\u00c3\u00bc",
                "/b/a b", "/b/a\tb", "/b?x=\r", "")) {
            assertRefused(target, Problem.TARGET);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/bucket/%FF",
        "/bucket/%FE",
        "/bucket/%C3",
        "/bucket/%C0%AF",
        "/bucket/%ED%A0%80",
        "/bucket/%F4%90%80%80",
        "/bucket/key?prefix=%FF",
        "/bucket/key?%FF=1",
        "/bucket/key?x=%E2%82",
    })
    void parse_notUtf8OnceDecoded_isRefusedNeverReplaced(String target) {
        assertRefused(target, Problem.ENCODING);
    }

    @Test
    void parse_twoInvalidKeys_neverAlias() {
        // Both used to become "\uFFFD": two signed paths for one key.
        assertRefused("/bucket/%FF", Problem.ENCODING);
        assertRefused("/bucket/%FE", Problem.ENCODING);
        assertThat(RequestTarget.parse("/bucket/%EF%BF%BD").path()).isEqualTo("/bucket/\uFFFD");
    }

    // ------------------------------------------------------------------ host

    @Test
    void of_originFormWithHost_carriesHost() {
        RequestTarget t = RequestHeads.target(request("/k", "bucket.localhost:9000"));

        assertThat(t.host()).isEqualTo("bucket.localhost:9000");
        assertThat(t.path()).isEqualTo("/k");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP://LOCALHOST:9000/bucket/a | localhost:9000",
        "http://localhost:9000/bucket/a | LocalHost:9000",
        "https://[::1]:9000/bucket/a    | [::1]:9000",
    })
    void of_absoluteFormMatchingHost_isAccepted(String target, String host) {
        RequestTarget t = RequestHeads.target(request(target, host));

        assertThat(t.host()).isEqualTo(host);
        assertThat(t.path()).isEqualTo("/bucket/a");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP://other/bucket/a          | localhost:9000",
        "http://localhost/bucket/a      | localhost:9000",
        "http://localhost:9000/bucket/a | localhost:80",
        "http://bucket.localhost/a      | localhost",
    })
    void of_absoluteFormOtherThanHost_isRefused(String target, String host) {
        assertThatThrownBy(() -> RequestHeads.target(request(target, host)))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("send the same host in both")
                .satisfies(e -> assertThat(((MalformedRequestException) e).problem()).isEqualTo(Problem.HOST));
    }

    @Test
    void of_hostMissingRepeatedOrMalformed_isRefused() {
        for (HttpRequest r : List.of(request("/b"), request("/b", "a", "b"), request("/b", "a b"),
                request("/b", "a/b"), request("/b", "a:x"), request("/b", "a@b"), request("/b", ""),
                request("/b", "h\u00e9"), request("http://a/b"))) {
            assertThatThrownBy(() -> RequestHeads.target(r)).as(r.uri() + " " + r.headers().getAll("Host"))
                    .isInstanceOf(MalformedRequestException.class)
                    .satisfies(e -> assertThat(((MalformedRequestException) e).problem()).isEqualTo(Problem.HOST));
        }
    }

    @Test
    void of_http10WithoutHost_isAcceptedWithoutHost() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/b/k");

        assertThat(RequestHeads.target(r).host()).isNull();
    }

    @Test
    void toString_longTarget_isCutForLogs() {
        String target = "/b/" + "x".repeat(5000);

        assertThat(RequestTarget.parse(target).toString()).hasSizeLessThan(210).endsWith("...");
    }
}
