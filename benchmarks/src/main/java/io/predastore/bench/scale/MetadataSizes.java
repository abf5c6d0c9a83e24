package io.predastore.bench.scale;

import io.predastore.node.checksum.ChecksumValue;
import io.predastore.node.erasure.StripeLayout;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaBatchCodec;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.RaftEntryProbe;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.MetaKeys;
import io.predastore.node.store.ObjectMetadata;
import io.predastore.node.store.cluster.ClusterRecordProbe;
import io.predastore.node.store.cluster.DistributedBackend;
import io.predastore.node.store.cluster.ShardSet;
import io.predastore.node.store.meta.BucketCodec;
import io.predastore.node.store.meta.ObjectHeader;
import io.predastore.node.store.meta.ObjectRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedOutputStream;

/**
 * Bytes of metadata per object, encoded by the product's own code: the object record as the cluster stores it (a
 * 40-byte key, an MD5 ETag, a content type, a CRC32 flexible checksum as current AWS SDKs send by default, and a
 * shard set with one CRC32C per chunk per shard, the chunk size fitted to the object as a gateway fits it; objects
 * up to {@link DistributedBackend#INLINE_LIMIT} bytes kept inline), the metadata batch of an unconditional PUT, the
 * sealed log data of a Raft entry carrying one or a group of such batches, and Ratis's own framing of that entry in
 * its segment files. Not counted: RocksDB's per-key overhead, compression and write amplification, and Ratis's
 * replication messages. Stateless.
 */
final class MetadataSizes {
    /** The Raft term and index written into the sized log entries: a long-lived cluster's index is large. */
    private static final long TERM = 7;
    private static final long INDEX = 1_000_000_000L;

    /**
     * The sizes of one object's metadata.
     *
     * @param objectSize the object's size in bytes
     * @param inline whether the record keeps the object's bytes
     * @param keyBytes bytes of the object's key in the objects table ({@code bucket 0x00 key})
     * @param recordBytes bytes of the encoded object record
     * @param batchBytes bytes of the PUT's encoded metadata batch
     * @param logBytesAlone bytes one PUT adds to each peer's Raft log when its entry carries only this PUT
     * @param logBytesGrouped bytes per PUT when an entry carries a group of {@code group} such PUTs
     * @param group PUTs per entry assumed for {@code logBytesGrouped}
     */
    record ObjectCost(long objectSize, boolean inline, int keyBytes, int recordBytes, int batchBytes,
            int logBytesAlone, double logBytesGrouped, int group) {

        /** What one replica of the metadata keeps per object: key and record. */
        int storedBytes() {
            return keyBytes + recordBytes;
        }
    }

    private MetadataSizes() {
    }

    /**
     * Encodes the metadata of one object of {@code objectSize} bytes written by a single PUT.
     *
     * @param objectSize object size in bytes
     * @param dataShards data shards per stripe
     * @param parityShards parity shards per stripe
     * @param group PUTs sharing one Raft entry for the grouped figure (group commit)
     * @return the sizes
     */
    static ObjectCost ofPut(long objectSize, int dataShards, int parityShards, int group) {
        SplittableRandom random = new SplittableRandom(objectSize);
        Instant now = Instant.parse("2026-12-07T12:00:00.123Z");
        String bucket = ObjectSpread.BUCKET;
        List<MetaBatch> batches = new ArrayList<>(group);
        ObjectRecord<ShardSet> record = null;
        byte[] encoded = null;
        byte[] bucketRecord = BucketCodec.encode(new BucketInfo(bucket, now, "us-east-1"));
        for (int i = 0; i < group; i++) {
            String key = ObjectSpread.key(i);
            record = record(objectSize, dataShards, parityShards, now, random);
            encoded = ClusterRecordProbe.objectRecord(record);
            batches.add(ClusterRecordProbe.unconditionalPut(bucket, key, bucketRecord, encoded, now));
        }
        String sender = MetaPeerConfig.peerIdOf(1000);
        int alone = ratisStoredBytes(RaftEntryProbe.logData(sender, batches.subList(0, 1)));
        int grouped = ratisStoredBytes(RaftEntryProbe.logData(sender, batches));
        return new ObjectCost(objectSize, record.isInline(), MetaKeys.object(bucket, ObjectSpread.key(0)).length,
                encoded.length, MetaBatchCodec.encode(batches.get(0)).length, alone,
                (double) grouped / group, group);
    }

    private static ObjectRecord<ShardSet> record(long objectSize, int dataShards, int parityShards, Instant now,
            SplittableRandom random) {
        byte[] md5 = new byte[16];
        random.nextBytes(md5);
        byte[] crc32 = new byte[4];
        random.nextBytes(crc32);
        ObjectHeader header = new ObjectHeader(objectSize, HexFormat.of().formatHex(md5), now,
                new ObjectMetadata("image/jpeg", null, null, null, null, null, Map.of()), 0,
                new ChecksumValue("CRC32", Base64.getEncoder().encodeToString(crc32), "FULL_OBJECT"));
        if (objectSize <= DistributedBackend.INLINE_LIMIT) {
            byte[] bytes = new byte[(int) objectSize];
            random.nextBytes(bytes);
            return ObjectRecord.inline(header, bytes);
        }
        int chunkSize = StripeLayout.fittedChunkSize(objectSize, dataShards, StripeLayout.DEFAULT_CHUNK_SIZE);
        int width = dataShards + parityShards;
        long stripes = new StripeLayout(dataShards, parityShards, chunkSize).stripeCount(objectSize);
        int[] crcs = new int[Math.toIntExact(stripes * width)];
        for (int i = 0; i < crcs.length; i++) {
            crcs[i] = random.nextInt();
        }
        int[] nodes = new int[width];
        for (int i = 0; i < width; i++) {
            nodes[i] = 990 + i; // node ids of a large cluster: the bytes are the same for any id
        }
        ShardSet set = new ShardSet(ClusterRecordProbe.newShardSetId(1000, now), objectSize, dataShards,
                parityShards, chunkSize, nodes, crcs);
        return ObjectRecord.stored(header, Collections.singletonList(set));
    }

    /**
     * Bytes Ratis writes to a log segment for an entry with this state-machine data: the entry's protobuf (term,
     * index, a 16-byte client id, a call id and the data) preceded by its varint length and followed by a 4-byte
     * checksum ({@code SegmentedRaftLogOutputStream} in Ratis 3.3).
     */
    static int ratisStoredBytes(byte[] logData) {
        byte[] clientId = new byte[16];
        LogEntryProto entry = LogEntryProto.newBuilder().setTerm(TERM).setIndex(INDEX)
                .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
                        .setClientId(ByteString.copyFrom(clientId)).setCallId(INDEX)
                        .setLogData(ByteString.copyFrom(logData)))
                .build();
        int size = entry.getSerializedSize();
        return CodedOutputStream.computeUInt32SizeNoTag(size) + size + 4;
    }
}
