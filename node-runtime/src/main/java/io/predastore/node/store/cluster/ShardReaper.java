package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetadataStore;
import io.predastore.node.shard.ShardId;
import io.predastore.node.store.MetaKeys;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the shards of replaced or deleted objects. Deletes commit a tombstone (the shard sets to remove) in the
 * same metadata batch that removes the record; the reaper then deletes the shards from their nodes and removes
 * the tombstone. A tombstone whose nodes are down stays and is retried by {@link #sweep()}; one that does not
 * decode is moved to the {@link Quarantine} and the sweep goes on. Thread-safe.
 */
final class ShardReaper {
    /** The job name in logs and quarantine records. */
    static final String JOB = "tombstone-sweep";
    private static final Logger LOG = LoggerFactory.getLogger(ShardReaper.class);
    private static final byte[] EMPTY = new byte[0];

    private final MetadataStore meta;
    private final ShardRouter router;
    private final Quarantine quarantine;

    ShardReaper(MetadataStore meta, ShardRouter router, Quarantine quarantine) {
        this.meta = meta;
        this.router = router;
        this.quarantine = quarantine;
    }

    /** What one sweep did: tombstones fully reaped, left for later, and set aside because they do not decode. */
    record Sweep(int reaped, int pending, int quarantined) {
        @Override
        public String toString() {
            return reaped + " reaped, " + pending + " pending, " + quarantined + " quarantined";
        }
    }

    private enum Reaped {
        DONE,
        PENDING,
        QUARANTINED
    }

    /**
     * First byte of the key of a tombstone that holds a whole replaced object record (written by
     * {@link #replacing}) rather than a list of shard sets. Other tombstone ids are lowercase hex.
     */
    private static final byte REPLACED_RECORD = 'r';
    /**
     * First byte of the key of a tombstone of shards moved off a lost node by a repair: {@code 'm'}, a new id
     * ({@link ClusterContext#newObjectId}, 30 characters), then the key of the object whose record (or upload part)
     * the shards were moved for. Before deleting one of its shards, the reaper checks that neither this record nor
     * a part of an upload in progress for the key names the shard again (a later repair or move may have put the
     * same shard back on that node), so it never deletes a shard in use.
     */
    private static final byte MOVED_SHARDS = 'm';
    /** Uploads in progress for one key, and parts of one upload, that a moved-shards check reads (S3's limits). */
    private static final int MAX_UPLOADS_CHECKED = 1000;
    private static final int MAX_PARTS_CHECKED = 10_000;
    private static final int MOVED_ID_LENGTH = 1 + 30;

    /** The tombstone put that goes with a record removal. */
    static MetaBatch.Put tombstone(String id, List<ShardSet> sets) {
        return new MetaBatch.Put(MetaTable.TOMBSTONES, id.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ClusterRecords.encodeTombstone(sets));
    }

    /**
     * Writes {@code record} under {@code key} and, if the key held a record, keeps that replaced record as the
     * tombstone {@link #replacedId replacedId(id)}, all in one metadata write and without reading it first.
     */
    static MetaBatch.Replace replacing(byte[] key, byte[] record, String id) {
        return new MetaBatch.Replace(MetaTable.OBJECTS, key, record, MetaTable.TOMBSTONES,
                replacedId(id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The tombstone id under which {@link #replacing} keeps a replaced record. */
    static String replacedId(String id) {
        return (char) REPLACED_RECORD + id;
    }

    /** The tombstone key of shards moved off a lost node for the object under {@code objectKey}. */
    static byte[] movedKey(String id, byte[] objectKey) {
        if (id.length() != MOVED_ID_LENGTH - 1) {
            throw new IllegalArgumentException("a moved-shards tombstone id has " + (MOVED_ID_LENGTH - 1)
                    + " characters, not " + id.length());
        }
        return MetaKeys.concat(MetaKeys.utf8((char) MOVED_SHARDS + id), objectKey);
    }

    /** The tombstone put of {@code sets} under {@code key}. */
    static MetaBatch.Put tombstone(byte[] key, List<ShardSet> sets) {
        return new MetaBatch.Put(MetaTable.TOMBSTONES, key, ClusterRecords.encodeTombstone(sets));
    }

    /**
     * The shards of a moved-shards tombstone that the object's record names again at the same index and node (so
     * they must stay), as {@code objectId/index@node}; empty for other tombstones.
     */
    private java.util.Set<String> stillNamed(byte[] key) throws IOException {
        if (key.length <= MOVED_ID_LENGTH || key[0] != MOVED_SHARDS) {
            return java.util.Set.of();
        }
        byte[] objectKey = java.util.Arrays.copyOfRange(key, MOVED_ID_LENGTH, key.length);
        var record = meta.get(MetaTable.OBJECTS, objectKey);
        java.util.Set<String> named = new java.util.HashSet<>();
        List<ShardSet> sets = new java.util.ArrayList<>();
        if (record.isPresent()) {
            sets.addAll(ClusterRecords.decodeObject(record.get()).segments());
        }
        // Shards of a part moved off a draining node: the part record, while its upload is in progress.
        byte[] uploads = MetaKeys.concat(objectKey, new byte[] {0});
        for (MetaEntry upload : meta.scan(MetaTable.UPLOADS, uploads, null, MAX_UPLOADS_CHECKED)) {
            byte[] uploadId = java.util.Arrays.copyOfRange(upload.key(), uploads.length, upload.key().length);
            for (MetaEntry part : meta.scan(MetaTable.PARTS, uploadId, null, MAX_PARTS_CHECKED)) {
                if (part.key().length == uploadId.length + Integer.BYTES) {
                    sets.add(ClusterRecords.decodePart(part.value()).location());
                }
            }
        }
        for (ShardSet set : sets) {
            for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
                named.add(set.objectId() + "/" + i + "@" + set.node(i));
            }
        }
        return named;
    }

    /** Reaps one tombstone in the background. */
    void reapLater(String id, Executor executor) {
        reapLater(id.getBytes(java.nio.charset.StandardCharsets.UTF_8), executor);
    }

    /** Reaps the tombstone under {@code key} in the background. */
    void reapLater(byte[] key, Executor executor) {
        executor.execute(() -> reap(key));
    }

    /**
     * Retries every tombstone.
     *
     * @throws IOException if the metadata store cannot be read (the sweep stops; the next one starts over)
     */
    Sweep sweep() throws IOException {
        int done = 0;
        int pending = 0;
        int quarantined = 0;
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = meta.scan(MetaTable.TOMBSTONES, EMPTY, from, 100);
            for (MetaEntry e : page) {
                switch (reap(e.key())) {
                    case DONE -> done++;
                    case QUARANTINED -> quarantined++;
                    default -> pending++;
                }
            }
            if (page.size() < 100) {
                return new Sweep(done, pending, quarantined);
            }
            byte[] last = page.get(page.size() - 1).key();
            from = java.util.Arrays.copyOf(last, last.length + 1);
        }
    }

    /**
     * Whether {@code set} is exactly the set its repair entry was recorded for. A tombstone of shards rebuilt by a
     * repair that could not be committed names only the rebuilt shards (the others {@link ShardSet#MISSING}); the
     * set it belongs to may still be in use and still need its repair, so reaping those shards keeps the entry.
     * An entry is only ever written once and then deleted, so no condition is needed on it.
     */
    private boolean isRecordedForRepair(ShardSet set) throws IOException {
        var repair = meta.get(MetaTable.REPAIRS, MetaKeys.utf8(set.objectId()));
        try {
            return repair.isPresent() && ClusterRecords.decodeRepair(repair.get()).set().equals(set);
        } catch (IOException e) {
            return false; // a damaged entry is the repairer's to set aside; it must not hold up this tombstone
        }
    }

    /** The shard sets a tombstone stored under {@code key} names. */
    static List<ShardSet> setsOfTombstone(byte[] key, byte[] value) throws IOException {
        return key.length > 0 && key[0] == REPLACED_RECORD ? ClusterRecords.decodeObject(value).segments()
                : ClusterRecords.decodeTombstone(value);
    }

    private Reaped reap(byte[] key) {
        try {
            var value = meta.get(MetaTable.TOMBSTONES, key);
            if (value.isEmpty()) {
                return Reaped.DONE;
            }
            boolean all = true;
            List<ShardSet> sets;
            try {
                sets = setsOfTombstone(key, value.get());
            } catch (IOException | RuntimeException e) {
                return quarantine.move(MetaTable.TOMBSTONES, key, value.get(), JOB, e.getMessage())
                        ? Reaped.QUARANTINED : Reaped.PENDING;
            }
            ShardWarrant warrant = ShardWarrant.of(ShardWarrant.Kind.TOMBSTONE, key);
            java.util.Set<String> inUse = stillNamed(key);
            // A node believed down is not asked: a lost node may hold thousands of moved shards, and each attempt
            // would wait for a connect timeout. Its shards stay pending until it answers pings again.
            java.util.Set<Integer> live = new java.util.HashSet<>(router.liveNodes());
            // A node removed from the cluster deleted all its data as it left: nothing is left there to reap.
            java.util.Set<Integer> members = new java.util.HashSet<>(router.allNodes());
            for (ShardSet set : sets) {
                for (int i = 0; i < set.dataShards() + set.parityShards(); i++) {
                    if (set.isMissing(i) || inUse.contains(set.objectId() + "/" + i + "@" + set.node(i))
                            || !members.contains(set.node(i))) {
                        continue;
                    }
                    if (!live.contains(set.node(i))) {
                        all = false;
                        continue;
                    }
                    try {
                        router.store(set.node(i)).delete(new ShardId(set.objectId(), i), warrant);
                    } catch (IOException e) {
                        all = false;
                        LOG.debug("shard {} of {} on node {} not deleted yet: {}", i, set.objectId(), set.node(i),
                                e.getMessage());
                    }
                }
            }
            if (all) {
                List<MetaBatch.Op> ops = new java.util.ArrayList<>();
                ops.add(new MetaBatch.Delete(MetaTable.TOMBSTONES, key));
                for (ShardSet set : sets) {
                    if (set.missing().length > 0 && isRecordedForRepair(set)) {
                        // A set that is gone needs no repair any more.
                        ops.add(new MetaBatch.Delete(MetaTable.REPAIRS, MetaKeys.utf8(set.objectId())));
                    }
                }
                meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.TOMBSTONES, key, value.get())),
                        ops));
            }
            return all ? Reaped.DONE : Reaped.PENDING;
        } catch (IOException | RuntimeException e) {
            LOG.debug("reaping a tombstone failed: {}", e.getMessage());
            return Reaped.PENDING;
        }
    }
}
