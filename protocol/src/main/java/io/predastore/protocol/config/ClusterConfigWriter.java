package io.predastore.protocol.config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a {@link ClusterConfig} as a cluster file that {@link ClusterConfigLoader} reads back to an equal
 * configuration. Paths under the file's directory are written relative to it, so a cluster directory can be moved.
 */
public final class ClusterConfigWriter {
    private ClusterConfigWriter() {
    }

    /** Writes (or replaces) {@code file}. */
    public static void write(ClusterConfig config, Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Files.writeString(absolute, toToml(config, absolute.getParent()), StandardCharsets.UTF_8);
    }

    /** The cluster file's text, with paths relative to {@code directory} where they lie under it. */
    public static String toToml(ClusterConfig config, Path directory) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Predastore cluster file: identical on every node. Relative paths are resolved against the\n")
                .append("# directory of this file. See docs/cluster.md for every key.\n");
        line(sb, "cluster", quote(config.cluster()));
        line(sb, "region", quote(config.region()));
        line(sb, "transport", quote(config.transport().tomlName()));
        sb.append("\n[rs]\n");
        line(sb, "data", Integer.toString(config.rs().data()));
        line(sb, "parity", Integer.toString(config.rs().parity()));
        if (config.rs().allowsDegradedWrites()) {
            line(sb, "write_quorum", Integer.toString(config.rs().writeQuorum()));
        }
        CredentialsConfig credentials = config.credentials();
        sb.append("\n[credentials]\n");
        line(sb, "access_key", quote(credentials.accessKey()));
        line(sb, "secret_key", quote(credentials.secretKey()));
        line(sb, "admin_access_key", quote(credentials.adminAccessKey()));
        line(sb, "admin_secret_key", quote(credentials.adminSecretKey()));
        sb.append("\n[tls]\n");
        line(sb, "ca_cert", path(config.tls().caCert(), directory));
        if (!config.raft().equals(RaftConfig.DEFAULTS)) {
            sb.append("\n[raft]\n");
            line(sb, "snapshot_every", Long.toString(config.raft().snapshotEvery()));
            line(sb, "log_segment_bytes", Long.toString(config.raft().logSegmentBytes()));
        }
        if (config.storage().reserveBytes() != null) {
            sb.append("\n[storage]\n");
            line(sb, "reserve_bytes", Long.toString(config.storage().reserveBytes()));
        }
        // Only what differs from the defaults, so a file keeps following them where it did not choose.
        Map<String, Long> defaults = TuningConfig.DEFAULTS.toToml();
        StringBuilder tuning = new StringBuilder();
        config.tuning().toToml().forEach((key, value) -> {
            if (!value.equals(defaults.get(key))) {
                line(tuning, key, Long.toString(value));
            }
        });
        if (!tuning.isEmpty()) {
            sb.append("\n[tuning]\n").append(tuning);
        }
        for (NodeConfig node : config.nodes()) {
            sb.append("\n[[node]]\n");
            line(sb, "id", Integer.toString(node.id()));
            line(sb, "host", quote(node.host()));
            line(sb, "s3_port", Integer.toString(node.s3Port()));
            line(sb, "raft_port", Integer.toString(node.raftPort()));
            line(sb, "shard_port", Integer.toString(node.shardPort()));
            line(sb, "admin_port", Integer.toString(node.adminPort()));
            line(sb, "data_dir", path(node.dataDir(), directory));
            line(sb, "tls_cert", path(node.tlsCert(), directory));
            line(sb, "tls_key", path(node.tlsKey(), directory));
            if (node.s3Tls()) {
                line(sb, "s3_tls_cert", path(node.s3TlsCert(), directory));
                line(sb, "s3_tls_key", path(node.s3TlsKey(), directory));
            }
            line(sb, "admin_tls", Boolean.toString(node.adminTls()));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append(" = ").append(value).append('\n');
    }

    private static String path(Path path, Path directory) {
        Path written = path;
        if (directory != null && path.isAbsolute()) {
            Path dir = directory.toAbsolutePath().normalize();
            Path normalized = path.normalize();
            if (normalized.startsWith(dir) && !normalized.equals(dir)) {
                written = dir.relativize(normalized);
            }
        }
        String text = written.toString();
        if (!written.isAbsolute()) {
            text = text.replace(File.separatorChar, '/');
        }
        return quote(text);
    }

    /** {@code text} as a TOML basic string, with quotes. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
