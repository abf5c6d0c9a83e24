package io.predastore.node.erasure;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Small least-recently-used cache of prepared decode matrices, keyed by the pattern of present shards.
 *
 * <p>Thread-safe: lookups and inserts synchronise on the map; a matrix is computed outside the lock, so two threads
 * missing on the same pattern may both compute it (harmlessly, the results are equal and immutable).
 */
final class DecodeCache {

    /** Cache key: which shards are present and whether parity shards are rebuilt as well. */
    record Key(BitSet present, boolean dataOnly) {
    }

    private final Map<Key, MatrixCoder> entries;

    DecodeCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, MatrixCoder> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Returns the cached coder for {@code key}, computing and caching it when absent. */
    MatrixCoder get(Key key, Function<Key, MatrixCoder> compute) {
        synchronized (entries) {
            MatrixCoder cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        MatrixCoder computed = compute.apply(key);
        synchronized (entries) {
            entries.put(key, computed);
        }
        return computed;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
