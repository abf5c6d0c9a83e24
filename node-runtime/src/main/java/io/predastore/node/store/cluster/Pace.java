package io.predastore.node.store.cluster;

/**
 * A token bucket that holds background work to a rate (bytes of rebuild reads, or shard stats), shared by the
 * threads doing it. Hand-written because none of the node's dependencies has one short of a whole rate-limiting
 * library, and this needs only {@link #acquire}. The bucket holds up to one second's worth, so a burst after idle
 * time is bounded. Time and sleeping are injected, so tests need not wait. Thread-safe.
 */
final class Pace {
    /** How a pace reads the time and waits. */
    interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    /** The system's monotonic clock and {@link Thread#sleep}. */
    static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    private final long perSecond;
    private final Ticker ticker;
    private double tokens;
    private long last;

    /**
     * @param perSecond units allowed per second; 0 for unlimited
     */
    Pace(long perSecond, Ticker ticker) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("a pace of " + perSecond + " per second; use 0 for unlimited");
        }
        this.perSecond = perSecond;
        this.ticker = ticker;
        this.last = ticker.nanoTime();
        this.tokens = perSecond;
    }

    /** An unlimited pace. */
    static Pace unlimited() {
        return new Pace(0, SYSTEM);
    }

    /** Units allowed per second, 0 for unlimited. */
    long perSecond() {
        return perSecond;
    }

    /**
     * Takes {@code units}, waiting until the bucket holds them (a request above one second's worth waits until the
     * bucket has refilled from its deficit, so the average rate is kept).
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void acquire(long units) throws InterruptedException {
        if (perSecond == 0 || units <= 0) {
            return;
        }
        long waitNanos;
        synchronized (this) {
            long now = ticker.nanoTime();
            tokens = Math.min(perSecond, tokens + (now - last) * (perSecond / 1e9));
            last = now;
            tokens -= units;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
        }
        if (waitNanos > 0) {
            ticker.sleepNanos(waitNanos);
        }
    }

    /** {@code in}, its reads taking their bytes from this pace first. */
    java.io.InputStream paced(java.io.InputStream in) {
        return perSecond == 0 ? in : new PacedStream(in, this);
    }

    /** Reads through a pace: every read takes its bytes from the bucket (after reading, so the count is exact). */
    private static final class PacedStream extends java.io.FilterInputStream {
        private final Pace pace;

        PacedStream(java.io.InputStream in, Pace pace) {
            super(in);
            this.pace = pace;
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            take(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            take(n);
            return n;
        }

        private void take(long n) throws java.io.IOException {
            try {
                pace.acquire(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("stopped while paced");
            }
        }
    }
}
