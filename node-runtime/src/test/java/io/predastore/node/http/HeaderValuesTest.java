package io.predastore.node.http;

import io.predastore.protocol.http.MalformedRequestException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.predastore.protocol.http.MalformedRequestException.Problem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderValuesTest {
    /** Headers without Netty's own value validation, as a decoder configured without it would produce. */
    private static HttpHeaders unvalidated(String name, String value) {
        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        h.add("Host", "localhost");
        h.add(name, value);
        return h;
    }

    /** What Netty's server codec makes of a raw request head. */
    private static HttpRequest decoded(String head) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec());
        try {
            channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1));
            return channel.readInbound();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\u0000b", "\u0001", "a\u007f", "a\u001bb", "\u3042"})
    void check_controlCharacterInValue_isRefused(String value) {
        assertThatThrownBy(() -> HeaderValues.check(unvalidated("x-amz-meta-a", value)))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageContaining("x-amz-meta-a")
                .satisfies(e -> assertThat(((MalformedRequestException) e).problem()).isEqualTo(Problem.HEADER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "tab\tinside", "text/plain; charset=utf-8", "caf\u00c3\u00a9", "~!@#$%^&*()"})
    void check_printableTabOrObsText_isAccepted(String value) {
        assertThatCode(() -> HeaderValues.check(unvalidated("x-amz-meta-a", value))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A: v\rInjected: 1", "X-A: v\u0000w", "X-A: v\u0001"})
    void nettyCodec_controlCharacterInValue_failsDecoding(String line) {
        // The decoder's own refusal, which S3Service.malformedHttp answers; HeaderValues holds the same line.
        HttpRequest r = decoded("GET /b HTTP/1.1\r\nHost: h\r\n" + line + "\r\n\r\n");

        assertThat(r.decoderResult().isFailure()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A: v\r\n folded", "X-A: v\r\n\tfolded"})
    void nettyCodec_obsFold_isUnfoldedIntoOneCleanValue(String lines) {
        HttpRequest r = decoded("GET /b HTTP/1.1\r\nHost: h\r\n" + lines + "\r\n\r\n");

        assertThat(r.decoderResult().isSuccess()).isTrue();
        assertThat(r.headers().get("X-A")).isEqualTo("v folded");
        assertThatCode(() -> HeaderValues.check(r.headers())).doesNotThrowAnyException();
    }
}
