package io.predastore.node.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * One benchmark run.
 *
 * @param host endpoint host
 * @param port endpoint port
 * @param prefix key prefix of this run; objects are {@code <prefix>/pool/<n>} and {@code <prefix>/w<worker>/<n>}
 * @param objects size of the prepared pool for get, mixed and list
 * @param cleanup delete the objects this run wrote when it ends
 */
public record BenchConfig(
        String host,
        int port,
        String accessKey,
        String secretKey,
        String region,
        String bucket,
        Operation op,
        long size,
        int concurrency,
        Duration duration,
        Duration warmup,
        int objects,
        String prefix,
        boolean cleanup,
        Duration timeout) {
    public BenchConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The Host header value. */
    String hostHeader() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
