package io.predastore.protocol.config;

import java.nio.file.Path;

/**
 * A cluster file, or a configuration built in code, that cannot be used. The message names the file (when there
 * is one), the line (when known), the key, the bad value and what is wrong with it, e.g.
 * {@code cluster file /etc/predastore/cluster.toml, line 14: node[1].s3_port = 70000: must be a port between 1
 * and 65535}.
 */
public final class ClusterConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;
    private final String value;
    private final String reason;

    private ClusterConfigException(Path file, int line, String key, String value, String reason, Throwable cause) {
        super(reason, cause);
        this.file = file;
        this.line = line;
        this.key = key;
        this.value = value;
        this.reason = reason;
    }

    /** A bad value: {@code key = value: reason}. {@code value} is already formatted as it appears in TOML. */
    public static ClusterConfigException invalid(String key, String value, String reason) {
        return new ClusterConfigException(null, 0, key, value, reason, null);
    }

    /** A problem with a key as a whole (missing, unknown): {@code key: reason}. */
    public static ClusterConfigException key(String key, String reason) {
        return new ClusterConfigException(null, 0, key, null, reason, null);
    }

    /** A problem not tied to one key. */
    public static ClusterConfigException general(String reason) {
        return new ClusterConfigException(null, 0, null, null, reason, null);
    }

    ClusterConfigException withCause(Throwable cause) {
        return new ClusterConfigException(file, line, key, value, reason, cause);
    }

    /** The same problem with {@code prefix.} in front of the key, for checks made inside a table. */
    public ClusterConfigException underKey(String prefix) {
        String full = key == null ? prefix : prefix + "." + key;
        return new ClusterConfigException(file, line, full, value, reason, getCause());
    }

    /** The same problem located in a file; {@code line} is 1-based, or 0 when unknown. */
    public ClusterConfigException inFile(Path file, int line) {
        return new ClusterConfigException(file, line, key, value, reason, getCause());
    }

    /** The cluster file, or null when the configuration did not come from a file. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The dotted key, e.g. {@code node[0].s3_port} or {@code rs.data}; null when the problem has no single key. */
    public String key() {
        return key;
    }

    /** The bad value as written in TOML, or null. */
    public String value() {
        return value;
    }

    /** What is wrong, without file, line or key. */
    public String reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append("cluster file ").append(file);
            if (line > 0) {
                sb.append(", line ").append(line);
            }
            sb.append(": ");
        }
        if (key != null) {
            sb.append(key);
            if (value != null) {
                sb.append(" = ").append(value);
            }
            sb.append(": ");
        }
        return sb.append(reason).toString();
    }
}
