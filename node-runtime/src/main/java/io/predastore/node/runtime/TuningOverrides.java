package io.predastore.node.runtime;

import io.predastore.protocol.config.TuningConfig;
import java.time.Duration;

/**
 * The options of {@code serve} that override keys of the cluster file's {@code [tuning]}: a value given on the
 * command line wins over the file. Immutable.
 *
 * @param maxRequests    {@code --max-requests}, overriding {@code s3_max_requests}; null when not given
 * @param maxConnections {@code --max-connections}, overriding {@code s3_max_connections}; null when not given
 * @param headerTimeout  {@code --header-timeout}, overriding {@code s3_header_timeout_ms}; null when not given
 */
public record TuningOverrides(Integer maxRequests, Integer maxConnections, Duration headerTimeout) {
    /** No option given: the cluster file decides. */
    public static final TuningOverrides NONE = new TuningOverrides(null, null, null);

    /**
     * {@code tuning} with the given options in place of its values.
     *
     * @throws io.predastore.protocol.config.ClusterConfigException if an option is outside the key's range
     */
    public TuningConfig applyTo(TuningConfig tuning) {
        TuningConfig result = tuning;
        if (maxRequests != null) {
            result = result.withS3MaxRequests(maxRequests);
        }
        if (maxConnections != null) {
            result = result.withS3MaxConnections(maxConnections);
        }
        if (headerTimeout != null) {
            result = result.withS3HeaderTimeout(headerTimeout);
        }
        return result;
    }
}
