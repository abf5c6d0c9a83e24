package io.predastore.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExchangeGateTest {
    private final List<String> seen = new ArrayList<>();
    private final ExchangeGate gate = new ExchangeGate();
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), gate, new Recorder());

    /** Writes down what reaches the handlers after the gate: "GET /a", "body 5", "end". */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    seen.add(r.method() + " " + r.uri() + (r.decoderResult().isFailure() ? " (malformed)" : ""));
                }
                if (msg instanceof HttpContent c && c.content().isReadable()) {
                    seen.add("body " + c.content().readableBytes());
                }
                if (msg instanceof LastHttpContent) {
                    seen.add("end");
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    @AfterEach
    void noLeaks() {
        channel.finishAndReleaseAll();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private static FullHttpResponse ok(String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        HttpUtil.setContentLength(r, body.length());
        return r;
    }

    private String sent() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out.toString();
    }

    @Test
    void pipelinedRequests_passedOnOneAtATime_eachAfterThePreviousAnswer() {
        receive(get("/a") + get("/b") + get("/c"));
        assertThat(seen).containsExactly("GET /a", "end");
        assertThat(channel.config().isAutoRead()).as("reading while an answer is pending").isFalse();

        channel.writeAndFlush(ok("A"));
        assertThat(seen).containsExactly("GET /a", "end", "GET /b", "end");
        channel.writeAndFlush(ok("B"));
        channel.writeAndFlush(ok("C"));
        assertThat(seen).containsExactly("GET /a", "end", "GET /b", "end", "GET /c", "end");
        assertThat(channel.config().isAutoRead()).as("reading again once every answer is written").isTrue();
        assertThat(sent()).containsSubsequence("\r\n\r\nA", "\r\n\r\nB", "\r\n\r\nC");
    }

    @Test
    void interimContinue_doesNotEndTheExchange() {
        receive("PUT /a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(seen).containsExactly("PUT /a");
        // The socket read that ends the body may decode the next request too; it waits for this exchange to end.
        receive("xyz" + get("/b"));
        assertThat(seen).containsExactly("PUT /a", "body 3", "end");
        channel.writeAndFlush(ok("done"));
        assertThat(seen).containsExactly("PUT /a", "body 3", "end", "GET /b", "end");
    }

    @Test
    void answerBeforeTheBodyEnds_nextRequestWaitsForTheBodyToEnd() {
        receive("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
        channel.writeAndFlush(ok("early"));
        assertThat(channel.config().isAutoRead()).as("still reading the rest of the body").isTrue();
        receive("cd" + get("/b"));
        assertThat(seen).containsExactly("PUT /a", "body 2", "body 2", "end", "GET /b", "end");
    }

    @Test
    void streamedResponse_endsOnlyWithItsLastContent() {
        receive(get("/a") + get("/b"));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setContentLength(head, 4);
        channel.writeAndFlush(head);
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("ab", StandardCharsets.US_ASCII)));
        assertThat(seen).containsExactly("GET /a", "end");
        channel.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("cd", StandardCharsets.US_ASCII)));
        assertThat(seen).containsExactly("GET /a", "end", "GET /b", "end");
    }

    @Test
    void closingAnswer_laterRequestsDroppedUnread() {
        receive(get("/a") + get("/b") + get("/c"));
        FullHttpResponse closing = ok("A");
        closing.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(closing);
        receive(get("/d"));
        assertThat(seen).containsExactly("GET /a", "end");
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    @Test
    void closingAnswerBeforeTheBodyEnds_restOfTheBodyStillPassed() {
        receive("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
        FullHttpResponse closing = ok("no");
        closing.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(closing);
        receive("cd" + get("/b"));
        assertThat(seen).containsExactly("PUT /a", "body 2", "body 2", "end");
    }

    @Test
    void tooManyPipelined_heldOnesAnsweredLastOneClosesExtraDropped() {
        int sent = ExchangeGate.MAX_HELD_REQUESTS + 5;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            all.append(get("/" + i));
        }
        receive(all.toString());
        List<HttpResponse> answers = new ArrayList<>();
        // One in flight and MAX_HELD_REQUESTS held are answered; each answer lets the next one through.
        for (int i = 0; i <= ExchangeGate.MAX_HELD_REQUESTS; i++) {
            assertThat(seen).hasSize(2 * (i + 1)).endsWith("GET /" + i, "end");
            FullHttpResponse r = ok("r" + i);
            answers.add(r);
            channel.writeAndFlush(r.retain());
        }
        assertThat(seen).hasSize(2 * (ExchangeGate.MAX_HELD_REQUESTS + 1));
        assertThat(HttpUtil.isKeepAlive(answers.get(answers.size() - 2))).isTrue();
        assertThat(HttpUtil.isKeepAlive(answers.get(answers.size() - 1))).as("the last one says close").isFalse();
        answers.forEach(ReferenceCountUtil::release);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void bodyBackPressure_pausesAndResumesReading_neverAfterTheRequestEnded() {
        receive("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
        gate.pauseBody();
        assertThat(channel.config().isAutoRead()).isFalse();
        gate.resumeBody();
        assertThat(channel.config().isAutoRead()).isTrue();
        gate.pauseBody();
        receive("cd");
        gate.resumeBody();
        assertThat(channel.config().isAutoRead()).as("the answer is pending").isFalse();
        channel.writeAndFlush(ok("ok"));
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void malformedHead_endsItsRequest_readingStopsUntilAnswered() {
        receive("GET /a HTTP/1.1\r\nHost: x\r\nX-Long: " + "y".repeat(20_000) + "\r\n\r\n" + get("/b"));
        assertThat(seen).containsExactly("GET /a (malformed)");
        assertThat(channel.config().isAutoRead()).isFalse();
        FullHttpResponse closing = ok("bad");
        closing.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel.writeAndFlush(closing);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(seen).containsExactly("GET /a (malformed)");
    }
}
