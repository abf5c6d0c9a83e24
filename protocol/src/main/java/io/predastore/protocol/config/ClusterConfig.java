package io.predastore.protocol.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole cluster file. The constructor checks everything that spans nodes: unique ids, no {@code host:port}
 * used twice (across all of every node's ports) and enough nodes for {@code rs.data + rs.parity}.
 *
 * @param cluster     the cluster's name
 * @param region      the S3 region clients sign for
 * @param transport   how nodes talk to each other
 * @param rs          erasure layout
 * @param credentials S3 and admin keys
 * @param tls         cluster CA
 * @param raft        metadata Raft log sizing ({@link RaftConfig#DEFAULTS} when the file has no {@code [raft]})
 * @param storage     the free-space reserve of every node ({@link StorageConfig#DEFAULTS} when the file has no
 *                    {@code [storage]})
 * @param tuning      intervals, timeouts and caps of every node ({@link TuningConfig#DEFAULTS} when the file has no
 *                    {@code [tuning]})
 * @param nodes       every node, in file order
 * @param ssh         how the {@code cluster} commands reach nodes on other machines ({@link SshConfig#DEFAULTS}
 *                    when the file has no {@code [ssh]})
 * @param file        the file this was read from (absolute), or null for a configuration built in code
 */
public record ClusterConfig(String cluster, String region, TransportKind transport, ErasureConfig rs,
        CredentialsConfig credentials, TlsConfig tls, RaftConfig raft, StorageConfig storage, TuningConfig tuning,
        List<NodeConfig> nodes, SshConfig ssh, Path file) {

    /** A configuration with the default SSH settings. */
    public ClusterConfig(String cluster, String region, TransportKind transport, ErasureConfig rs,
            CredentialsConfig credentials, TlsConfig tls, RaftConfig raft, StorageConfig storage, TuningConfig tuning,
            List<NodeConfig> nodes, Path file) {
        this(cluster, region, transport, rs, credentials, tls, raft, storage, tuning, nodes, SshConfig.DEFAULTS,
                file);
    }

    /** A configuration with the default Raft log sizing and free-space reserve. */
    public ClusterConfig(String cluster, String region, TransportKind transport, ErasureConfig rs,
            CredentialsConfig credentials, TlsConfig tls, List<NodeConfig> nodes, Path file) {
        this(cluster, region, transport, rs, credentials, tls, RaftConfig.DEFAULTS, StorageConfig.DEFAULTS, nodes,
                file);
    }

    /** A configuration with the default tuning. */
    public ClusterConfig(String cluster, String region, TransportKind transport, ErasureConfig rs,
            CredentialsConfig credentials, TlsConfig tls, RaftConfig raft, StorageConfig storage,
            List<NodeConfig> nodes, Path file) {
        this(cluster, region, transport, rs, credentials, tls, raft, storage, TuningConfig.DEFAULTS, nodes, file);
    }

    /** A configuration with the default free-space reserve. */
    public ClusterConfig(String cluster, String region, TransportKind transport, ErasureConfig rs,
            CredentialsConfig credentials, TlsConfig tls, RaftConfig raft, List<NodeConfig> nodes, Path file) {
        this(cluster, region, transport, rs, credentials, tls, raft, StorageConfig.DEFAULTS, nodes, file);
    }

    public ClusterConfig {
        ConfigChecks.notBlank("cluster", cluster);
        ConfigChecks.notBlank("region", region);
        ConfigChecks.present("transport", transport);
        ConfigChecks.present("rs", rs);
        ConfigChecks.present("credentials", credentials);
        ConfigChecks.present("tls", tls);
        if (raft == null) {
            raft = RaftConfig.DEFAULTS;
        }
        if (storage == null) {
            storage = StorageConfig.DEFAULTS;
        }
        if (tuning == null) {
            tuning = TuningConfig.DEFAULTS;
        }
        if (ssh == null) {
            ssh = SshConfig.DEFAULTS;
        }
        if (nodes == null || nodes.isEmpty()) {
            throw ClusterConfigException.key("node", "the cluster file needs at least one [[node]]");
        }
        nodes = List.copyOf(nodes);
        Map<Integer, Integer> ids = new HashMap<>();
        Map<String, String> endpoints = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeConfig node = nodes.get(i);
            String prefix = "node[" + i + "]";
            Integer previous = ids.putIfAbsent(node.id(), i);
            if (previous != null) {
                throw ClusterConfigException.invalid(prefix + ".id", Integer.toString(node.id()),
                        "duplicate node id (also used by node[" + previous + "])");
            }
            for (NodeConfig.NamedPort port : node.ports()) {
                String where = prefix + "." + port.key();
                String endpoint = node.host().toLowerCase(Locale.ROOT) + ":" + port.port();
                String owner = endpoints.putIfAbsent(endpoint, where);
                if (owner != null) {
                    throw ClusterConfigException.invalid(where, Integer.toString(port.port()),
                            node.host() + ":" + port.port() + " is already used by " + owner);
                }
            }
        }
        if (rs.width() > nodes.size()) {
            throw ClusterConfigException.invalid("rs", "{ data = " + rs.data() + ", parity = " + rs.parity() + " }",
                    "data + parity = " + rs.width() + " needs at least " + rs.width()
                            + " nodes, but the cluster file lists " + nodes.size());
        }
    }

    /** The node with this id. */
    public NodeConfig node(int id) {
        for (NodeConfig node : nodes) {
            if (node.id() == id) {
                return node;
            }
        }
        throw ClusterConfigException.general("node " + id + " is not in "
                + (file == null ? "the cluster configuration" : "cluster file " + file) + "; its nodes are "
                + nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(", ")));
    }

    /** The directory of the cluster file, against which its relative paths were resolved; null without a file. */
    public Path directory() {
        return file == null ? null : file.toAbsolutePath().getParent();
    }

    /** The same configuration marked as read from {@code file}. */
    public ClusterConfig withFile(Path file) {
        return new ClusterConfig(cluster, region, transport, rs, credentials, tls, raft, storage, tuning, nodes,
                ssh, file);
    }

    /** Whether some node runs on another machine, reached over SSH. */
    public boolean hasRemoteNodes() {
        return nodes.stream().anyMatch(NodeConfig::remote);
    }
}
