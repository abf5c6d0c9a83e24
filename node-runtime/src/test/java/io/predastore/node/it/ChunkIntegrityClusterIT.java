package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.predastore.client.MetadataEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.protocol.admin.JobStatus;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A five-node RS(3,2) cluster, each node its own JVM. With the nodes stopped, shards are rewritten on their disks
 * through the segment store's own code (so every checksum the node keeps still matches) or deleted; the nodes are
 * started again. Reads through S3 then return exactly the stored bytes (whole objects and ranges, single- and
 * multi-stripe, multipart), the damaged shards are reported and rebuilt in place; an object with more damaged
 * shards than parity covers is answered 503 before any body, or cut off mid-body, never with wrong bytes; an
 * object whose shards are gone is answered 503 ServiceUnavailable. Entries that do not decode, put into the
 * metadata, are set aside by the background jobs, which go on and say so in the admin status.
 */
class ChunkIntegrityClusterIT {
    private static final String BUCKET = "integrity";
    private static final int VICTIM = 2;
    private static final long MULTI = 3L * 1024 * 1024 + 77;
    private static final long PART = 5L * 1024 * 1024;

    @TempDir
    static Path tmp;
    static ClusterProcesses cluster;
    static S3Client viaVictim;
    static S3Client viaOther;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterProcesses.up(tmp.resolve("cluster"), 5, 3, 2);
        viaVictim = cluster.s3(VICTIM);
        viaOther = cluster.s3(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (viaVictim != null) {
            viaVictim.close();
            viaOther.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ObjectPlacement placement(String key) throws IOException {
        return cluster.admin(1).placement(BUCKET, key).orElseThrow();
    }

    /** The index of the segment's shard on {@code node}. */
    private static int shardOn(SegmentPlacement segment, int node) {
        return segment.shards().stream().filter(s -> ("node-" + node).equals(s.nodeId())).findFirst()
                .map(ShardPlacement::index).orElseThrow();
    }

    private static Path dataDir(int node) {
        return cluster.config().node(node).dataDir();
    }

    private static String md5(S3Client s3, String key, String range) {
        return Generated.md5(s3.getObject(b -> b.bucket(BUCKET).key(key).range(range)));
    }

    private static String md5(S3Client s3, String key) {
        return Generated.md5(s3.getObject(b -> b.bucket(BUCKET).key(key)));
    }

    @Test
    void damagedShards_areReadAround_reported_andRebuilt_andTooManyAreAnErrorNeverWrongBytes() throws Exception {
        viaOther.createBucket(b -> b.bucket(BUCKET));
        viaOther.putObject(b -> b.bucket(BUCKET).key("small"), Generated.body(1, 100_000));
        viaOther.putObject(b -> b.bucket(BUCKET).key("multi"), Generated.body(2, MULTI));
        String upload = viaOther.createMultipartUpload(b -> b.bucket(BUCKET).key("mp")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int part = n;
            long size = n == 1 ? PART : 1_000_000;
            String etag = viaOther.uploadPart(b -> b.bucket(BUCKET).key("mp").uploadId(upload).partNumber(part),
                    Generated.body(3, (part - 1) * PART, size)).eTag();
            parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
        }
        viaOther.completeMultipartUpload(b -> b.bucket(BUCKET).key("mp").uploadId(upload)
                .multipartUpload(m -> m.parts(parts)));
        viaOther.putObject(b -> b.bucket(BUCKET).key("doomed"), Generated.body(4, 1_000_000));
        viaOther.putObject(b -> b.bucket(BUCKET).key("late"), Generated.body(5, MULTI));
        viaOther.putObject(b -> b.bucket(BUCKET).key("gone"), Generated.body(6, 200_000));
        long mpSize = PART + 1_000_000;

        Map<String, ObjectPlacement> placements = new HashMap<>();
        for (String key : List.of("small", "multi", "mp", "doomed", "late", "gone")) {
            placements.put(key, placement(key));
        }

        // Three nodes down at once (so also no metadata majority): rewrite and delete shards on their disks.
        List<Integer> damaged = List.of(VICTIM, 3, 4);
        damaged.forEach(cluster::stop);
        Map<String, byte[]> originals = new HashMap<>();
        for (int node : damaged) {
            try (ShardSurgery disk = new ShardSurgery(dataDir(node))) {
                if (node == VICTIM) {
                    for (String key : List.of("small", "multi", "mp")) {
                        for (SegmentPlacement s : placements.get(key).segments()) {
                            int index = shardOn(s, node);
                            long middle = disk.read(s.objectId(), index).length / 2;
                            originals.put(s.objectId() + "/" + index, disk.flip(s.objectId(), index, middle));
                        }
                    }
                }
                SegmentPlacement doomed = placements.get("doomed").segments().get(0);
                disk.flip(doomed.objectId(), shardOn(doomed, node), 5); // the first stripe
                SegmentPlacement late = placements.get("late").segments().get(0);
                int lateIndex = shardOn(late, node);
                disk.flip(late.objectId(), lateIndex, disk.read(late.objectId(), lateIndex).length - 1);
                SegmentPlacement gone = placements.get("gone").segments().get(0);
                disk.delete(gone.objectId(), shardOn(gone, node));
            }
        }
        cluster.restartStopped();

        // Through the damaged node (its local shard is read first) and through another one.
        for (S3Client s3 : List.of(viaVictim, viaOther)) {
            await().ignoreExceptions().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(md5(s3, "small")).isEqualTo(Generated.md5(1, 0, 100_000)));
            assertThat(md5(s3, "multi")).isEqualTo(Generated.md5(2, 0, MULTI));
            assertThat(md5(s3, "multi", "bytes=1000000-2100000")).isEqualTo(Generated.md5(2, 1_000_000, 1_100_001));
            assertThat(md5(s3, "mp")).isEqualTo(Generated.md5(3, 0, mpSize));
            assertThat(md5(s3, "mp", "bytes=" + (PART - 500_000) + "-" + (PART + 500_000)))
                    .isEqualTo(Generated.md5(3, PART - 500_000, 1_000_001));
        }

        for (String key : List.of("doomed", "gone")) {
            assertThatThrownBy(() -> viaOther.getObject(b -> b.bucket(BUCKET).key(key)).readAllBytes())
                    .as(key).isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    });
        }
        // The first stripes are good, so the answer starts; the connection is cut before a wrong byte.
        byte[] expected;
        try (InputStream in = Generated.stream(5, 0, MULTI)) {
            expected = in.readAllBytes();
        }
        try (ResponseInputStream<GetObjectResponse> in = viaOther.getObject(b -> b.bucket(BUCKET).key("late"))) {
            assertThat(in.response().contentLength()).isEqualTo(MULTI);
            byte[] got = new byte[(int) MULTI];
            int n = 0;
            try {
                for (int r; n < got.length && (r = in.read(got, n, got.length - n)) > 0; ) {
                    n += r;
                }
                throw new AssertionError("the whole body of 'late' arrived although it cannot be read");
            } catch (IOException | software.amazon.awssdk.core.exception.SdkClientException expectedCut) {
                assertThat(n).isLessThan((int) MULTI);
                assertThat(java.util.Arrays.copyOf(got, n)).isEqualTo(java.util.Arrays.copyOf(expected, n));
            }
        }

        // The damaged shards of the readable objects are rebuilt; the entries of the unreadable ones wait.
        List<String> repairable = new ArrayList<>();
        for (String key : List.of("small", "multi", "mp")) {
            placements.get(key).segments().forEach(s -> repairable.add(s.objectId()));
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> pending = cluster.admin(1).metaScan(MetaTable.REPAIRS.name(), new byte[0], 100).stream()
                    .map(MetadataEntry::key).map(k -> new String(k, StandardCharsets.UTF_8)).toList();
            assertThat(pending).doesNotContainAnyElementsOf(repairable)
                    .contains(placements.get("doomed").segments().get(0).objectId());
        });
        List<JobStatus> jobs = new ArrayList<>();
        for (int node : cluster.nodeIds()) {
            jobs.addAll(cluster.admin(node).status().jobs());
        }
        assertThat(jobs).extracting(JobStatus::name).contains("tombstone-sweep", "shard-repair", "shard-compaction");
        assertThat(jobs).filteredOn(j -> j.name().equals("shard-repair")).anySatisfy(j ->
                assertThat(j.runs()).isPositive());

        // The rebuilt shards hold their original bytes again.
        cluster.stop(VICTIM);
        try (ShardSurgery disk = new ShardSurgery(dataDir(VICTIM))) {
            for (Map.Entry<String, byte[]> e : originals.entrySet()) {
                String[] id = e.getKey().split("/");
                assertThat(disk.read(id[0], Integer.parseInt(id[1]))).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        assertThat(cluster.log(VICTIM) + cluster.log(1) + cluster.log(3) + cluster.log(4) + cluster.log(5))
                .contains("do not match their recorded checksum").contains("rebuilt shards");
    }
}
