package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.client.tls.NodeIdentity;
import io.predastore.client.tls.PemCertificates;
import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.pki.ClusterSecret;
import io.predastore.node.pki.PemFiles;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.ClusterConfigLoader;
import io.predastore.protocol.config.ErasureConfig;
import io.predastore.protocol.config.NodeConfig;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of a node added to or removed from a dev cluster: id, ports, certificate, data dir, cluster file. */
class DevNodeFilesTest {
    @TempDir
    Path dir;

    ClusterConfig config;

    @BeforeEach
    void createCluster() throws Exception {
        config = DevClusterInit.create(dir, List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"), new ErasureConfig(2, 1),
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()), HttpTls.ON);
    }

    @Test
    void nextId_isAboveEveryIdOfTheFileAndOfTheMemberList_removedOnesIncluded() {
        assertThat(DevNodeFiles.nextId(config, new ClusterMembers(List.of()))).isEqualTo(4);

        ClusterMembers members = new ClusterMembers(9, List.of(member("node-1", MemberState.ACTIVE, 7001),
                member("node-7", MemberState.REMOVED, 7002), member("gateway", MemberState.ACTIVE, 7003)));
        assertThat(DevNodeFiles.nextId(config, members)).isEqualTo(8);
    }

    @Test
    void plan_takesPortsNoNodeOfTheFileOrTheListUses_evenStoppedOnes() throws Exception {
        Set<Integer> used = new HashSet<>();
        config.nodes().forEach(n -> n.ports().forEach(p -> used.add(p.port())));
        int lowest = used.stream().min(Integer::compare).orElseThrow();
        ClusterMember removed = member("node-4", MemberState.REMOVED, lowest + 100);
        used.addAll(List.of(removed.s3Port(), removed.adminPort(), removed.raftPort(), removed.shardPort()));
        // Scanning up from the lowest port of the stopped cluster: every port of its nodes can be bound now.
        PortAllocator ports = PortAllocator.from(InetAddress.getLoopbackAddress(), lowest);

        NodeConfig node = DevNodeFiles.plan(config, new ClusterMembers(3, List.of(removed)), ports);

        assertThat(node.id()).isEqualTo(5);
        assertThat(node.ports()).allSatisfy(p -> assertThat(used).doesNotContain(p.port()));
        assertThat(node.ports().stream().map(NodeConfig.NamedPort::port).distinct()).hasSize(4);
        assertThat(node.host()).isEqualTo("127.0.0.1");
        assertThat(node.adminTls()).isTrue();
        assertThat(node.s3Tls()).isTrue();
        assertThat(node.dataDir()).isEqualTo(config.directory().resolve("node-5"));
        assertThat(node.tlsCert()).isEqualTo(config.directory().resolve("tls/node-5.pem"));
        assertThat(node.tlsKey()).isEqualTo(config.directory().resolve("tls/node-5.key"));
    }

    @Test
    void create_issuesTheCertificateFromTheClusterCa_andMakesAPrivateDataDirReadyToJoin() throws Exception {
        NodeConfig node = plan();

        DevNodeFiles.Created created = DevNodeFiles.create(config, node, Instant.now());

        X509Certificate ca = PemCertificates.read(config.tls().caCert()).get(0);
        X509Certificate cert = PemCertificates.read(node.tlsCert()).get(0);
        cert.verify(ca.getPublicKey());
        List<String> names = cert.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))).toList();
        assertThat(names).contains(new NodeIdentity("dev", 4).uri(), "127.0.0.1");
        assertThat(PemFiles.privateKey(node.tlsKey()).getAlgorithm()).isEqualTo("EC");
        assertThat(ClusterSecret.read(ClusterSecret.fileIn(node.dataDir())))
                .isEqualTo(ClusterSecret.read(ClusterSecret.fileIn(config.node(1).dataDir())));
        assertThat(MembershipMarkers.isJoining(node.dataDir())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.dataDir())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.tlsKey())))
                .isEqualTo("rw-------");

        assertThat(DevNodeFiles.undo(created)).isEmpty();
        assertThat(node.tlsCert()).doesNotExist();
        assertThat(node.tlsKey()).doesNotExist();
        assertThat(node.dataDir()).doesNotExist();
        assertThat(config.node(1).dataDir()).isDirectory();
    }

    @Test
    void create_withoutTheCaKey_makesNothingAndSaysWhereItGoes() throws Exception {
        NodeConfig node = plan();
        Files.delete(DevClusterInit.caKeyFile(dir));

        assertThatThrownBy(() -> DevNodeFiles.create(config, node, Instant.now()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(DevClusterInit.caKeyFile(dir).getFileName().toString())
                .hasMessageContaining("the cluster CA's private key is not there");
        assertThat(node.tlsCert()).doesNotExist();
        assertThat(node.dataDir()).doesNotExist();
    }

    @Test
    void create_somethingInTheWay_isNotOverwritten() throws Exception {
        NodeConfig node = plan();
        Files.createDirectories(node.dataDir());
        Path kept = Files.writeString(node.dataDir().resolve("keep-me"), "x");

        assertThatThrownBy(() -> DevNodeFiles.create(config, node, Instant.now()))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("it is not overwritten");
        assertThat(kept).hasContent("x");
        assertThat(node.tlsCert()).doesNotExist();
    }

    @Test
    void appendThenRemove_roundTripsTheClusterFile_keepingItsOwnText() throws Exception {
        Path file = config.file();
        String original = Files.readString(file) + "# kept by hand\n";
        Files.writeString(file, original);
        NodeConfig node = plan();

        ClusterConfig added = DevNodeFiles.appendToClusterFile(config, node);

        assertThat(added.nodes()).hasSize(4).last().isEqualTo(node);
        assertThat(ClusterConfigLoader.load(file)).isEqualTo(added);
        assertThat(Files.readString(file)).startsWith(original);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        ClusterConfig removed = DevNodeFiles.removeFromClusterFile(added, 2);
        assertThat(removed.nodes()).extracting(NodeConfig::id).containsExactly(1, 3, 4);
        ClusterConfig back = DevNodeFiles.removeFromClusterFile(
                DevNodeFiles.appendToClusterFile(removed, config.node(2)), 4);
        assertThat(back.nodes()).extracting(NodeConfig::id).containsExactly(1, 3, 2);
    }

    @Test
    void deleteRemovedDataDir_deletesOnlyADirectoryHoldingTheRemovedMarker() throws Exception {
        Path data = config.node(2).dataDir();
        assertThat(DevNodeFiles.deleteRemovedDataDir(data)).isFalse();
        assertThat(data).isDirectory();

        Files.writeString(MembershipMarkers.removedFile(data), "removed\n");
        assertThat(DevNodeFiles.isRemoved(data)).isTrue();
        assertThat(DevNodeFiles.deleteRemovedDataDir(data)).isTrue();
        assertThat(data).doesNotExist();
    }

    private NodeConfig plan() throws Exception {
        return DevNodeFiles.plan(config, new ClusterMembers(List.of()),
                PortAllocator.ephemeral(InetAddress.getLoopbackAddress()));
    }

    private static ClusterMember member(String id, MemberState state, int firstPort) {
        return new ClusterMember(id, "127.0.0.1", firstPort, firstPort + 1, false, false, firstPort + 2,
                firstPort + 3, state);
    }
}
