package io.predastore.protocol.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

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
 * @param tlsCert   the node's certificate chain (PEM), signed by the cluster CA and naming the node (see
 *                  docs/cluster.md); used for Raft and shards, and for the admin API when {@code adminTls}
 * @param tlsKey    the node's private key (PKCS#8 PEM)
 * @param s3TlsCert the certificate chain (PEM) the S3 port serves HTTPS with, or null for plain HTTP; may be the
 *                  node's own certificate or one from another CA that S3 clients already trust
 * @param s3TlsKey  the private key (PKCS#8 PEM) of {@code s3TlsCert}; given exactly when it is
 * @param adminTls  whether the admin API serves HTTPS with the node's certificate ({@code tlsCert})
 * @param ssh       where the node runs when it is on another machine: the SSH login {@code USER@HOST[:PORT]} the
 *                  {@code cluster} commands deploy, start and stop it through (docs/remote.md); null for a node on
 *                  the machine that holds the cluster directory. Nodes themselves never read it.
 */
public record NodeConfig(int id, String host, int s3Port, int raftPort, int shardPort, int adminPort, Path dataDir,
        Path tlsCert, Path tlsKey, Path s3TlsCert, Path s3TlsKey, boolean adminTls, String ssh) {
    /** The shape of an SSH login; the {@code cluster} commands check the parts further. */
    private static final Pattern SSH_FORM = Pattern.compile("[^@\\s]+@[^@\\s]+");

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
        if (s3TlsCert != null && s3TlsKey == null) {
            throw ClusterConfigException.key("s3_tls_key", "missing: s3_tls_cert needs its key in s3_tls_key");
        }
        if (s3TlsKey != null && s3TlsCert == null) {
            throw ClusterConfigException.key("s3_tls_cert", "missing: s3_tls_key needs its certificate in "
                    + "s3_tls_cert");
        }
        if (ssh != null && !SSH_FORM.matcher(ssh).matches()) {
            throw ClusterConfigException.invalid("ssh", ClusterConfigWriter.quote(ssh), "must be the SSH login "
                    + "USER@HOST[:PORT] of the machine the node runs on (e.g. \"admin@10.0.0.5\" or "
                    + "\"admin@node1.example.com:2222\"); leave it out for a node on this machine");
        }
    }

    /** A node on the machine of the cluster directory ({@code ssh} null). */
    public NodeConfig(int id, String host, int s3Port, int raftPort, int shardPort, int adminPort, Path dataDir,
            Path tlsCert, Path tlsKey, Path s3TlsCert, Path s3TlsKey, boolean adminTls) {
        this(id, host, s3Port, raftPort, shardPort, adminPort, dataDir, tlsCert, tlsKey, s3TlsCert, s3TlsKey,
                adminTls, null);
    }

    /** A node whose S3 port and admin API are plain HTTP (trusted networks and loopback only). */
    public NodeConfig(int id, String host, int s3Port, int raftPort, int shardPort, int adminPort, Path dataDir,
            Path tlsCert, Path tlsKey) {
        this(id, host, s3Port, raftPort, shardPort, adminPort, dataDir, tlsCert, tlsKey, null, null, false);
    }

    /** A named port of this node, as it appears in the cluster file. */
    public record NamedPort(String key, int port) {
    }

    /** Every port of this node with its cluster-file key, in file order. */
    public List<NamedPort> ports() {
        return List.of(new NamedPort("s3_port", s3Port), new NamedPort("raft_port", raftPort),
                new NamedPort("shard_port", shardPort), new NamedPort("admin_port", adminPort));
    }

    /** Whether the S3 port serves HTTPS. */
    public boolean s3Tls() {
        return s3TlsCert != null;
    }

    /** The same node with the S3 port and admin API both over TLS, or both plain, with the node's certificate. */
    public NodeConfig withHttpTls(boolean on) {
        return new NodeConfig(id, host, s3Port, raftPort, shardPort, adminPort, dataDir, tlsCert, tlsKey,
                on ? tlsCert : null, on ? tlsKey : null, on, ssh);
    }

    /** The same node run over SSH at {@code login} ({@code USER@HOST[:PORT]}), or on this machine when null. */
    public NodeConfig withSsh(String login) {
        return new NodeConfig(id, host, s3Port, raftPort, shardPort, adminPort, dataDir, tlsCert, tlsKey, s3TlsCert,
                s3TlsKey, adminTls, login);
    }

    /** The same node with its files at other paths (e.g. as laid out on the machine it runs on). */
    public NodeConfig withPaths(Path dataDir, Path tlsCert, Path tlsKey) {
        return new NodeConfig(id, host, s3Port, raftPort, shardPort, adminPort, dataDir, tlsCert, tlsKey,
                s3Tls() ? tlsCert : null, s3Tls() ? tlsKey : null, adminTls, ssh);
    }

    /** Whether the node runs on another machine, reached over SSH. */
    public boolean remote() {
        return ssh != null;
    }

    /** {@code https://host:s3Port} when the S3 port serves TLS, else {@code http://host:s3Port}. */
    public String s3Endpoint() {
        return (s3Tls() ? "https://" : "http://") + hostPart() + ":" + s3Port;
    }

    /** {@code https://host:adminPort} when the admin API serves TLS, else {@code http://host:adminPort}. */
    public String adminEndpoint() {
        return (adminTls ? "https://" : "http://") + hostPart() + ":" + adminPort;
    }

    private String hostPart() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
