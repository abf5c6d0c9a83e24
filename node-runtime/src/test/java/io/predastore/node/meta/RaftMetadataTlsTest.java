package io.predastore.node.meta;

import static io.predastore.node.meta.LocalMetadataStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.client.tls.ClusterTrust;
import io.predastore.client.tls.Membership;
import io.predastore.client.tls.NodeIdentity;
import io.predastore.node.pki.PemFiles;
import io.predastore.node.supervisor.DevCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS between metadata peers: peers n1, n2 and n3 are nodes 1, 2 and 3 of a cluster, each with a certificate
 * of the cluster CA naming its node. A peer started in n3's place with a certificate of another CA, or with node
 * 2's own key and certificate, gets nothing from the group: the peers that dial n3's address want node 3.
 */
class RaftMetadataTlsTest {
    private static final String CLUSTER = "test-cluster";

    @TempDir
    Path dir;

    /** The key and certificate files of one node, and the CA that trusts it. */
    private record Identity(Path caPem, Path cert, Path key) {
    }

    private Identity issue(DevCertificates.Issued ca, String caName, int node, String name) throws Exception {
        Path d = dir.resolve("certs").resolve(name);
        Files.createDirectories(d);
        DevCertificates.Issued cert = DevCertificates.newNodeCertificate(ca, new NodeIdentity(CLUSTER, node),
                "127.0.0.1", Instant.now());
        Identity id = new Identity(dir.resolve("certs").resolve(caName + ".pem"), d.resolve("node.pem"),
                d.resolve("node.key"));
        Files.writeString(id.caPem(), DevCertificates.certificatePem(ca.certificate()));
        Files.writeString(id.cert(), DevCertificates.certificatePem(cert.certificate()));
        Files.writeString(id.key(), DevCertificates.privateKeyPem(cert.privateKey()));
        return id;
    }

    /** Peer {@code nX} is node X, reached at its Raft address. */
    private static MetadataOptions.PeerTls peerTls(Identity id, List<MetaPeerConfig> peers) {
        Map<String, Integer> endpoints = new HashMap<>();
        for (MetaPeerConfig p : peers) {
            endpoints.put(Membership.endpointKey(p.host(), p.raftPort()), Integer.parseInt(p.id().substring(1)));
        }
        try {
            return new MetadataOptions.PeerTls(PemFiles.keyManager(id.cert(), id.key()),
                    ClusterTrust.load(id.caPem(), new Membership(CLUSTER, Set.of(1, 2, 3), endpoints)),
                    node -> "n" + node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Options of a peer in n3's place (its id, address and data) with another identity's TLS. */
    private static MetadataOptions impostor(MetaTestCluster c, Identity identity) {
        MetadataOptions good = c.options(2);
        return new MetadataOptions(good.clusterName(), good.selfId(), good.peers(), good.dir(),
                peerTls(identity, good.peers()), good.secret(), new MetadataOptions.Timeouts(Duration.ofMillis(2500),
                        Duration.ofMillis(300), Duration.ofMillis(600)), good.log());
    }

    /** The group writes on without the impostor, which never hears from the leader and so applies nothing. */
    private static void assertCutOff(MetaTestCluster c, int healthy, RaftMetadataStore rogue, String key)
            throws IOException {
        assertThat(c.stores[healthy].apply(MetaBatch.of(new MetaBatch.Put(MetaTable.BUCKETS, b(key), b("2")))))
                .isTrue();
        assertThat(rogue.status().leaderId()).isNull();
        assertThat(rogue.stateMachine().batchesApplied()).isZero();
    }

    @Test
    void start_peersWithNodeCertificates_formGroupAndImpostorsInAPeersPlaceAreRefused() throws Exception {
        Instant now = Instant.now();
        DevCertificates.Issued cluster = DevCertificates.newCa("cluster", now);
        DevCertificates.Issued foreign = DevCertificates.newCa("someone-else", now);
        Map<String, Identity> ids = new HashMap<>();
        for (int n = 1; n <= 3; n++) {
            ids.put("n" + n, issue(cluster, "cluster-ca", n, "n" + n));
        }
        Identity foreignNode3 = issue(foreign, "foreign-ca", 3, "n3-foreign");

        MetaTestCluster c = new MetaTestCluster(dir.resolve("data"), 3, MetadataOptions.LogOptions.DEFAULTS,
                (id, peers) -> peerTls(ids.get(id), peers));
        try (c) {
            c.startAll();
            int leader = c.awaitLeader();
            int follower = c.aFollower(leader);
            assertThat(c.stores[follower].apply(MetaBatch.of(new MetaBatch.Put(MetaTable.BUCKETS, b("b"), b("1")))))
                    .isTrue();
            for (RaftMetadataStore s : c.stores) {
                assertThat(s.get(MetaTable.BUCKETS, b("b"))).isPresent();
            }

            c.stop(2);
            int healthy = c.awaitLeaderAmong(0, 1);
            // In n3's place: node 3 of another CA, which is no member at all: its writes are refused too.
            try (RaftMetadataStore rogue = RaftMetadataStore.start(impostor(c, foreignNode3))) {
                assertThatThrownBy(() -> rogue.apply(MetaBatch.of(
                        new MetaBatch.Put(MetaTable.BUCKETS, b("evil"), b("1"))))).isInstanceOf(IOException.class);
                assertCutOff(c, healthy, rogue, "after1");
                assertThat(c.stores[healthy].get(MetaTable.BUCKETS, b("evil"))).isEmpty();
            }
            // In n3's place: node 2's own (stolen) key and certificate. As a client it is a member (what a stolen
            // node key can do), but no peer takes it for node 3: the peers dialing n3's address want node 3.
            try (RaftMetadataStore rogue = RaftMetadataStore.start(impostor(c, ids.get("n2")))) {
                assertCutOff(c, healthy, rogue, "after2");
            }
        }
    }
}
