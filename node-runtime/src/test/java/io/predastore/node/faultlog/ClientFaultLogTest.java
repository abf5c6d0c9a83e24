package io.predastore.node.faultlog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClientFaultLogTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void setUp() {
        logger = new LoggerContext().getLogger("client-faults");
        lines.start();
        logger.addAppender(lines);
    }

    @Test
    void warn_overBudget_writesAtMostBurstThenRatePerSecond() {
        ClientFaultLog log = new ClientFaultLog(logger, 5, 20, now::get);
        for (int i = 0; i < 10_000; i++) {
            log.warn("malformed request", "/127.0.0.1:1", "bad " + i);
        }
        assertThat(lines.list).hasSize(20);
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        for (int i = 0; i < 10_000; i++) {
            log.warn("malformed request", "/127.0.0.1:1", "bad " + i);
        }
        // 10 s at 5 lines/s refills 50 tokens, capped at the burst of 20.
        assertThat(lines.list).hasSize(40);
        assertThat(lines.list.get(20).getFormattedMessage()).endsWith("(9980 similar lines suppressed)");
    }

    @Test
    void warn_clientChosenText_isCutAndCannotForgeLines() {
        ClientFaultLog log = new ClientFaultLog(logger, 5, 20, now::get);
        log.warn("bad header", null, "x\r\n12:00:00 INFO forged line" + "y".repeat(10_000));
        String line = lines.list.get(0).getFormattedMessage();
        assertThat(line).doesNotContain("\r").doesNotContain("\n").startsWith("bad header from unknown client: x??");
        assertThat(line.length()).isLessThan(ClientFaultLog.MAX_MESSAGE_CHARS + 60);
        assertThat(lines.list.get(0).getThrowableProxy()).isNull();
    }

    @Test
    void warn_exception_innermostCauseInOneLine_noStackTrace() {
        ClientFaultLog log = new ClientFaultLog(logger, 5, 20, now::get);
        log.warn("s3: TLS handshake failed", "/127.0.0.1:1", new io.netty.handler.codec.DecoderException(
                new javax.net.ssl.SSLException("not a TLS record")));
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getFormattedMessage())
                .isEqualTo("s3: TLS handshake failed from /127.0.0.1:1: SSLException: not a TLS record");
        assertThat(line.getThrowableProxy()).isNull();
    }
}
