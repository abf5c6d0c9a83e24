package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.predastore.client.MetadataEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.cluster.DamageReport;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.ScrubProgress;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.admin.ShardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A three-node RS(2,1) cluster, each node its own JVM, scrubbing fast (64 MiB/s, a pass every second). Sixteen bytes
 * inside a chunk of a live shard record are flipped in a segment file of a running node; its scrubber finds the
 * shard, writes a CORRUPT damage report naming it to the DAMAGE table and publishes its progress to HEALTH, and every
 * object still reads back byte-exact through S3 (the damaged shard is refused and rebuilt from the others).
 */
class ScrubberClusterIT {
    private static final String BUCKET = "scrubbed";
    private static final int VICTIM = 2;
    private static final long SIZE = 1_500_000;

    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        // Protection passes every 20 s: the damage report stays long enough to be seen before a pass consumes it.
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 3, 2, 1, text -> text.replaceFirst("\n\\[\\[node]]",
                "\n[tuning]\nscrub_bytes_per_second = 67108864\nscrub_pass_interval_ms = 1000\n"
                        + "protection_check_interval_ms = 20000\n\n[[node]]"), "128m");
        s3 = cluster.s3(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void flippedBytesInALiveShard_reportedToDamage_andEveryObjectStillReadsBack() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        List<String> keys = List.of("a", "b", "c");
        for (int i = 0; i < keys.size(); i++) {
            int seed = i;
            s3.putObject(p -> p.bucket(BUCKET).key(keys.get(seed)), Generated.body(seed, SIZE));
        }
        ObjectPlacement placement = cluster.admin(1).placement(BUCKET, "a").orElseThrow();
        SegmentPlacement segment = placement.segments().get(0);
        int index = segment.shards().stream().filter(s -> ("node-" + VICTIM).equals(s.nodeId())).findFirst()
                .map(ShardPlacement::index).orElseThrow();

        flipInsideFirstChunk(cluster.config().node(VICTIM).dataDir(), segment.objectId(), index);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<DamageReport> reports = new ArrayList<>();
            for (MetadataEntry e : cluster.admin(1).metaScan(MetaTable.DAMAGE.name(), new byte[0], 100)) {
                reports.add(DamageReport.decode(e.key(), e.value()));
            }
            assertThat(reports).anySatisfy(r -> {
                assertThat(r.setId()).isEqualTo(segment.objectId());
                assertThat(r.index()).isEqualTo(index);
                assertThat(r.node()).isEqualTo(VICTIM);
                assertThat(r.cause()).isEqualTo(DamageReport.Cause.CORRUPT);
            });
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<MetadataEntry> health = cluster.admin(1).metaScan(MetaTable.HEALTH.name(),
                    ("scrub/node-" + VICTIM).getBytes(StandardCharsets.UTF_8), 10);
            assertThat(health).hasSize(1);
            ScrubProgress p = AdminJson.read(health.get(0).value(), ScrubProgress.class);
            assertThat(p.nodeId()).isEqualTo("node-" + VICTIM);
            assertThat(p.corruptionsFound()).isPositive();
            assertThat(p.bytesPerSecond()).isEqualTo(64L << 20);
        });
        assertThat(cluster.admin(VICTIM).metrics()).contains("predastore_scrub_bytes_verified_total",
                "predastore_scrub_passes_total", "predastore_scrub_pass_progress_ratio")
                .containsPattern("predastore_scrub_corruptions_total [1-9]");
        readEveryObjectThroughEveryNode(keys);

        // The leader's protection pass turns the report into a repair; the shard is rebuilt in place.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ObjectPlacement now = cluster.admin(1).placement(BUCKET, "a").orElseThrow();
            assertThat(now.segments().get(0).shards()).allSatisfy(sh -> assertThat(sh.state())
                    .as("shard %d on %s", sh.index(), sh.nodeId()).isEqualTo(ShardState.PRESENT));
            ProtectionReport report = cluster.admin(1).protection();
            assertThat(report.summaryLine()).isEqualTo("protection: 3 full, 0 degraded, 0 at risk, 0 unreadable");
            assertThat(cluster.admin(1).metaScan(MetaTable.DAMAGE.name(), new byte[0], 100)).isEmpty();
        });
        readEveryObjectThroughEveryNode(keys);
    }

    private static void readEveryObjectThroughEveryNode(List<String> keys) throws Exception {
        for (int node : cluster.nodeIds()) {
            try (S3Client client = cluster.s3(node)) {
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.get(i);
                    byte[] got = client.getObject(g -> g.bucket(BUCKET).key(key), ResponseTransformer.toBytes())
                            .asByteArray();
                    assertThat(got).hasSize((int) SIZE);
                    assertThat(Generated.md5(new java.io.ByteArrayInputStream(got))).as("object %s via node %d", key,
                            node).isEqualTo(Generated.md5(i, 0, SIZE));
                }
            }
        }
    }

    /**
     * Flips 16 bytes in the payload of the first chunk of the shard's record, found by its header (magic, version,
     * type, id length, id, index: see SegmentShardStore) in the node's segment files, while the node runs.
     */
    private static void flipInsideFirstChunk(Path dataDir, String objectId, int index) throws IOException {
        byte[] name = objectId.getBytes(StandardCharsets.US_ASCII);
        byte[] header = ByteBuffer.allocate(9 + name.length).putInt(0x50534852).put((byte) 1).put((byte) 1)
                .putShort((short) name.length).put(name).put((byte) index).array();
        List<Path> files;
        try (Stream<Path> s = Files.list(dataDir.resolve("shards").resolve("segments"))) {
            files = s.sorted().toList();
        }
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (int at = 0; at + header.length <= content.length; at++) {
                if (Arrays.equals(content, at, at + header.length, header, 0, header.length)) {
                    long payload = at + 17L + name.length + 8 + 1000; // past the chunk frame's length and CRC32C
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        ByteBuffer b = ByteBuffer.allocate(16);
                        ch.read(b, payload);
                        for (int i = 0; i < 16; i++) {
                            b.put(i, (byte) ~b.get(i));
                        }
                        ch.write(b.rewind(), payload);
                        ch.force(true);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("no record of shard " + index + " of " + objectId + " in " + files);
    }
}
