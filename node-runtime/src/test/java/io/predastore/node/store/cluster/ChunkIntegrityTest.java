package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.SegmentShardStore;
import io.predastore.node.shard.ShardCorruptException;
import io.predastore.node.shard.ShardId;
import io.predastore.node.shard.ShardWriter;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.StorageError;
import io.predastore.node.store.StorageException;
import io.predastore.node.store.cluster.ClusterRecords.RepairNeeded;
import io.predastore.node.store.meta.ObjectRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk checksums end to end on RS 3+2 over five in-process shard stores and a real metadata store: a shard whose
 * bytes were rewritten consistently on its node (the node's own checksums match) is detected by the reader,
 * parity serves the right bytes, the shard is recorded and rebuilt in place; with more shards damaged than parity
 * covers a read fails instead of returning wrong bytes; records written without checksums are still served.
 */
class ChunkIntegrityTest {
    private static final String BUCKET = "integrity";
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private LocalRouter router;
    private LocalMetadataStore meta;
    private DistributedBackend backend;

    @BeforeEach
    void open() throws IOException {
        cluster = LocalCluster.open(dir, BUCKET, 5, CHUNK);
        router = cluster.router();
        meta = cluster.meta();
        backend = cluster.backend();
    }

    @AfterEach
    void close() throws Exception {
        cluster.close();
    }

    private ShardSet setOf(String key) throws IOException {
        return record(key).segments().get(0);
    }

    private ObjectRecord<ShardSet> record(String key) throws IOException {
        return ClusterRecords.decodeObject(meta.get(MetaTable.OBJECTS, MetaKeys.object(BUCKET, key)).orElseThrow());
    }

    private byte[] shardBytes(ShardSet set, int index) throws IOException {
        long length = set.layout().shardLength(set.length());
        try (InputStream in = router.local(set.node(index)).open(new ShardId(set.objectId(), index), 0, length)) {
            return in.readAllBytes();
        }
    }

    /** Rewrites a shard on its node with one byte changed at {@code at}, as a faulty node would: consistently. */
    static void rewrite(SegmentShardStore store, ShardId id, long length, long at) throws IOException {
        byte[] bytes;
        try (InputStream in = store.open(id, 0, length)) {
            bytes = in.readAllBytes();
        }
        bytes[(int) at] ^= 0x5A;
        store.delete(id); // the store never rewrites an id; a faulty disk or node does it underneath
        ShardWriter w = store.create(id);
        w.write(ByteBuffer.wrap(bytes));
        w.commit();
    }

    private byte[] range(String key, long offset, long length) throws IOException {
        try (ObjectHandle h = backend.getObject(BUCKET, key); ObjectBody body = h.open(offset, length);
                InputStream in = body.openStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void newSets_recordEveryChunkChecksum() throws IOException {
        byte[] data = BackendObjects.random(500_000, 1);
        BackendObjects.put(backend, BUCKET, "k", data);
        ShardSet set = setOf("k");
        long stripes = set.layout().stripeCount(set.length());
        assertThat(stripes).isGreaterThan(1);
        assertThat(set.chunkCrcs()).hasSize((int) (stripes * 5));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        byte[] shard3 = shardBytes(set, 3);
        crc.update(shard3, set.chunkSize(), set.chunkSize());
        assertThat(set.chunkCrc(3, 1)).isEqualTo((int) crc.getValue());
    }

    @Test
    void aShardRewrittenOnItsNode_isReadAroundReportedAndRebuiltInPlace() throws IOException {
        byte[] data = BackendObjects.random(500_000, 2);
        BackendObjects.put(backend, BUCKET, "k", data);
        ShardSet set = setOf("k");
        byte[] original = shardBytes(set, 1);
        rewrite(router.local(set.node(1)), new ShardId(set.objectId(), 1), original.length, set.chunkSize() + 7);
        assertThat(shardBytes(set, 1)).isNotEqualTo(original);

        assertThat(BackendObjects.read(backend, BUCKET, "k")).isEqualTo(data);
        assertThat(range("k", set.layout().stripeBytes(), 1000))
                .isEqualTo(Arrays.copyOfRange(data, (int) set.layout().stripeBytes(),
                        (int) set.layout().stripeBytes() + 1000));

        List<MetaEntry> repairs = meta.scan(MetaTable.REPAIRS, new byte[0], null, 10);
        assertThat(repairs).hasSize(1);
        RepairNeeded entry = ClusterRecords.decodeRepair(repairs.get(0).value());
        assertThat(entry.corrupt()).containsExactly(1);
        assertThat(entry.key()).isEqualTo("k");

        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        assertThat(shardBytes(set, 1)).isEqualTo(original);
        assertThat(setOf("k")).isEqualTo(set);
        assertThat(meta.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
    }

    /**
     * Bytes rotted on disk under a node (its own record checksums no longer match, so the node refuses the shard as
     * corrupt rather than send it): the read goes around it, and the shard is reported and rebuilt like one whose
     * bytes arrived wrong. Once only the gateway's check reported damage, so rot a node found itself was read
     * around for ever and the set stayed a shard short.
     */
    @Test
    void aShardRottedOnDisk_theNodeRefusesIt_isReadAroundReportedAndRebuiltInPlace() throws IOException {
        byte[] data = BackendObjects.random(500_000, 6);
        BackendObjects.put(backend, BUCKET, "k", data);
        ShardSet set = setOf("k");
        byte[] original = shardBytes(set, 0);
        // A stretch of the second chunk is unique in the node's files (random data): flip a byte of it on disk.
        byte[] needle = Arrays.copyOfRange(original, set.chunkSize() + 100, set.chunkSize() + 164);
        flipOnDisk(dir.resolve("shards").resolve("node-" + set.node(0)), needle);
        assertThatThrownBy(() -> shardBytes(set, 0)).isInstanceOf(ShardCorruptException.class);

        assertThat(BackendObjects.read(backend, BUCKET, "k")).isEqualTo(data);

        List<MetaEntry> repairs = meta.scan(MetaTable.REPAIRS, new byte[0], null, 10);
        assertThat(repairs).as("the shard its node refused is recorded for repair").hasSize(1);
        assertThat(ClusterRecords.decodeRepair(repairs.get(0).value()).corrupt()).containsExactly(0);
        assertThat(backend.repairShards()).isEqualTo(new RepairRound(1, 0, 0));
        assertThat(shardBytes(set, 0)).isEqualTo(original);
        assertThat(meta.scan(MetaTable.REPAIRS, new byte[0], null, 10)).isEmpty();
    }

    /** Flips the first byte of {@code needle} where it occurs in a segment file under {@code nodeDir}. */
    private static void flipOnDisk(Path nodeDir, byte[] needle) throws IOException {
        try (var files = Files.walk(nodeDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (int at = 0; at + needle.length <= bytes.length; at++) {
                    if (Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) {
                        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                            ch.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 0x20)}), at);
                        }
                        return;
                    }
                }
            }
        }
        throw new AssertionError("the shard bytes were not found in any segment under " + nodeDir);
    }

    @Test
    void moreShardsDamagedThanParity_failsBeforeAnyByte() throws IOException {
        byte[] data = BackendObjects.random(300_000, 3);
        BackendObjects.put(backend, BUCKET, "k", data);
        ShardSet set = setOf("k");
        long length = set.layout().shardLength(set.length());
        for (int i : new int[] {0, 2, 4}) {
            rewrite(router.local(set.node(i)), new ShardId(set.objectId(), i), length, 3);
        }
        assertThatThrownBy(() -> BackendObjects.read(backend, BUCKET, "k"))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.error()).isEqualTo(StorageError.UNAVAILABLE));
    }

    @Test
    void aDamageFoundAfterTheFirstStripe_failsTheStreamNotWithWrongBytes() throws IOException {
        byte[] data = BackendObjects.random(500_000, 4);
        BackendObjects.put(backend, BUCKET, "k", data);
        ShardSet set = setOf("k");
        long length = set.layout().shardLength(set.length());
        for (int i : new int[] {0, 2, 4}) {
            rewrite(router.local(set.node(i)), new ShardId(set.objectId(), i), length, set.chunkSize() + 1);
        }
        try (ObjectHandle h = backend.getObject(BUCKET, "k"); ObjectBody body = h.open(0, data.length);
                InputStream in = body.openStream()) {
            byte[] first = in.readNBytes((int) set.layout().stripeBytes());
            assertThat(first).isEqualTo(Arrays.copyOf(data, first.length));
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot reconstruct stripe");
        }
    }

    @Test
    void aRecordWrittenWithoutChecksums_isStillServed() throws IOException {
        byte[] data = BackendObjects.random(200_000, 5);
        BackendObjects.put(backend, BUCKET, "k", data);
        ObjectRecord<ShardSet> r = record("k");
        ShardSet set = r.segments().get(0);
        ShardSet legacy = new ShardSet(set.objectId(), set.length(), 3, 2, set.chunkSize(), set.nodes());
        byte[] v1 = ClusterRecordsTest.encodeVersion1(ObjectRecord.stored(r.header(), List.of(legacy)));
        meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, MetaKeys.object(BUCKET, "k"), v1)));
        assertThat(setOf("k").hasChunkCrcs()).isFalse();
        assertThat(BackendObjects.read(backend, BUCKET, "k")).isEqualTo(data);
    }
}
