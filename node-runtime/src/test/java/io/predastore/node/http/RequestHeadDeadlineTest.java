package io.predastore.node.http;

import io.predastore.protocol.http.ClientFaultLog;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestHeadDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        Logger logger = new LoggerContext().getLogger("faults");
        lines.start();
        logger.addAppender(lines);
        RequestHeadDeadline deadline = new RequestHeadDeadline(TIMEOUT,
                new ClientFaultLog(logger, 5, 20, System::nanoTime), "s3");
        channel = new EmbeddedChannel(deadline.bytes(), new HttpServerCodec(), deadline.messages(),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                });
        channel.freezeTime();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void after(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void headDribbledByteByByte_closedAtTheDeadline() {
        String head = "GET /bucket/key HTTP/1.1\r\nHost: example\r\n";
        int i = 0;
        // One byte a second, each far within any idle timeout.
        for (; i < TIMEOUT.toSeconds() - 1; i++) {
            receive(head.substring(i, i + 1));
            after(1);
        }
        assertThat(channel.isOpen()).isTrue();
        receive(head.substring(i, i + 1));
        after(2);
        assertThat(channel.isOpen()).isFalse();
        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getFormattedMessage()).startsWith("s3: request head not complete within 30000 ms");
            assertThat(line.getThrowableProxy()).isNull();
        });
    }

    @Test
    void headCompletedInTime_neverClosed() {
        receive("GET / HTTP/1.1\r\n");
        after(TIMEOUT.toSeconds() - 1);
        receive("Host: x\r\n\r\n");
        after(10 * TIMEOUT.toSeconds());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void idleBetweenRequests_notConcerned() {
        receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        after(10 * TIMEOUT.toSeconds());
        assertThat(channel.isOpen()).isTrue();
        receive("PUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab");
        // A slow body is the idle timeout's business.
        after(10 * TIMEOUT.toSeconds());
        receive("c");
        after(10 * TIMEOUT.toSeconds());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void secondHeadStalled_timedFromItsFirstByte() {
        receive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        after(100);
        receive("GET /b HT");
        after(TIMEOUT.toSeconds() - 1);
        assertThat(channel.isOpen()).isTrue();
        after(2);
        assertThat(channel.isOpen()).isFalse();
    }
}
