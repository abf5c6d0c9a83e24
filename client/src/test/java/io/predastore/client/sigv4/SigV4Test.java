package io.predastore.client.sigv4;

import io.predastore.client.sigv4.SigV4;
import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.http.RequestTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SigV4Test {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/bucket/key|/bucket/key",
        "/|/",
        "/bucket/a%20b|/bucket/a%20b",
        "/bucket/a+b|/bucket/a%2Bb",
        "/bucket/a%2Bb|/bucket/a%2Bb",
        "/bucket/a%2fb|/bucket/a/b",
        "/bucket/a/%2Fdouble|/bucket/a//double",
        "/bucket/caf%c3%a9|/bucket/caf%C3%A9",
        "/bucket/~tilde|/bucket/~tilde",
        "/bucket/%7Etilde|/bucket/~tilde",
        "/bucket/./../x//y|/bucket/./../x//y",
        "/bucket/100%25|/bucket/100%25",
        "/bucket/a%2520b|/bucket/a%2520b",
        "/bucket/%F0%9F%98%80|/bucket/%F0%9F%98%80",
        "/bucket/a;b=c|/bucket/a%3Bb%3Dc"
    })
    void canonicalUri_rawPath_decodesOnceAndReencodes(String raw, String canonical) {
        assertThat(SigV4.canonicalUri(RequestTarget.parse(raw).path())).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|''",
        "acl|acl=",
        "b=2&a=1&a=0|a=0&a=1&b=2",
        "prefix=a+b|prefix=a%20b",
        "prefix=a%2Bb|prefix=a%2Bb",
        "prefix=a%2fb&delimiter=/|delimiter=%2F&prefix=a%2Fb",
        "x=%7e~*|x=~~%2A",
        "&&a=1&&|a=1",
        "k=v=w|k=v%3Dw",
        "a=1;b=2|a=1%3Bb%3D2",
        "a=%E2%82%AC|a=%E2%82%AC"
    })
    void canonicalQuery_rawQuery_sortsAndEncodes(String raw, String canonical) {
        assertThat(SigV4.canonicalQuery(RequestTarget.parse("/?" + raw).params(), name -> false))
                .isEqualTo(canonical);
    }

    @Test
    void trimAll_valueWithRunsOfSpaces_collapses() {
        assertThat(SigV4.trimAll("  a   b \t c  ")).isEqualTo("a b c");
        assertThat(SigV4.trimAll("text/plain; charset=utf-8")).isEqualTo("text/plain; charset=utf-8");
    }
}
