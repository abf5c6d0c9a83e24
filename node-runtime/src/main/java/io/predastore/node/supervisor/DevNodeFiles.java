package io.predastore.node.supervisor;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.pki.ClusterSecret;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ClusterConfigWriter;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a member added to, or removed from, a dev cluster on this machine (docs/membership.md): choosing a new
 * node's id and ports, issuing its certificate from the cluster CA, making its data directory ready to join, and
 * adding or removing its {@code [[node]]} in the cluster file. The admin calls that change the member list itself
 * are the caller's; this class only touches files. Stateless; two commands changing the same cluster at once are
 * not guarded against here (the member list refuses the second node with the same id or address).
 */
public final class DevNodeFiles {
    private static final Pattern MEMBER_ID = Pattern.compile("node-(\\d{1,9})");

    private DevNodeFiles() {
    }

    /** A new node's files, as {@link #create} made them, so that {@link #undo} can take them back. */
    public record Created(NodeConfig node, List<Path> files, Path dataDir) {
        public Created {
            files = List.copyOf(files);
        }
    }

    /** The node id of a member ({@code node-3} is 3), or empty if its id is not of that form. */
    public static OptionalInt nodeId(ClusterMember member) {
        Matcher m = MEMBER_ID.matcher(member.id());
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /**
     * The id of the next node: one more than the highest id in the cluster file and in the member list, removed
     * members included, so an id is never used by two nodes, even one after the other.
     */
    public static int nextId(ClusterConfig config, ClusterMembers members) {
        int highest = 0;
        for (NodeConfig node : config.nodes()) {
            highest = Math.max(highest, node.id());
        }
        for (ClusterMember member : members.members()) {
            highest = Math.max(highest, nodeId(member).orElse(0));
        }
        return highest + 1;
    }

    /**
     * The next node of {@code config}: the next id, the host its siblings share, four ports from {@code ports} that
     * no node of the file or the member list uses (a stopped node's ports can be bound but are still its), its data
     * directory and certificate files beside its siblings', and TLS on S3 and admin as they have it.
     *
     * @throws IllegalArgumentException if the nodes do not share one host (a node of such a cluster is added by hand)
     * @throws IOException              if no free port is found
     */
    public static NodeConfig plan(ClusterConfig config, ClusterMembers members, PortAllocator ports)
            throws IOException {
        NodeConfig sibling = config.nodes().get(0);
        for (NodeConfig node : config.nodes()) {
            if (!node.host().equals(sibling.host())) {
                throw new IllegalArgumentException("the nodes of " + config.file() + " do not share one host ("
                        + sibling.host() + ", " + node.host() + "), so which host a new node gets cannot be "
                        + "told; add its [[node]] and certificate by hand");
            }
        }
        Set<Integer> taken = new HashSet<>();
        for (NodeConfig node : config.nodes()) {
            node.ports().forEach(p -> taken.add(p.port()));
        }
        for (ClusterMember m : members.members()) {
            taken.add(m.s3Port());
            taken.add(m.adminPort());
            if (m.raftPort() != null) {
                taken.add(m.raftPort());
            }
            if (m.shardPort() != null) {
                taken.add(m.shardPort());
            }
        }
        int[] chosen = new int[4];
        for (int i = 0; i < chosen.length; i++) {
            int port = ports.next();
            while (taken.contains(port)) {
                port = ports.next();
            }
            chosen[i] = port;
        }
        int id = nextId(config, members);
        Path base = config.directory();
        Path tls = sibling.tlsCert().getParent();
        return new NodeConfig(id, sibling.host(), chosen[0], chosen[1], chosen[2], chosen[3],
                base.resolve("node-" + id), tls.resolve("node-" + id + ".pem"), tls.resolve("node-" + id + ".key"))
                .withHttpTls(sibling.adminTls());
    }

    /** The first port to try for a new node: the one after the highest port of the cluster file. */
    public static int firstFreePortAfter(ClusterConfig config) {
        int highest = 0;
        for (NodeConfig node : config.nodes()) {
            for (NodeConfig.NamedPort p : node.ports()) {
                highest = Math.max(highest, p.port());
            }
        }
        return Math.min(highest + 1, 65535);
    }

    /**
     * Makes the files of {@code node}, planned by {@link #plan}: its certificate and key issued by the cluster CA
     * (whose key {@code cluster init} left in {@link DevClusterInit#caKeyFile}), its owner-only data directory with
     * the cluster secret of a sibling and the join marker ({@link MembershipMarkers#markJoining}), so that its first
     * start waits to be added to the metadata group instead of founding one. Nothing existing is overwritten; on
     * failure what was made is taken back.
     *
     * @throws IOException naming what is missing or in the way
     */
    public static Created create(ClusterConfig config, NodeConfig node, Instant now) throws IOException {
        Path caKey = DevClusterInit.caKeyFile(config.directory());
        if (!Files.isRegularFile(caKey)) {
            throw new NoSuchFileException(caKey.toString(), null, "the cluster CA's private key is not there, so "
                    + "no certificate can be issued for a new node; put it back (cluster init wrote it there)");
        }
        for (Path p : List.of(node.tlsCert(), node.tlsKey(), node.dataDir())) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(p.toString(), null, "in the way of new node " + node.id()
                        + "; it is not overwritten: move it away if no node uses it");
            }
        }
        ClusterSecret secret = siblingSecret(config);
        List<Path> made = new ArrayList<>();
        boolean done = false;
        try {
            DevCertificates.Issued ca = DevCertificates.loadCa(config.tls().caCert(), caKey);
            DevCertificates.Issued cert = DevCertificates.newNodeCertificate(ca,
                    new NodeIdentity(config.cluster(), node.id()), node.host(), now);
            made.add(node.tlsCert());
            Files.writeString(node.tlsCert(), DevCertificates.certificatePem(cert.certificate()),
                    StandardCharsets.US_ASCII);
            made.add(node.tlsKey());
            DevClusterInit.writeSecret(node.tlsKey(), DevCertificates.privateKeyPem(cert.privateKey()));
            made.add(node.dataDir());
            OwnerOnly.createDirectories(node.dataDir());
            secret.write(ClusterSecret.fileIn(node.dataDir()));
            MembershipMarkers.markJoining(node.dataDir());
            done = true;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue the certificate of node " + node.id() + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                undo(new Created(node, made, node.dataDir()));
            }
        }
        return new Created(node, made, node.dataDir());
    }

    /**
     * Deletes what {@link #create} made (certificate, key, data directory), for an addition that did not go
     * through. Best effort: what cannot be deleted is returned, for the caller to name.
     */
    public static List<Path> undo(Created created) {
        List<Path> left = new ArrayList<>();
        List<Path> reversed = new ArrayList<>(created.files());
        Collections.reverse(reversed);
        for (Path p : reversed) {
            try {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    DevFaults.deleteTree(p);
                } else {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                left.add(p);
            }
        }
        return left;
    }

    /**
     * Appends {@code node} to the cluster file of {@code config}, keeping the rest of the file as it is, and
     * replaces the file atomically (owner-only, it holds the credentials).
     *
     * @return the cluster as read back from the new file
     * @throws IOException if the file changed meanwhile in a way that cannot be extended, or cannot be written
     */
    public static ClusterConfig appendToClusterFile(ClusterConfig config, NodeConfig node) throws IOException {
        Path file = config.file();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String updated = ClusterConfigWriter.withNode(text, node, file);
        OwnerOnly.writeAtomically(file, updated.getBytes(StandardCharsets.UTF_8));
        return ClusterConfigLoader.load(file);
    }

    /**
     * Removes node {@code id}'s {@code [[node]]} from the cluster file of {@code config}, keeping the rest, and
     * replaces the file atomically.
     *
     * @return the cluster as read back from the new file
     */
    public static ClusterConfig removeFromClusterFile(ClusterConfig config, int id) throws IOException {
        Path file = config.file();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String updated = ClusterConfigWriter.withoutNode(text, id, file);
        OwnerOnly.writeAtomically(file, updated.getBytes(StandardCharsets.UTF_8));
        return ClusterConfigLoader.load(file);
    }

    /** Whether the node whose data directory is {@code dataDir} wrote that it was removed from its cluster. */
    public static boolean isRemoved(Path dataDir) {
        return MembershipMarkers.isRemoved(dataDir);
    }

    /**
     * Deletes the data directory of a removed node, once it has deleted its shards and metadata and written its
     * removed marker; a directory without the marker is left alone, whatever it holds.
     *
     * @return whether it was deleted
     * @throws IOException if the marker is there but the directory cannot be deleted
     */
    public static boolean deleteRemovedDataDir(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir, LinkOption.NOFOLLOW_LINKS) || !isRemoved(dataDir)) {
            return false;
        }
        DevFaults.deleteTree(dataDir);
        return true;
    }

    /** The cluster secret, read from the first node data directory that holds one. */
    private static ClusterSecret siblingSecret(ClusterConfig config) throws IOException {
        for (NodeConfig node : config.nodes()) {
            Path file = ClusterSecret.fileIn(node.dataDir());
            if (Files.isRegularFile(file)) {
                return ClusterSecret.read(file);
            }
        }
        throw new NoSuchFileException(config.directory().toString(), null, "no node data directory holds the "
                + "cluster secret (" + ClusterSecret.FILE_NAME + "); run 'cluster add-secret' with the nodes stopped");
    }
}
