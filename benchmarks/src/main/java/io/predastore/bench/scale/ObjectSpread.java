package io.predastore.bench.scale;

import io.predastore.protocol.ring.Ring;
import java.util.Arrays;

/**
 * How objects fall into partitions. The simulator's figures assume an even spread (the hash is uniform, so at
 * {@code n} objects a partition's count deviates from the mean by about {@code sqrt(n / partitions)}); this class
 * also hashes real keys with {@link Ring#hashObject(String, String)} to show the spread actually obtained.
 * Stateless.
 */
final class ObjectSpread {
    /** The bucket of the sampled keys. */
    static final String BUCKET = "photos";

    private ObjectSpread() {
    }

    /**
     * A 40-byte key, unique per {@code i} below 10<sup>14</sup>, shaped like a dated photo name.
     *
     * @param i the object's number
     * @return the key
     */
    static String key(long i) {
        return String.format("photos/2026/12/07/img-%014d.jpg", i);
    }

    /** Objects per partition when {@code objects} real keys ({@link #key}) are hashed and placed on {@code ring}. */
    static long[] sampled(Ring ring, long objects) {
        long[] counts = new long[ring.config().partitionCount()];
        for (long i = 0; i < objects; i++) {
            counts[ring.partitionOf(Ring.hashObject(BUCKET, key(i)))]++;
        }
        return counts;
    }

    /** {@code objects} spread evenly over {@code partitions}. */
    static double[] even(int partitions, double objects) {
        double[] weight = new double[partitions];
        Arrays.fill(weight, objects / partitions);
        return weight;
    }

    static double[] weights(long[] counts) {
        double[] weight = new double[counts.length];
        for (int p = 0; p < counts.length; p++) {
            weight[p] = counts[p];
        }
        return weight;
    }
}
