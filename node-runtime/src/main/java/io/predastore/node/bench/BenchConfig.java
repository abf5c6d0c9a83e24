package io.predastore.node.bench;

import java.nio.file.Path;
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
 * @param tls HTTPS instead of HTTP
 * @param caCertificate with {@code tls}: PEM certificate(s) to trust instead of the JDK's trust store, or null
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
        Duration timeout,
        boolean tls,
        Path caCertificate) {
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
        if (caCertificate != null && !tls) {
            throw new IllegalArgumentException("a CA certificate is for an https endpoint only");
        }
    }

    /** A run over plain HTTP. */
    public BenchConfig(String host, int port, String accessKey, String secretKey, String region, String bucket,
            Operation op, long size, int concurrency, Duration duration, Duration warmup, int objects, String prefix,
            boolean cleanup, Duration timeout) {
        this(host, port, accessKey, secretKey, region, bucket, op, size, concurrency, duration, warmup, objects,
                prefix, cleanup, timeout, false, null);
    }

    /** The Host header value. */
    String hostHeader() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
