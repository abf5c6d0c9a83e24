package io.predastore.node.runtime;

import io.predastore.node.http.ConnectionLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to run a single node.
 *
 * @param accessKey the access key, or null to use (or create) the pair stored in the data directory
 * @param tlsCert PEM certificate chain for HTTPS, or null for plain HTTP
 * @param connectionLimits connections the S3 endpoint keeps open at once and its request-head deadline
 * @param reserveBytes free bytes to keep on the data directory's file system (new data is refused below them), or
 *     null for the default (see {@link io.predastore.node.disk.DiskReserve#defaultReserve})
 */
public record NodeOptions(
        Path dataDir,
        String bindAddress,
        int s3Port,
        String accessKey,
        String secretKey,
        String region,
        List<String> domains,
        Path tlsCert,
        Path tlsKey,
        int maxRequests,
        ConnectionLimits connectionLimits,
        Long reserveBytes) {
    public NodeOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(connectionLimits, "connectionLimits");
        domains = List.copyOf(domains);
        if (s3Port < 0 || s3Port > 65535) {
            throw new IllegalArgumentException("--s3-port must be 0..65535, got " + s3Port);
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("--max-requests must be at least 1, got " + maxRequests);
        }
        if (reserveBytes != null && reserveBytes < 0) {
            throw new IllegalArgumentException("--reserve must not be negative, got " + reserveBytes);
        }
    }

    /** Options with the default connection limits and free-space reserve. */
    public NodeOptions(Path dataDir, String bindAddress, int s3Port, String accessKey, String secretKey, String region,
            List<String> domains, Path tlsCert, Path tlsKey, int maxRequests) {
        this(dataDir, bindAddress, s3Port, accessKey, secretKey, region, domains, tlsCert, tlsKey, maxRequests,
                ConnectionLimits.DEFAULTS, null);
    }
}
