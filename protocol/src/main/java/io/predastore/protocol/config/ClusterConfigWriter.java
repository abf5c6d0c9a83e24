package io.predastore.protocol.config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link ClusterConfig} as a cluster file that {@link ClusterConfigLoader} reads back to an equal
 * configuration. Paths under the file's directory are written relative to it, so a cluster directory can be moved.
 */
public final class ClusterConfigWriter {
    /** A {@code [[node]]} header line, possibly indented, with spaces inside the brackets. */
    private static final Pattern NODE_HEADER = Pattern.compile("^\\s*\\[\\[\\s*node\\s*]]");
    /** Any table or array-of-tables header: where a {@code [[node]]} table ends. */
    private static final Pattern TABLE_HEADER = Pattern.compile("^\\s*\\[");
    /** The {@code id = N} line of a node table (a comment may follow). */
    private static final Pattern ID_LINE = Pattern.compile("^\\s*id\\s*=\\s*(\\d{1,9})\\s*(#.*)?$");

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
        SshConfig ssh = config.ssh();
        if (!ssh.equals(SshConfig.DEFAULTS)) {
            sb.append("\n[ssh]\n");
            if (ssh.identity() != null) {
                line(sb, "identity", path(ssh.identity(), directory));
            }
            if (ssh.knownHosts() != null) {
                line(sb, "known_hosts", path(ssh.knownHosts(), directory));
            }
            if (ssh.remoteDir() != null) {
                line(sb, "remote_dir", quote(ssh.remoteDir()));
            }
        }
        for (NodeConfig node : config.nodes()) {
            sb.append('\n').append(nodeTable(node, directory));
        }
        return sb.toString();
    }

    /**
     * One {@code [[node]]} table of the cluster file, header included, with paths relative to {@code directory}
     * where they lie under it. {@code cluster add-node} appends it to an existing file, so a file's own comments and
     * order are kept.
     */
    public static String nodeTable(NodeConfig node, Path directory) {
        StringBuilder sb = new StringBuilder("[[node]]\n");
        line(sb, "id", Integer.toString(node.id()));
        if (node.ssh() != null) {
            line(sb, "ssh", quote(node.ssh()));
        }
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
        return sb.toString();
    }

    /**
     * The text of a cluster file with {@code node} appended as a new {@code [[node]]}, everything else as it was
     * (comments, order, keys this writer would not write). {@code file} is where the text is read from, to resolve
     * and relativize paths.
     *
     * @throws ClusterConfigException if the result is not a valid cluster file, or does not read back as the old
     *     nodes plus {@code node} (so a file that cannot be extended safely is never written)
     */
    public static String withNode(String text, NodeConfig node, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        ClusterConfig before = ClusterConfigLoader.parse(text, absolute);
        StringBuilder sb = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            sb.append('\n');
        }
        String result = sb.append('\n').append(nodeTable(node, absolute.getParent())).toString();
        List<NodeConfig> expected = new ArrayList<>(before.nodes());
        expected.add(node);
        requireNodes(ClusterConfigLoader.parse(result, absolute), expected, "adding node " + node.id());
        return result;
    }

    /**
     * The text of a cluster file without the {@code [[node]]} whose id is {@code id}, everything else as it was. The
     * table goes from its header to the next table header or the end of the file.
     *
     * @throws ClusterConfigException if no such table, or more than one, is found, or the result is not a valid
     *     cluster file holding the other nodes unchanged: the file is then to be edited by hand
     */
    public static String withoutNode(String text, int id, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        ClusterConfig before = ClusterConfigLoader.parse(text, absolute);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!NODE_HEADER.matcher(lines.get(i)).find()) {
                continue;
            }
            int next = i + 1;
            boolean match = false;
            while (next < lines.size() && !TABLE_HEADER.matcher(lines.get(next)).find()) {
                Matcher m = ID_LINE.matcher(lines.get(next));
                match |= m.find() && Long.parseLong(m.group(1)) == id;
                next++;
            }
            if (match) {
                if (start >= 0) {
                    throw ClusterConfigException.general("has more than one [[node]] with id = " + id
                            + "; remove the one that is not wanted by hand").inFile(absolute, i + 1);
                }
                start = i;
                end = next;
            }
        }
        if (start < 0) {
            throw ClusterConfigException.general("has no [[node]] table with a line 'id = " + id + "'; remove node "
                    + id + " by hand").inFile(absolute, 0);
        }
        lines.subList(start, end).clear();
        String result = String.join("\n", lines);
        if (text.endsWith("\n") && !result.isEmpty() && !result.endsWith("\n")) {
            result += "\n";
        }
        List<NodeConfig> expected = before.nodes().stream().filter(n -> n.id() != id).toList();
        requireNodes(ClusterConfigLoader.parse(result, absolute), expected, "removing node " + id);
        return result;
    }

    private static void requireNodes(ClusterConfig after, List<NodeConfig> expected, String what) {
        if (!after.nodes().equals(expected)) {
            throw ClusterConfigException.general("does not read back as expected after " + what + " (its nodes "
                    + "would be " + after.nodes().stream().map(n -> Integer.toString(n.id())).toList()
                    + "); change it by hand").inFile(after.file(), 0);
        }
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
