package io.predastore.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.service.TransferAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UploadItemTest {
    private static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StepClock clock = new StepClock();
    private final UploadItem item = new UploadItem("a.bin", "docs/a.bin", 4L << 20, clock);

    @Test
    void progress_showsBytesAndSpeed() {
        item.started();
        TransferAccess.advance(item.transfer(), 2L << 20);
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        item.refresh();
        assertThat(item.progressProperty().get()).isEqualTo(0.5);
        assertThat(item.statusProperty().get()).isEqualTo("2.0 MiB of 4.0 MiB, 1.0 MiB/s");
        item.succeeded();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.DONE);
        assertThat(item.progressProperty().get()).isEqualTo(1.0);
    }

    @Test
    void cancel_whileUploading_goesThroughCancellingToCancelled() {
        item.started();
        assertThat(item.cancellableProperty().get()).isTrue();
        assertThat(item.cancel()).isTrue();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.CANCELLING);
        assertThat(item.transfer().cancelRequested()).isTrue();
        assertThat(item.cancellableProperty().get()).isFalse();
        assertThat(item.cancel()).isFalse();
        item.cancelled();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.CANCELLED);
    }

    @Test
    void cancel_whileQueued_neverStarts() {
        assertThat(item.cancel()).isTrue();
        item.started();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.CANCELLING);
        item.cancelled();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.CANCELLED);
    }

    @Test
    void success_afterCancelRequest_countsAsCancelled() {
        item.started();
        item.cancel();
        item.succeeded();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.CANCELLED);
    }

    @Test
    void finalStates_ignoreLateEvents() {
        item.started();
        item.failed("boom");
        item.succeeded();
        item.cancelled();
        assertThat(item.stateProperty().get()).isEqualTo(UploadState.FAILED);
        assertThat(item.statusProperty().get()).isEqualTo("failed: boom");
        assertThat(item.cancel()).isFalse();
    }

    @Test
    void rate_isBytesOverElapsedTime() {
        assertThat(TransferRate.bytesPerSecond(1000, Duration.ofMillis(500))).isEqualTo(2000.0);
        assertThat(TransferRate.bytesPerSecond(1000, Duration.ZERO)).isZero();
        assertThat(TransferRate.describe(0, 10, Duration.ZERO)).isEqualTo("0 B of 10 B, 0 B/s");
    }
}
