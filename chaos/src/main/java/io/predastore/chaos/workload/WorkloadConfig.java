package io.predastore.chaos.workload;

import io.predastore.chaos.history.OpType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a workload runs: against which nodes, with which credential, how many workers, on which keys, with which mix
 * of operations and which client timeouts. Immutable.
 *
 * @param nodes          the nodes at the start; every operation goes to one of them chosen at random (a run whose
 *                       members change gives the workload the new ones, {@link Workload#useNodes})
 * @param accessKey      the S3 access key
 * @param secretKey      the S3 secret key
 * @param bucket         the bucket the workload creates (if absent) and writes in
 * @param prefix         the per-run key prefix, ending in {@code /}; keys are {@code <prefix>k00} ...
 * @param keys           how many keys the run uses (few, so that operations contend)
 * @param workers        how many concurrent workers
 * @param seed           the run seed every worker's random is derived from
 * @param weights        the relative weight of each operation type (absent or 0: never chosen)
 * @param minSize        the smallest PUT/CREATE/REPLACE body, in bytes (raised to what the body header needs)
 * @param maxSize        the largest PUT/CREATE/REPLACE body, in bytes
 * @param connectTimeout the TCP connect timeout
 * @param callTimeout    the whole-call timeout of one SDK request (the SDK makes exactly one attempt)
 */
public record WorkloadConfig(List<NodeEndpoint> nodes, String accessKey, String secretKey, String bucket,
        String prefix, int keys, int workers, long seed, Map<OpType, Integer> weights, int minSize, int maxSize,
        Duration connectTimeout, Duration callTimeout) {

    /** The default mix: mostly single-part writes and reads, some conditional writes, few lists and multiparts. */
    public static final Map<OpType, Integer> DEFAULT_WEIGHTS = Map.of(OpType.PUT, 20, OpType.GET, 20,
            OpType.HEAD, 10, OpType.DELETE, 8, OpType.CREATE, 8, OpType.REPLACE, 8, OpType.LIST, 4,
            OpType.MULTIPART, 1);

    public WorkloadConfig {
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a workload needs at least one node endpoint");
        }
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("the key prefix must end in '/', not be '" + prefix + "'");
        }
        if (keys < 1 || keys > 1000) {
            throw new IllegalArgumentException("keys must be between 1 and 1000, not " + keys);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (minSize < 1 || maxSize < minSize) {
            throw new IllegalArgumentException("body sizes must satisfy 1 <= minSize <= maxSize, not " + minSize
                    + ".." + maxSize);
        }
        EnumMap<OpType, Integer> w = new EnumMap<>(OpType.class);
        weights.forEach((type, weight) -> {
            if (weight < 0) {
                throw new IllegalArgumentException("the weight of " + type + " is negative: " + weight);
            }
            w.put(type, weight);
        });
        if (w.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("at least one operation type needs a positive weight");
        }
        weights = Map.copyOf(w);
    }

    /**
     * A run of {@code workers} workers on 30 keys under {@code chaos-<seed>/} in bucket {@code chaos}, with the
     * default mix, bodies of 100 B to 200 KiB, a 3 s connect timeout and a 10 s call timeout.
     */
    public static WorkloadConfig defaults(List<NodeEndpoint> nodes, String accessKey, String secretKey, int workers,
            long seed) {
        return new WorkloadConfig(nodes, accessKey, secretKey, "chaos", "chaos-" + Long.toHexString(seed) + "/", 30,
                workers, seed, DEFAULT_WEIGHTS, 100, 200 * 1024, Duration.ofSeconds(3), Duration.ofSeconds(10));
    }

    /** This configuration with another operation mix. */
    public WorkloadConfig withWeights(Map<OpType, Integer> newWeights) {
        return new WorkloadConfig(nodes, accessKey, secretKey, bucket, prefix, keys, workers, seed, newWeights,
                minSize, maxSize, connectTimeout, callTimeout);
    }

    /** The full object key of key number {@code i}, e.g. {@code chaos-1f/k07}. */
    public String key(int i) {
        return prefix + String.format("k%02d", i);
    }

    /** Every key of the run, in order. */
    public List<String> allKeys() {
        return java.util.stream.IntStream.range(0, keys).mapToObj(this::key).toList();
    }
}
