package io.predastore.node.bench;

/**
 * A log-linear histogram of non-negative values (microseconds here) with a relative error under 1/64 (~1.6%):
 * values below 128 are exact, above that every power of two is split into 64 equal buckets. Not thread-safe;
 * each worker records into its own and the results are {@linkplain #merge merged}.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB + SUB;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max;
    private double sum;

    static int index(long value) {
        if (value < 2 * SUB) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - SUB_BITS;
        return (shift + 1) * SUB + (int) ((value >>> shift) - SUB);
    }

    /** The smallest value that falls into bucket {@code index}. */
    static long lowest(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = index / SUB - 1;
        return ((long) (index % SUB) + SUB) << shift;
    }

    /** A representative value of bucket {@code index}: the middle of its range. */
    static long representative(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = index / SUB - 1;
        return lowest(index) + ((1L << shift) >>> 1);
    }

    public void record(long value) {
        long v = Math.max(0, value);
        counts[index(v)]++;
        count++;
        sum += v;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
    }

    public void merge(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    public long max() {
        return count == 0 ? 0 : max;
    }

    public long min() {
        return count == 0 ? 0 : min;
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The value at percentile {@code p} (0..100): the smallest recorded value such that at least p% of the values
     * are less than or equal to it, to within the bucket precision, clamped to the exact min and max.
     */
    public long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be 0..100, got " + p);
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, Math.max(min, representative(i)));
            }
        }
        return max;
    }
}
