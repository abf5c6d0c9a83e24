package io.predastore.chaos.check;

/**
 * The configurations a search has reached, each remembered by a 128-bit hash: 16 bytes an entry instead of a copy
 * of the set of steps taken, so a search that spends its whole budget stays within tens of megabytes. Two
 * configurations sharing a hash could only make the search skip an order it should have tried; at two million
 * entries the odds of any such pair are below 1 in 10^25. Not thread-safe.
 */
final class SeenSet {
    private long[] high = new long[1 << 10];
    private long[] low = new long[1 << 10];
    private boolean[] used = new boolean[1 << 10];
    private int size;

    /** Adds the hash; false if it was there already. */
    boolean add(long h, long l) {
        if (2 * (size + 1) > used.length) {
            grow();
        }
        int mask = used.length - 1;
        for (int i = (int) (l ^ l >>> 32) & mask; ; i = i + 1 & mask) {
            if (!used[i]) {
                used[i] = true;
                high[i] = h;
                low[i] = l;
                size++;
                return true;
            }
            if (high[i] == h && low[i] == l) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        boolean[] oldUsed = used;
        high = new long[oldUsed.length * 2];
        low = new long[oldUsed.length * 2];
        used = new boolean[oldUsed.length * 2];
        size = 0;
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                add(oldHigh[i], oldLow[i]);
            }
        }
    }
}
