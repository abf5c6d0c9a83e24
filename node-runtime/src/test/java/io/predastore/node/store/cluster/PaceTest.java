package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket behind repair_bytes_per_second, on a fake ticker: no real waiting. */
class PaceTest {
    /** A ticker whose sleeps advance its own time and are recorded. */
    private static final class FakeTicker implements Pace.Ticker {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void acquire_waitsOnlyBeyondOneSecondsWorth_andKeepsTheAverageRate() throws Exception {
        FakeTicker ticker = new FakeTicker();
        Pace pace = new Pace(1000, ticker);
        pace.acquire(1000); // the bucket starts full: one second's worth at once
        assertThat(ticker.sleeps).isEmpty();
        pace.acquire(500); // half a second's worth more: waits half a second
        assertThat(ticker.sleeps).containsExactly(500_000_000L);
        ticker.now += 10_000_000_000L; // idle for 10 s: the bucket refills to one second's worth, no more
        pace.acquire(1000);
        pace.acquire(1000);
        assertThat(ticker.sleeps).containsExactly(500_000_000L, 1_000_000_000L);
    }

    @Test
    void unlimited_neverWaits_andAPacedStreamTakesWhatItReads() throws Exception {
        FakeTicker ticker = new FakeTicker();
        Pace none = new Pace(0, ticker);
        none.acquire(1L << 40);
        assertThat(ticker.sleeps).isEmpty();

        Pace pace = new Pace(100, ticker);
        try (InputStream in = pace.paced(new ByteArrayInputStream(new byte[300]))) {
            assertThat(in.readAllBytes()).hasSize(300);
        }
        long slept = ticker.sleeps.stream().mapToLong(Long::longValue).sum();
        assertThat(slept).isEqualTo(2_000_000_000L); // 300 bytes at 100/s with 100 in the bucket
    }
}
