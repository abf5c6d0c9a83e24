package io.predastore.protocol.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cluster file: parses the TOML, resolves relative paths against the file's directory and validates
 * everything. Any problem is reported as one {@link ClusterConfigException} naming the file, the line, the key and
 * the bad value.
 */
public final class ClusterConfigLoader {
    private static final TomlMapper MAPPER = TomlMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ClusterConfigLoader() {
    }

    /** Reads and validates {@code file}. */
    public static ClusterConfig load(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ClusterConfigException.general("not found").inFile(absolute, 0).withCause(e);
        } catch (IOException e) {
            throw ClusterConfigException.general("cannot be read: " + e).inFile(absolute, 0).withCause(e);
        }
        return parse(text, absolute);
    }

    /** Validates cluster-file text as if read from {@code file} (which need not exist). */
    public static ClusterConfig parse(String text, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        List<String> lines = text.lines().toList();
        FileDto dto;
        try {
            dto = MAPPER.readValue(text, FileDto.class);
        } catch (UnrecognizedPropertyException e) {
            String key = path(e);
            TreeSet<String> known = new TreeSet<>();
            if (e.getKnownPropertyIds() != null) {
                e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            }
            throw locate(ClusterConfigException.key(key, "unknown key" + (known.isEmpty() ? ""
                    : " (known keys here: " + String.join(", ", known) + ")")), absolute, lines, e.getLocation())
                    .withCause(e);
        } catch (InvalidFormatException e) {
            throw locate(ClusterConfigException.invalid(path(e), render(e.getValue()),
                    "must be " + describe(e.getTargetType())), absolute, lines, e.getLocation()).withCause(e);
        } catch (MismatchedInputException e) {
            throw locate(ClusterConfigException.key(path(e), "must be " + describe(e.getTargetType())),
                    absolute, lines, e.getLocation()).withCause(e);
        } catch (JsonMappingException e) {
            throw locate(ClusterConfigException.key(path(e), firstLine(e.getOriginalMessage())), absolute, lines,
                    e.getLocation()).withCause(e);
        } catch (JsonProcessingException e) {
            throw locate(ClusterConfigException.general("not valid TOML: " + firstLine(e.getOriginalMessage())),
                    absolute, lines, e.getLocation()).withCause(e);
        }
        if (dto == null) {
            throw ClusterConfigException.general("is empty").inFile(absolute, 0);
        }
        try {
            return dto.toConfig(absolute.getParent()).withFile(absolute);
        } catch (ClusterConfigException e) {
            throw e.inFile(absolute, lineOf(lines, e.key()));
        }
    }

    private static ClusterConfigException locate(ClusterConfigException e, Path file, List<String> lines,
            JsonLocation location) {
        int line = location == null ? 0 : location.getLineNr();
        if (line <= 0) {
            line = lineOf(lines, e.key());
        }
        return e.inFile(file, Math.max(line, 0));
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private static String render(Object value) {
        return value instanceof String s ? ClusterConfigWriter.quote(s) : String.valueOf(value);
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array of tables ([[...]])";
        }
        return "a table";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static final Pattern NODE_KEY = Pattern.compile("^node\\[(\\d+)](?:\\.(\\w+))?$");
    private static final Pattern ARRAY_HEADER = Pattern.compile("^\\s*\\[\\[\\s*([\\w.-]+)\\s*]]");
    private static final Pattern TABLE_HEADER = Pattern.compile("^\\s*\\[\\s*([\\w.-]+)\\s*]");

    /** Best-effort 1-based line of a dotted key such as {@code node[2].s3_port}, {@code rs.data} or {@code rs}. */
    static int lineOf(List<String> lines, String key) {
        if (key == null) {
            return 0;
        }
        String table = "";
        int index = -1;
        String leaf;
        Matcher m = NODE_KEY.matcher(key);
        if (m.matches()) {
            table = "node";
            index = Integer.parseInt(m.group(1));
            leaf = m.group(2);
        } else if (key.contains(".")) {
            table = key.substring(0, key.indexOf('.'));
            leaf = key.substring(key.indexOf('.') + 1);
        } else if (List.of("rs", "credentials", "tls", "raft", "storage", "tuning", "node").contains(key)) {
            table = key;
            leaf = null;
        } else {
            leaf = key;
        }
        Pattern keyLine = leaf == null ? null
                : Pattern.compile("^\\s*(\"" + Pattern.quote(leaf) + "\"|" + Pattern.quote(leaf) + ")\\s*=");
        String current = "";
        int arrayIndex = -1;
        int header = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher array = ARRAY_HEADER.matcher(line);
            Matcher tableHeader = TABLE_HEADER.matcher(line);
            if (array.find()) {
                current = array.group(1);
                arrayIndex = current.equals(table) ? arrayIndex + 1 : arrayIndex;
            } else if (tableHeader.find()) {
                current = tableHeader.group(1);
            } else {
                if (current.equals(table) && (index < 0 || arrayIndex == index) && keyLine != null
                        && keyLine.matcher(line).find()) {
                    return i + 1;
                }
                continue;
            }
            if (current.equals(table) && (index < 0 || arrayIndex == index)) {
                header = i + 1;
                if (keyLine == null) {
                    return header;
                }
            }
        }
        return header;
    }

    // ---- the file as Jackson sees it; all fields optional here so missing keys get our own message ----

    static final class FileDto {
        @JsonProperty("cluster") String cluster;
        @JsonProperty("region") String region;
        @JsonProperty("transport") String transport;
        @JsonProperty("rs") RsDto rs;
        @JsonProperty("credentials") CredentialsDto credentials;
        @JsonProperty("tls") TlsDto tls;
        @JsonProperty("raft") RaftDto raft;
        @JsonProperty("storage") StorageDto storage;
        // Keys are checked by TuningConfig, which refuses unknown ones with the same message as Jackson here.
        @JsonProperty("tuning") Map<String, Long> tuning;
        @JsonProperty("node") List<NodeDto> node;
        @JsonProperty("ssh") SshDto ssh;

        ClusterConfig toConfig(Path dir) {
            ConfigChecks.present("cluster", cluster);
            ConfigChecks.present("region", region);
            ConfigChecks.present("transport", transport);
            ConfigChecks.present("rs", rs);
            ConfigChecks.present("credentials", credentials);
            ConfigChecks.present("tls", tls);
            if (node == null || node.isEmpty()) {
                throw ClusterConfigException.key("node", "missing required key: the cluster file needs at least "
                        + "one [[node]] table");
            }
            List<NodeConfig> nodes = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                try {
                    NodeDto n = node.get(i);
                    if (n == null) {
                        throw ClusterConfigException.general("empty [[node]] table");
                    }
                    nodes.add(n.toConfig(dir));
                } catch (ClusterConfigException e) {
                    throw e.underKey("node[" + i + "]");
                }
            }
            return new ClusterConfig(cluster, region, TransportKind.fromToml(transport), rs.toConfig(),
                    credentials.toConfig(), tls.toConfig(dir), raft == null ? RaftConfig.DEFAULTS : raft.toConfig(),
                    storage == null ? StorageConfig.DEFAULTS : storage.toConfig(),
                    tuning == null ? TuningConfig.DEFAULTS : TuningConfig.fromToml(tuning), nodes,
                    ssh == null ? SshConfig.DEFAULTS : ssh.toConfig(dir), null);
        }
    }

    static final class SshDto {
        @JsonProperty("identity") String identity;
        @JsonProperty("known_hosts") String knownHosts;
        @JsonProperty("remote_dir") String remoteDir;

        SshConfig toConfig(Path dir) {
            return new SshConfig(optional(dir, "ssh.identity", identity),
                    optional(dir, "ssh.known_hosts", knownHosts), remoteDir);
        }
    }

    static final class StorageDto {
        @JsonProperty("reserve_bytes") Long reserveBytes;

        StorageConfig toConfig() {
            return new StorageConfig(reserveBytes);
        }
    }

    static final class RaftDto {
        @JsonProperty("snapshot_every") Long snapshotEvery;
        @JsonProperty("log_segment_bytes") Long logSegmentBytes;

        RaftConfig toConfig() {
            return new RaftConfig(snapshotEvery == null ? RaftConfig.DEFAULTS.snapshotEvery() : snapshotEvery,
                    logSegmentBytes == null ? RaftConfig.DEFAULTS.logSegmentBytes() : logSegmentBytes);
        }
    }

    static final class RsDto {
        @JsonProperty("data") Integer data;
        @JsonProperty("parity") Integer parity;
        @JsonProperty("write_quorum") Integer writeQuorum;

        ErasureConfig toConfig() {
            ConfigChecks.present("rs.data", data);
            ConfigChecks.present("rs.parity", parity);
            return writeQuorum == null ? new ErasureConfig(data, parity) : new ErasureConfig(data, parity, writeQuorum);
        }
    }

    static final class CredentialsDto {
        @JsonProperty("access_key") String accessKey;
        @JsonProperty("secret_key") String secretKey;
        @JsonProperty("admin_access_key") String adminAccessKey;
        @JsonProperty("admin_secret_key") String adminSecretKey;

        CredentialsConfig toConfig() {
            return new CredentialsConfig(accessKey, secretKey, adminAccessKey, adminSecretKey);
        }
    }

    static final class TlsDto {
        @JsonProperty("ca_cert") String caCert;

        TlsConfig toConfig(Path dir) {
            return new TlsConfig(resolve(dir, "tls.ca_cert", caCert));
        }
    }

    static final class NodeDto {
        @JsonProperty("id") Integer id;
        @JsonProperty("host") String host;
        @JsonProperty("s3_port") Integer s3Port;
        @JsonProperty("raft_port") Integer raftPort;
        @JsonProperty("shard_port") Integer shardPort;
        @JsonProperty("admin_port") Integer adminPort;
        @JsonProperty("data_dir") String dataDir;
        @JsonProperty("tls_cert") String tlsCert;
        @JsonProperty("tls_key") String tlsKey;
        @JsonProperty("s3_tls_cert") String s3TlsCert;
        @JsonProperty("s3_tls_key") String s3TlsKey;
        @JsonProperty("admin_tls") Boolean adminTls;
        @JsonProperty("ssh") String ssh;

        NodeConfig toConfig(Path dir) {
            ConfigChecks.present("id", id);
            ConfigChecks.present("host", host);
            ConfigChecks.present("s3_port", s3Port);
            ConfigChecks.present("raft_port", raftPort);
            ConfigChecks.present("shard_port", shardPort);
            ConfigChecks.present("admin_port", adminPort);
            // The S3 certificate and the admin switch are optional: absent, the port serves plain HTTP (a file
            // written before they existed keeps working; cluster init always writes them).
            return new NodeConfig(id, host, s3Port, raftPort, shardPort, adminPort,
                    resolve(dir, "data_dir", dataDir), resolve(dir, "tls_cert", tlsCert),
                    resolve(dir, "tls_key", tlsKey), optional(dir, "s3_tls_cert", s3TlsCert),
                    optional(dir, "s3_tls_key", s3TlsKey), adminTls != null && adminTls, ssh);
        }
    }

    private static Path optional(Path dir, String key, String value) {
        return value == null ? null : resolve(dir, key, value);
    }

    private static Path resolve(Path dir, String key, String value) {
        ConfigChecks.notBlank(key, value);
        try {
            return dir.resolve(value).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw ClusterConfigException.invalid(key, ClusterConfigWriter.quote(value), "is not a valid path");
        }
    }
}
