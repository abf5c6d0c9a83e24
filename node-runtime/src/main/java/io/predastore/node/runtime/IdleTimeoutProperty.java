package io.predastore.node.runtime;

import io.predastore.protocol.config.ClusterConfigException;
import io.predastore.protocol.config.TuningConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM property {@code predastore.s3.idleTimeoutSeconds}, which sets the S3 idle timeout in whole seconds. A
 * cluster node has {@code s3_idle_timeout_ms} in the cluster file's {@code [tuning]} for it, and the property, still
 * obeyed there for this release, is deprecated. A single node without a cluster file has no {@code [tuning]}, so
 * for it the property remains the way to change the timeout. Stateless; thread-safe.
 */
final class IdleTimeoutProperty {
    /** The property's name. */
    static final String NAME = "predastore.s3.idleTimeoutSeconds";

    private static final Logger LOG = LoggerFactory.getLogger(IdleTimeoutProperty.class);

    private IdleTimeoutProperty() {
    }

    /** {@code tuning} with the property's value, as this JVM has it, in place of {@code s3_idle_timeout_ms}. */
    static TuningConfig applyTo(TuningConfig tuning, boolean clusterNode) {
        return applyTo(tuning, System.getProperty(NAME), clusterNode);
    }

    /**
     * {@code tuning} with {@code value} in place of {@code s3_idle_timeout_ms}. A value that is not a whole number of
     * seconds in the key's range is ignored with a warning, as the property always ignored values it could not use.
     *
     * @param value       the property's value, or null when it is not set (then {@code tuning} is returned)
     * @param clusterNode whether the node has a cluster file, whose key should be used instead
     */
    static TuningConfig applyTo(TuningConfig tuning, String value, boolean clusterNode) {
        if (value == null) {
            return tuning;
        }
        if (clusterNode) {
            LOG.warn("the JVM property {} is deprecated and will be removed; set s3_idle_timeout_ms in the [tuning] "
                    + "table of the cluster file instead", NAME);
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return tuning.withS3IdleTimeout(Duration.ofSeconds(seconds));
        } catch (NumberFormatException | ArithmeticException | ClusterConfigException e) {
            LOG.warn("ignoring the JVM property {}={}: it must be a whole number of seconds from 1 to 86400; the S3 "
                    + "idle timeout stays {} ms", NAME, value, tuning.s3IdleTimeout().toMillis());
            return tuning;
        }
    }
}
