package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.client.MetadataEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardAccessDeniedException;
import io.predastore.node.shard.ShardExistsException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardWriter;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.transport.ShardClient;
import io.predastore.node.transport.ShardTransport;
import io.predastore.node.transport.TlsMaterial;
import io.predastore.node.transport.TransportOptions;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.config.NodeConfig;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A stolen node key against the shard ports of the shared five-node cluster (TLS/TCP). Holding node X's
 * certificate and key from the cluster directory, the test opens its own shard client (the product's
 * {@link ShardTransport}) to node Y, which holds a shard of an object written through S3, and tries what a thief
 * would: overwrite that live shard (as its writer and as another node), write new shards in other nodes'
 * namespaces, read it and delete it without a record that entitles the request. Every attempt is refused, the object
 * reads back byte-exact through S3, and Y logs the refusals in a bounded number of lines. The same client may do
 * what a node does (write in its own namespace and abort that upload; read a shard the object's record lists), so
 * the refusals are the rules' doing, not a broken connection. Legitimate PUT, GET, multipart and DELETE (whose
 * shards the reaper deletes under their tombstone) keep working.
 */
class ShardTrustClusterIT extends SharedNode implements OnCluster {
    private static final String BUCKET = "shard-trust";
    private static final long SIZE = 1024 * 1024 + 77;
    private static ShardTransport transport;
    private static final List<ShardClient> clients = new ArrayList<>();

    @BeforeAll
    static void transport() {
        transport = ShardTransport.tlsTcp(TransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(10))
                .withConnectTimeout(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void close() throws IOException {
        for (ShardClient c : clients) {
            c.close();
        }
        transport.close();
    }

    /** A shard client to node {@code target} holding node {@code thief}'s certificate and private key. */
    private static ShardClient as(int thief, int target) throws IOException {
        ClusterProcesses p = cluster.processes();
        NodeConfig stolen = p.config().node(thief);
        NodeConfig victim = p.config().node(target);
        ShardClient c = transport.client(new InetSocketAddress(victim.host(), victim.shardPort()), target,
                new TlsMaterial(p.trust(), stolen.tlsCert(), stolen.tlsKey()));
        clients.add(c);
        return c;
    }

    private static int node(ShardPlacement s) {
        return Integer.parseInt(s.nodeId().substring("node-".length()));
    }

    private static long put(ShardClient c, ShardId id, ShardWarrant warrant, byte[] bytes) throws IOException {
        try (ShardWriter w = c.create(id, warrant)) {
            w.write(ByteBuffer.wrap(bytes));
            return w.commit().length();
        }
    }

    private static byte[] read(ShardClient c, ShardId id, ShardWarrant warrant) throws IOException {
        try (InputStream in = c.open(id, 0, 100, warrant)) {
            return in.readAllBytes();
        }
    }

    private static void assertReadsBackExactly(String key, long seed) throws IOException {
        for (int i = 0; i < 3; i++) { // each request goes to a random node
            assertThat(Generated.md5(s3.getObject(b -> b.bucket(BUCKET).key(key))))
                    .isEqualTo(Generated.md5(seed, 0, SIZE));
        }
    }

    @Test
    void aStolenNodeKey_cannotOverwriteReadOrDeleteOtherNodesShards_norWriteInTheirNamespace() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key("victim"), Generated.body(11, SIZE));
        s3.putObject(b -> b.bucket(BUCKET).key("other"), Generated.body(12, SIZE));
        ObjectPlacement placement = cluster.processes().admin(1).placement(BUCKET, "victim").orElseThrow();
        String objectId = placement.segments().get(0).objectId();
        List<ShardPlacement> shards = placement.segments().get(0).shards();
        int writer = ShardId.writerOf(objectId);
        assertThat(writer).as("the shard set id %s names its writer", objectId).isBetween(1, 5);
        // Y: a node holding a shard of the object that did not write it; X: any other node.
        ShardPlacement onY = shards.stream().filter(s -> node(s) != writer).findFirst().orElseThrow();
        int y = node(onY);
        int x = shards.stream().mapToInt(ShardTrustClusterIT::node).filter(n -> n != y && n != writer).findFirst()
                .orElseThrow();
        int z = shards.stream().mapToInt(ShardTrustClusterIT::node).filter(n -> n != y && n != x && n != writer)
                .findFirst().orElseThrow();
        ShardId live = new ShardId(objectId, onY.index());
        ShardWarrant victimRecord = ShardWarrant.of(ShardWarrant.Kind.OBJECT, MetaKeys.object(BUCKET, "victim"));
        ShardWarrant otherRecord = ShardWarrant.of(ShardWarrant.Kind.OBJECT, MetaKeys.object(BUCKET, "other"));
        byte[] forged = new byte[64 * 1024];
        ShardClient thief = as(x, y);
        ShardClient thiefAsWriter = as(writer, y);

        // Overwrite the live shard: as another node (not its writer), and even as the node that wrote it.
        assertThatThrownBy(() -> put(thief, live, ShardWarrant.NONE, forged))
                .isInstanceOf(ShardAccessDeniedException.class).hasMessageContaining("NOT_WRITER");
        assertThatThrownBy(() -> put(thief, live, ShardWarrant.of(ShardWarrant.Kind.REPAIR,
                MetaKeys.utf8(objectId)), forged)).isInstanceOf(ShardAccessDeniedException.class);
        assertThatThrownBy(() -> put(thiefAsWriter, live, ShardWarrant.NONE, forged))
                .isInstanceOf(ShardExistsException.class).hasMessageContaining("never rewritten");

        // New shards in the namespace of Y or Z (so that their ids would be taken or their writes pre-empted).
        for (int owner : List.of(y, z)) {
            ShardId squatted = new ShardId(ShardId.writerPrefix(owner) + "0000018f00000000-"
                    + "0".repeat(31) + owner, 0);
            assertThatThrownBy(() -> put(thief, squatted, ShardWarrant.NONE, forged))
                    .as("a shard in node %d's namespace", owner)
                    .isInstanceOf(ShardAccessDeniedException.class).hasMessageContaining("NOT_WRITER");
        }
        // In its own namespace the same client writes a new shard (it is X's to make), but even that one it may
        // delete only under a tombstone that lists it.
        ShardId own = new ShardId(ShardId.writerPrefix(x) + "0000018f00000000-" + "f".repeat(32), 0);
        assertThat(put(thief, own, ShardWarrant.NONE, forged)).isEqualTo(forged.length);
        assertThatThrownBy(() -> thief.delete(own, ShardWarrant.NONE)).isInstanceOf(ShardAccessDeniedException.class);

        // Read the live shard without a record that lists it on Y: none, another object's, a made-up key.
        for (ShardWarrant w : List.of(ShardWarrant.NONE, otherRecord, ShardWarrant.of(ShardWarrant.Kind.OBJECT,
                MetaKeys.object(BUCKET, "no-such-key")), ShardWarrant.of(ShardWarrant.Kind.TOMBSTONE,
                "made-up".getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> read(thief, live, w)).as("GET with %s", w)
                    .isInstanceOf(ShardAccessDeniedException.class);
            assertThatThrownBy(() -> thief.stat(live, w)).as("STAT with %s", w)
                    .isInstanceOf(ShardAccessDeniedException.class);
        }
        // What a gateway does: read the shard the object's record lists on Y.
        assertThat(read(thief, live, victimRecord)).hasSize(100);

        // Delete the live shard: without a warrant, under the object's record, under a made-up tombstone, as a
        // repair; and as its writer.
        for (ShardWarrant w : List.of(ShardWarrant.NONE, victimRecord,
                ShardWarrant.of(ShardWarrant.Kind.TOMBSTONE, "made-up".getBytes(StandardCharsets.UTF_8)),
                ShardWarrant.of(ShardWarrant.Kind.REPAIR, MetaKeys.utf8(objectId)))) {
            assertThatThrownBy(() -> thief.delete(live, w)).as("DELETE with %s", w)
                    .isInstanceOf(ShardAccessDeniedException.class);
            assertThatThrownBy(() -> thiefAsWriter.delete(live, w)).as("DELETE by the writer with %s", w)
                    .isInstanceOf(ShardAccessDeniedException.class);
        }

        // The shard is there, unchanged, and the object reads back byte-exact from every node.
        assertThat(thief.stat(live, victimRecord)).isPresent();
        assertReadsBackExactly("victim", 11);

        // Y said who was refused and why, in a bounded number of lines however many refusals.
        for (int i = 0; i < 200; i++) {
            assertThatThrownBy(() -> thief.delete(live, ShardWarrant.NONE))
                    .isInstanceOf(ShardAccessDeniedException.class);
        }
        String log = cluster.processes().log(y);
        assertThat(log).contains("refused a shard request from node " + x + ": not the writer of this shard")
                .contains("refused a shard request from node " + x + ": no metadata record entitles the request")
                .contains("refused a shard request from node " + writer + ": no metadata record entitles the request");
        long lines = log.lines().filter(l -> l.contains("refused a shard request from node " + x + ": no metadata"))
                .count();
        assertThat(lines).as("lines for one peer and cause").isLessThanOrEqualTo(2);
        assertThat(log).doesNotContain("ShardAccessDeniedException");
    }

    @Test
    void legitimateWrites_reads_multipart_andDeletes_stillWork_andDeletedShardsAreReaped() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET + "-legit"));
        String bucket = BUCKET + "-legit";
        List<String> sets = new ArrayList<>();
        s3.putObject(b -> b.bucket(bucket).key("plain"), Generated.body(21, SIZE));
        sets.add(cluster.processes().admin(2).placement(bucket, "plain").orElseThrow().segments().get(0).objectId());
        s3.putObject(b -> b.bucket(bucket).key("plain"), Generated.body(22, SIZE)); // replaced: a new set
        assertThat(Generated.md5(s3.getObject(b -> b.bucket(bucket).key("plain"))))
                .isEqualTo(Generated.md5(22, 0, SIZE));

        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("multi")).uploadId();
        byte[] part1 = random(5 * 1024 * 1024, 1);
        byte[] part2 = random(300_000, 2);
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("multi").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(random(5 * 1024 * 1024, 9))).eTag();
        // Part 1 uploaded again: a new shard set replaces the first, which is reaped.
        e1 = s3.uploadPart(b -> b.bucket(bucket).key("multi").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key("multi").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        List<CompletedPart> parts = List.of(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                CompletedPart.builder().partNumber(2).eTag(e2).build());
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("multi").uploadId(upload)
                .multipartUpload(m -> m.parts(parts)));
        byte[] whole = s3.getObjectAsBytes(b -> b.bucket(bucket).key("multi")).asByteArray();
        byte[] expected = Arrays.copyOf(part1, part1.length + part2.length);
        System.arraycopy(part2, 0, expected, part1.length, part2.length);
        assertThat(whole).isEqualTo(expected);

        for (String key : List.of("plain", "multi")) {
            cluster.processes().admin(2).placement(bucket, key).orElseThrow().segments()
                    .forEach(s -> sets.add(s.objectId()));
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
        // Every tombstone naming these sets (and the replaced ones) goes once all their shards are deleted, which
        // the nodes allow only under the tombstone.
        Function<MetadataEntry, String> text = e -> new String(e.value(), StandardCharsets.ISO_8859_1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(cluster.processes().admin(3).metaScan(MetaTable.TOMBSTONES.name(), new byte[0], 1000))
                        .extracting(text)
                        .noneMatch(t -> sets.stream().anyMatch(t::contains)));
        for (int id : cluster.processes().nodeIds()) {
            assertThat(cluster.processes().log(id).lines().filter(l -> l.contains("refused a shard request")))
                    .as("node %d log", id).noneMatch(l -> sets.stream().anyMatch(l::contains));
        }
    }
}
