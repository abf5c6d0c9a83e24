package io.predastore.node.supervisor;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.pki.ClusterSecret;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ClusterConfigWriter;
import io.predastore.protocol.config.CredentialsConfig;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.node.remote.SshTarget;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.config.RaftConfig;
import io.predastore.protocol.config.SshConfig;
import io.predastore.protocol.config.StorageConfig;
import io.predastore.protocol.config.TuningConfig;
import io.predastore.protocol.config.TlsConfig;
import io.predastore.protocol.config.TransportKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a dev cluster into a directory: {@code cluster.toml}, a cluster CA certificate ({@code tls/ca.pem}), one
 * certificate naming its node and PKCS#8 key per node ({@code tls/node-N.pem}, {@code tls/node-N.key}), random S3
 * and admin credentials (kept in the cluster file), free ports and a data directory per node ({@code node-N}). The
 * CA's private key goes apart, to {@code ca-private/ca.key}, which no node reads: running nodes need only the CA
 * certificate, and the key is needed again only to issue certificates. Secret files are readable by the owner only
 * (and {@code ca-private/} and {@code tls/} listable by the owner only) where the file system has POSIX
 * permissions. Each node's data directory gets the cluster secret ({@link ClusterSecret}), the same on every node,
 * apart from its TLS key.
 */
public final class DevClusterInit {
    public static final String CLUSTER_FILE = "cluster.toml";
    public static final String CLUSTER_NAME = "dev";
    public static final String REGION = "us-east-1";
    /** The directory, under a cluster directory, of the CA's private key; nodes never read it. */
    public static final String CA_KEY_DIR = "ca-private";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private DevClusterInit() {
    }

    /** The cluster file of a cluster directory. */
    public static Path clusterFile(Path dir) {
        return dir.resolve(CLUSTER_FILE);
    }

    /** Where {@code cluster init} put the CA's private key of the cluster directory {@code dir}. */
    public static Path caKeyFile(Path dir) {
        return dir.resolve(CA_KEY_DIR).resolve("ca.key");
    }

    /**
     * Creates the dev cluster and returns it as read back from the written file.
     *
     * @throws FileAlreadyExistsException when {@code dir} already holds a cluster file
     * @throws IllegalArgumentException   when the layout is impossible (e.g. data + parity greater than nodes)
     */
    public static ClusterConfig create(Path dir, int nodes, int data, int parity, String host, PortAllocator ports)
            throws IOException {
        return create(dir, nodes, new ErasureConfig(data, parity), host, ports, HttpTls.AUTO, Clock.systemUTC());
    }

    /** As above, with the erasure layout (and its write quorum) given whole, and TLS on S3 and admin as chosen. */
    public static ClusterConfig create(Path dir, int nodes, ErasureConfig rs, String host, PortAllocator ports,
            HttpTls httpTls) throws IOException {
        return create(dir, nodes, rs, host, ports, httpTls, Clock.systemUTC());
    }

    static ClusterConfig create(Path dir, int nodes, int data, int parity, String host, PortAllocator ports,
            Clock clock) throws IOException {
        return create(dir, nodes, new ErasureConfig(data, parity), host, ports, HttpTls.AUTO, clock);
    }

    static ClusterConfig create(Path dir, int nodes, ErasureConfig rs, String host, PortAllocator ports,
            HttpTls httpTls, Clock clock) throws IOException {
        if (nodes < 1) {
            throw new IllegalArgumentException("a cluster needs at least 1 node, got " + nodes);
        }
        return create(dir, Collections.nCopies(nodes, host), rs, ports, httpTls, clock);
    }

    /**
     * Creates a dev cluster whose nodes each have a host of their own: node N (from 1) at {@code hosts.get(N - 1)},
     * its certificate naming that address, S3 and admin TLS decided per node by {@code httpTls}. Used where every
     * node runs on its own network host (e.g. a network namespace), so that traffic between two nodes can be cut.
     *
     * @throws FileAlreadyExistsException when {@code dir} already holds a cluster file
     * @throws IllegalArgumentException   when {@code hosts} is empty or has a blank entry, or the layout is
     *                                    impossible
     */
    public static ClusterConfig create(Path dir, List<String> hosts, ErasureConfig rs, PortAllocator ports,
            HttpTls httpTls) throws IOException {
        return create(dir, hosts, rs, ports, httpTls, Clock.systemUTC());
    }

    static ClusterConfig create(Path dir, List<String> hosts, ErasureConfig rs, PortAllocator ports,
            HttpTls httpTls, Clock clock) throws IOException {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least 1 node, got no host");
        }
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i) == null || hosts.get(i).isBlank()) {
                throw new IllegalArgumentException("node " + (i + 1) + " has no host; give one address per node");
            }
        }
        Path base = dir.toAbsolutePath().normalize();
        refuseExisting(base);
        Path tls = base.resolve("tls");
        List<NodeConfig> nodeConfigs = new ArrayList<>();
        for (int id = 1; id <= hosts.size(); id++) {
            String host = hosts.get(id - 1);
            nodeConfigs.add(new NodeConfig(id, host, ports.next(), ports.next(), ports.next(), ports.next(),
                    base.resolve("node-" + id), tls.resolve("node-" + id + ".pem"),
                    tls.resolve("node-" + id + ".key")).withHttpTls(httpTls.enabledFor(host)));
        }
        return write(base, nodeConfigs, rs, SshConfig.DEFAULTS, clock);
    }

    /**
     * The ports of node number {@code index} (from 0) among those that share one host, from {@code basePort}: four
     * in a row per node (S3, Raft, shards, admin), so nodes on one host never collide and each node's ports are
     * known without looking at the host.
     *
     * @throws IllegalArgumentException when they would pass 65535
     */
    public static int[] fixedPorts(int basePort, int index) {
        int first = basePort + 4 * index;
        if (basePort < 1 || first + 3 > 65535) {
            throw new IllegalArgumentException("ports from --base-port " + basePort + " do not fit: node " + (index + 1)
                    + " on its host would need " + first + " to " + (first + 3) + ", but ports go from 1 to 65535");
        }
        return new int[] {first, first + 1, first + 2, first + 3};
    }

    /**
     * Creates a cluster whose node N (from 1) runs on the machine {@code logins.get(N - 1)} logs in to over SSH: it
     * listens on, and is reached at, that machine's address, with S3 and admin over TLS and a certificate naming
     * that address. A machine may be named more than once; its nodes take fixed ports from {@code basePort} upwards
     * ({@link #fixedPorts}). The files are written here, as for a local cluster; {@code cluster deploy} copies each
     * node's share to its machine under {@code ssh.remote_dir}.
     *
     * @throws FileAlreadyExistsException when {@code dir} already holds a cluster file
     * @throws IllegalArgumentException   when there is no login, the ports do not fit or the layout is impossible
     */
    public static ClusterConfig createRemote(Path dir, List<SshTarget> logins, ErasureConfig rs, int basePort,
            SshConfig ssh) throws IOException {
        if (logins.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least 1 node, got no host");
        }
        Path base = dir.toAbsolutePath().normalize();
        refuseExisting(base);
        Path tls = base.resolve("tls");
        Map<String, Integer> onHost = new HashMap<>();
        List<NodeConfig> nodeConfigs = new ArrayList<>();
        for (int id = 1; id <= logins.size(); id++) {
            SshTarget login = logins.get(id - 1);
            int index = onHost.merge(login.host(), 1, Integer::sum) - 1;
            int[] p = fixedPorts(basePort, index);
            nodeConfigs.add(new NodeConfig(id, login.host(), p[0], p[1], p[2], p[3], base.resolve("node-" + id),
                    tls.resolve("node-" + id + ".pem"), tls.resolve("node-" + id + ".key"))
                    .withHttpTls(true).withSsh(login.toString()));
        }
        return write(base, nodeConfigs, rs, ssh, Clock.systemUTC());
    }

    private static void refuseExisting(Path base) throws FileAlreadyExistsException {
        Path file = clusterFile(base);
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "a cluster already exists here; remove the directory or choose another one, it is not "
                            + "overwritten");
        }
    }

    private static ClusterConfig write(Path base, List<NodeConfig> nodeConfigs, ErasureConfig rs, SshConfig ssh,
            Clock clock) throws IOException {
        Path file = clusterFile(base);
        Path tls = base.resolve("tls");
        CredentialsConfig credentials = new CredentialsConfig("PS" + random(UPPER_DIGITS, 18), random(BASE62, 40),
                "PSADMIN" + random(UPPER_DIGITS, 13), random(BASE62, 40));
        // Validates the whole layout before anything is written.
        ClusterConfig config = new ClusterConfig(CLUSTER_NAME, REGION, TransportKind.TLS,
                rs, credentials, new TlsConfig(tls.resolve("ca.pem")), RaftConfig.DEFAULTS, StorageConfig.DEFAULTS,
                TuningConfig.DEFAULTS, nodeConfigs, ssh, null);

        if (!Files.exists(base)) {
            // A directory made for the cluster is private; one the user chose that exists keeps its permissions.
            OwnerOnly.createDirectories(base);
        }
        createPrivateDirectory(tls);
        Path caKey = caKeyFile(base);
        createPrivateDirectory(caKey.getParent());
        Instant now = clock.instant();
        try {
            DevCertificates.Issued ca = DevCertificates.newCa("Predastore " + CLUSTER_NAME + " cluster CA", now);
            Files.deleteIfExists(caKey);
            writeSecret(caKey, DevCertificates.privateKeyPem(ca.privateKey()));
            Files.writeString(tls.resolve("ca.pem"), DevCertificates.certificatePem(ca.certificate()));
            ClusterSecret secret = ClusterSecret.generate(RANDOM);
            for (NodeConfig node : nodeConfigs) {
                DevCertificates.Issued cert = DevCertificates.newNodeCertificate(ca,
                        new NodeIdentity(CLUSTER_NAME, node.id()), node.host(), now);
                Files.writeString(node.tlsCert(), DevCertificates.certificatePem(cert.certificate()));
                Files.deleteIfExists(node.tlsKey());
                writeSecret(node.tlsKey(), DevCertificates.privateKeyPem(cert.privateKey()));
                OwnerOnly.createDirectories(node.dataDir());
                secret.write(ClusterSecret.fileIn(node.dataDir()));
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the cluster's TLS material: " + e.getMessage(), e);
        }
        OwnerOnly.createDirectories(base.resolve("logs"));
        OwnerOnly.createDirectories(base.resolve("run"));
        // Written last and never over an existing file: a failed init can simply be run again.
        writeSecret(file, ClusterConfigWriter.toToml(config, base));
        return ClusterConfigLoader.load(file);
    }

    /**
     * Gives every node of {@code config} whose data directory is on this machine the cluster secret, for a cluster
     * made before nodes had one: the secret some node already has, else a new one. Nodes that have it are left as
     * they are. Run it while the nodes are stopped.
     *
     * @return the secret files written
     * @throws IOException if nodes already hold different secrets (which one is right cannot be told), or a file
     *     cannot be read or written
     */
    public static List<Path> addSecret(ClusterConfig config) throws IOException {
        ClusterSecret found = null;
        Path foundIn = null;
        List<NodeConfig> missing = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            Path file = ClusterSecret.fileIn(node.dataDir());
            if (!Files.exists(file)) {
                missing.add(node);
                continue;
            }
            ClusterSecret secret = ClusterSecret.read(file);
            if (found != null && !found.equals(secret)) {
                throw new IOException("the nodes hold different cluster secrets (" + foundIn + " and " + file
                        + "); copy the one file over the others (owner-only), then start the nodes");
            }
            found = secret;
            foundIn = file;
        }
        ClusterSecret secret = found != null ? found : ClusterSecret.generate(RANDOM);
        List<Path> written = new ArrayList<>();
        for (NodeConfig node : missing) {
            OwnerOnly.createDirectories(node.dataDir());
            Path file = ClusterSecret.fileIn(node.dataDir());
            secret.write(file);
            written.add(file);
        }
        return written;
    }

    private static String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Creates {@code dir} (if missing) and makes it accessible by the owner only where permissions exist. */
    static void createPrivateDirectory(Path dir) throws IOException {
        OwnerOnly.createDirectories(dir);
    }

    /** Creates {@code file} (which must not exist) readable and writable by the owner only, then writes it. */
    static void writeSecret(Path file, String text) throws IOException {
        if (OwnerOnly.posix(file)) {
            Files.createFile(file, OwnerOnly.fileAttribute());
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
