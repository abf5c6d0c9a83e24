package io.predastore.protocol.config;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code [[node]]} of the cluster file. Keys in this record's errors are relative to the node's table
 * ({@code s3_port}); {@link ClusterConfig} prefixes them with {@code node[i]}.
 *
 * @param id        unique, at least 1
 * @param host      address or name other nodes and clients use to reach this node
 * @param s3Port    S3 API
 * @param raftPort  metadata consensus
 * @param shardPort shard transfers between nodes
 * @param adminPort admin API
 * @param dataDir   where the node keeps its data
 * @param tlsCert   the node's certificate chain (PEM), signed by the cluster CA
 * @param tlsKey    the node's private key (PKCS#8 PEM)
 */
public record NodeConfig(int id, String host, int s3Port, int raftPort, int shardPort, int adminPort, Path dataDir,
        Path tlsCert, Path tlsKey) {

    public NodeConfig {
        if (id < 1) {
            throw ClusterConfigException.invalid("id", Integer.toString(id), "must be at least 1");
        }
        ConfigChecks.notBlank("host", host);
        ConfigChecks.port("s3_port", s3Port);
        ConfigChecks.port("raft_port", raftPort);
        ConfigChecks.port("shard_port", shardPort);
        ConfigChecks.port("admin_port", adminPort);
        ConfigChecks.present("data_dir", dataDir);
        ConfigChecks.present("tls_cert", tlsCert);
        ConfigChecks.present("tls_key", tlsKey);
    }

    /** A named port of this node, as it appears in the cluster file. */
    public record NamedPort(String key, int port) {
    }

    /** Every port of this node with its cluster-file key, in file order. */
    public List<NamedPort> ports() {
        return List.of(new NamedPort("s3_port", s3Port), new NamedPort("raft_port", raftPort),
                new NamedPort("shard_port", shardPort), new NamedPort("admin_port", adminPort));
    }

    /** {@code http://host:s3Port}, the node's S3 endpoint (plain HTTP; clients reach S3 without the cluster CA). */
    public String s3Endpoint() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + h + ":" + s3Port;
    }
}
