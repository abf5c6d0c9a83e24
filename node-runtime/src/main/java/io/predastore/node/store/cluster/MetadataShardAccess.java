package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardId;
import io.predastore.node.transport.ShardAccess;
import io.predastore.node.transport.ShardAccess.Refusal;
import io.predastore.protocol.shard.ShardOp;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a cluster node lets the other nodes do with its shards, decided from its own replica of the metadata: a
 * peer acts only as the node its certificate names, and only as a node of this cluster does.
 *
 * <ul>
 *   <li><b>New shards</b> only from their writer: a shard set id names the node that mints it ({@code n<node>-},
 *       see {@link ClusterContext#newShardSetId}), and only that node may create shards under it. The one exception
 *       is a rebuilt shard, which the node that repairs (the metadata leader) writes under the set's id: accepted
 *       only while the set's repair entry lists that shard as missing and gives this node no other shard of the
 *       set. Ids without a writer (sets written before ids named one) are written only as such a repair.</li>
 *   <li><b>Reads</b> (GET, STAT) only with a warrant naming an object, part or repair record that lists the shard
 *       on this node.</li>
 *   <li><b>Deletes</b> only with a warrant naming a tombstone that lists the shard on this node, or as an abort: the
 *       node that committed the shard here within {@link #ABORT_WINDOW_NANOS}, for an upload that failed before any
 *       record named it.</li>
 * </ul>
 *
 * Every check reads this node's replica first (one local RocksDB read); a record it does not show yet (this
 * follower is behind the write that made it) is read once more through Raft, linearizably, before refusing.
 * Existing shards are never rewritten whoever asks (the store refuses an existing id). Thread-safe.
 */
public final class MetadataShardAccess implements ShardAccess {
    /** How long after committing a shard here its writer may still delete it as an abort of its upload. */
    static final long ABORT_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Commits remembered for aborts at most; the oldest go first (their window is the first to end anyway). */
    static final int MAX_REMEMBERED_COMMITS = 100_000;

    /** The metadata as this node sees it. */
    public interface Replica {
        /** The value in this node's replica (possibly behind). */
        Optional<byte[]> local(MetaTable table, byte[] key) throws IOException;

        /** The value read through consensus (current as of the call). */
        Optional<byte[]> current(MetaTable table, byte[] key) throws IOException;

        /** The node this node knows as the metadata leader, if any. */
        OptionalInt leader();
    }

    private final int self;
    private final Replica replica;
    private final LongSupplier nanoTime;
    /** Shards committed here by peers, with who and when (nanoTime), oldest first. Guarded by itself. */
    private final LinkedHashMap<ShardId, long[]> commits = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ShardId, long[]> eldest) {
            return size() > MAX_REMEMBERED_COMMITS;
        }
    };

    /**
     * @param self     this node's id
     * @param replica  this node's view of the metadata
     * @param nanoTime a monotonic clock ({@code System::nanoTime} outside tests)
     */
    public MetadataShardAccess(int self, Replica replica, LongSupplier nanoTime) {
        this.self = self;
        this.replica = replica;
        this.nanoTime = nanoTime;
    }

    @Override
    public void check(int peer, ShardOp op, ShardId id, ShardWarrant warrant) throws IOException {
        switch (op) {
            case PUT_SHARD_BEGIN -> checkWrite(peer, id, warrant);
            case GET_SHARD, STAT_SHARD -> {
                if (warrant.kind() != ShardWarrant.Kind.OBJECT && warrant.kind() != ShardWarrant.Kind.PART
                        && warrant.kind() != ShardWarrant.Kind.REPAIR) {
                    throw Refusal.NOT_IN_RECORD.deny("a read names the object, part or repair record it is for, not "
                            + warrant);
                }
                requireListedHere(id, warrant);
            }
            case DELETE_SHARD -> {
                if (warrant.kind() == ShardWarrant.Kind.ABORT) {
                    checkAbort(peer, id);
                } else if (warrant.kind() == ShardWarrant.Kind.TOMBSTONE) {
                    requireListedHere(id, warrant);
                } else {
                    throw Refusal.NOT_IN_RECORD.deny("a delete names the tombstone it carries out, not " + warrant);
                }
            }
            default -> throw new IllegalArgumentException("no access rule for " + op);
        }
    }

    @Override
    public void committed(int peer, ShardId id) {
        synchronized (commits) {
            commits.remove(id); // re-inserted last: an id committed again (after a delete) starts a new window
            commits.put(id, new long[] {peer, nanoTime.getAsLong()});
        }
    }

    private void checkWrite(int peer, ShardId id, ShardWarrant warrant) throws IOException {
        if (warrant.kind() == ShardWarrant.Kind.REPAIR) {
            checkRepairWrite(peer, id, warrant);
            return;
        }
        if (warrant.kind() != ShardWarrant.Kind.NONE) {
            throw Refusal.NOT_WRITER.deny("a new shard is written in its writer's namespace or as a repair, not with "
                    + warrant);
        }
        int writer = ShardId.writerOf(id.objectId());
        if (writer != peer) {
            throw Refusal.NOT_WRITER.deny(writer == 0 ? "the id names no writer, so only a repair may write it"
                    : "the id belongs to node " + writer);
        }
    }

    private void checkRepairWrite(int peer, ShardId id, ShardWarrant warrant) throws IOException {
        OptionalInt leader = replica.leader();
        if (leader.isEmpty() || leader.getAsInt() != peer) {
            throw Refusal.NOT_REPAIRER.deny(leader.isEmpty() ? "no metadata leader is known here"
                    : "node " + leader.getAsInt() + " repairs");
        }
        if (!new String(warrant.key(), java.nio.charset.StandardCharsets.UTF_8).equals(id.objectId())) {
            throw Refusal.NOT_IN_RECORD.deny("the repair entry named is not the shard's set");
        }
        byte[] key = warrant.key();
        Optional<byte[]> entry = replica.local(MetaTable.REPAIRS, key);
        if (entry.isEmpty() || !missingHere(ClusterRecords.decodeRepair(entry.get()).set(), id)) {
            entry = replica.current(MetaTable.REPAIRS, key);
        }
        if (entry.isEmpty()) {
            throw Refusal.NOT_IN_RECORD.deny("no repair is recorded for the set");
        }
        if (!missingHere(ClusterRecords.decodeRepair(entry.get()).set(), id)) {
            throw Refusal.NOT_IN_RECORD.deny("the repair entry does not list the shard as missing, or gives this "
                    + "node another shard of the set");
        }
    }

    /** Whether shard {@code id} of {@code set} is missing and this node holds no other shard of the set. */
    private boolean missingHere(ShardSet set, ShardId id) {
        if (!set.objectId().equals(id.objectId()) || id.index() >= set.nodes().length || !set.isMissing(id.index())) {
            return false;
        }
        for (int node : set.nodes()) {
            if (node == self) {
                return false;
            }
        }
        return true;
    }

    private void checkAbort(int peer, ShardId id) throws IOException {
        long[] commit;
        synchronized (commits) {
            commit = commits.get(id);
        }
        if (commit == null || commit[0] != peer || nanoTime.getAsLong() - commit[1] > ABORT_WINDOW_NANOS) {
            throw Refusal.NOT_ABORTABLE.deny("this node committed no such shard for it within the last minute");
        }
        // A set recorded for repair is referenced by metadata from then on; its shards go through a tombstone.
        if (replica.local(MetaTable.REPAIRS, id.objectId().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .isPresent()) {
            throw Refusal.NOT_ABORTABLE.deny("the set is recorded for repair");
        }
        synchronized (commits) {
            commits.remove(id);
        }
    }

    /** Refuses unless the record the warrant names lists the shard on this node, locally or else through Raft. */
    private void requireListedHere(ShardId id, ShardWarrant warrant) throws IOException {
        MetaTable table = table(warrant.kind());
        byte[] key = warrant.key();
        Optional<byte[]> record = replica.local(table, key);
        if (record.isPresent() && listsHere(warrant.kind(), key, record.get(), id)) {
            return;
        }
        record = replica.current(table, key);
        if (record.isEmpty()) {
            throw Refusal.NOT_IN_RECORD.deny("the " + table + " record named does not exist");
        }
        if (!listsHere(warrant.kind(), key, record.get(), id)) {
            throw Refusal.NOT_IN_RECORD.deny("the " + table + " record named does not list the shard on node "
                    + self);
        }
    }

    private static MetaTable table(ShardWarrant.Kind kind) {
        return switch (kind) {
            case OBJECT -> MetaTable.OBJECTS;
            case PART -> MetaTable.PARTS;
            case REPAIR -> MetaTable.REPAIRS;
            case TOMBSTONE -> MetaTable.TOMBSTONES;
            case NONE, ABORT -> throw new IllegalArgumentException(kind + " names no record");
        };
    }

    private boolean listsHere(ShardWarrant.Kind kind, byte[] key, byte[] record, ShardId id) throws IOException {
        List<ShardSet> sets = switch (kind) {
            case OBJECT -> ClusterRecords.decodeObject(record).segments();
            case PART -> List.of(ClusterRecords.decodePart(record).shards());
            case REPAIR -> List.of(ClusterRecords.decodeRepair(record).set());
            case TOMBSTONE -> ShardReaper.setsOfTombstone(key, record);
            case NONE, ABORT -> List.of();
        };
        for (ShardSet set : sets) {
            if (set.objectId().equals(id.objectId()) && id.index() < set.nodes().length
                    && set.node(id.index()) == self) {
                return true;
            }
        }
        return false;
    }
}
