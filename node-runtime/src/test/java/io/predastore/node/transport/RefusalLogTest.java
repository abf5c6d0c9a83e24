package io.predastore.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("refusal-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong nanos = new AtomicLong();
    private final RefusalLog log = new RefusalLog(logger, nanos::get);

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void oneLinePerPeerAndCausePerPeriod_withTheCountOfTheRest() {
        for (int i = 0; i < 1000; i++) {
            log.refused(3, ShardAccess.Refusal.NOT_WRITER, "PUT_SHARD_BEGIN of shard " + i);
        }
        log.refused(3, ShardAccess.Refusal.NOT_IN_RECORD, "GET_SHARD");
        log.refused(4, ShardAccess.Refusal.NOT_WRITER, "PUT_SHARD_BEGIN");
        assertThat(lines.list).hasSize(3);
        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("refused a shard request from node 3: not the writer of this shard (PUT_SHARD_BEGIN of "
                        + "shard 0)");

        nanos.addAndGet(RefusalLog.PERIOD_NANOS);
        assertThat(log.refused(3, ShardAccess.Refusal.NOT_WRITER, "again\nforged line")).isTrue();
        assertThat(lines.list).hasSize(4);
        String last = lines.list.get(3).getFormattedMessage();
        assertThat(last).contains("999 more refused for this cause").doesNotContain("\n");
        assertThat(lines.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }
}
