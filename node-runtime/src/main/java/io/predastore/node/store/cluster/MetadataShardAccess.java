package io.predastore.node.store.cluster;

import io.predastore.node.meta.MetaTable;
import io.predastore.node.shard.ShardId;
import io.predastore.node.transport.ShardAccess;
import io.predastore.node.transport.ShardAccess.Refusal;
import io.predastore.protocol.shard.ShardOp;
import io.predastore.protocol.shard.ShardWarrant;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a cluster node lets the other nodes do with its shards, decided from its own replica of the metadata: a
 * peer acts only as the node its certificate names, and only as a node of this cluster does.
 *
 * <ul>
 *   <li><b>New shards</b> only from their writer: a shard set id names the node that mints it ({@code n<node>-},
 *       see {@link ClusterContext#newShardSetId}), and only that node may create shards under it. The one exception
 *       is a rebuilt shard, which the node that repairs (the metadata leader) writes under the set's id: accepted
 *       only while the set's repair entry lists that shard as missing, on a lost node or to be moved (misplaced, on
 *       another node), or this node's copy of it as corrupt (it is rebuilt in place), and gives this node no other
 *       shard of the set. Ids without a writer (sets written before ids named one) are written only as such a repair.</li>
 *   <li><b>Reads</b> (GET, STAT) only with a warrant naming an object, part or repair record that lists the shard
 *       on this node.</li>
 *   <li><b>Batched stats</b> (presence and length of up to 1024 shards, never bytes) only from the metadata leader,
 *       which runs the protection pass, and without a warrant (see {@link #checkBatchStat}).</li>
 *   <li><b>Deletes</b> only with a warrant naming a tombstone that lists the shard on this node (a writer whose
 *       upload failed half-way commits one for its set first, as a delete of an object does), or, from the node that
 *       repairs, a shard its repair entry lists as missing (what a failed rebuild left) or as corrupt on this node
 *       (cleared before it is rebuilt in place).</li>
 * </ul>
 *
 * Every check reads this node's replica first (one local RocksDB read); a record it does not show yet (this
 * follower is behind the write that made it) is read once more through Raft, linearizably, before refusing.
 * Existing shards are never rewritten whoever asks (the store refuses an existing id). Thread-safe.
 */
public final class MetadataShardAccess implements ShardAccess {
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

    /**
     * @param self    this node's id
     * @param replica this node's view of the metadata
     */
    public MetadataShardAccess(int self, Replica replica) {
        this.self = self;
        this.replica = replica;
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
            case STAT_SHARDS -> checkBatchStat(peer, warrant);
            case DELETE_SHARD -> {
                if (warrant.kind() == ShardWarrant.Kind.TOMBSTONE) {
                    requireListedHere(id, warrant);
                } else if (warrant.kind() == ShardWarrant.Kind.REPAIR) {
                    checkRepair(peer, id, warrant); // a rebuilt shard of a rebuild that failed
                } else {
                    throw Refusal.NOT_IN_RECORD.deny("a delete names the tombstone it carries out, not " + warrant);
                }
            }
            default -> throw new IllegalArgumentException("no access rule for " + op);
        }
    }

    /**
     * A batched stat carries no warrant: it reveals only whether shards are here and their lengths, never a byte,
     * and comes over the cluster's mutual TLS from a member. A warrant per shard would cost this node a metadata
     * read per shard (up to 1024 per request) and defeat the batch; instead only the node that runs the protection
     * pass, the metadata leader as this node knows it, may ask, so no other member can probe which shards exist.
     */
    private void checkBatchStat(int peer, ShardWarrant warrant) throws IOException {
        if (warrant.kind() != ShardWarrant.Kind.NONE) {
            throw Refusal.NOT_IN_RECORD.deny("a batched stat carries no warrant, not " + warrant);
        }
        OptionalInt leader = replica.leader();
        if (leader.isEmpty() || leader.getAsInt() != peer) {
            throw Refusal.NOT_REPAIRER.deny(leader.isEmpty() ? "no metadata leader is known here, and only it may "
                    + "stat shards in batches" : "only node " + leader.getAsInt() + ", the metadata leader, may stat "
                    + "shards in batches");
        }
    }

    private void checkWrite(int peer, ShardId id, ShardWarrant warrant) throws IOException {
        if (warrant.kind() == ShardWarrant.Kind.REPAIR) {
            checkRepair(peer, id, warrant);
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

    /**
     * A rebuilt shard, written or (after a failed rebuild) deleted: only by the node that repairs, and only where the
     * set's repair entry lists the shard as missing and gives this node no other shard of the set, so no shard that
     * a record lists is touched.
     */
    private void checkRepair(int peer, ShardId id, ShardWarrant warrant) throws IOException {
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
        if (entry.isEmpty() || !rebuiltHere(ClusterRecords.decodeRepair(entry.get()), id)) {
            entry = replica.current(MetaTable.REPAIRS, key);
        }
        if (entry.isEmpty()) {
            throw Refusal.NOT_IN_RECORD.deny("no repair is recorded for the set");
        }
        if (!rebuiltHere(ClusterRecords.decodeRepair(entry.get()), id)) {
            throw Refusal.NOT_IN_RECORD.deny("the repair entry does not list the shard as missing or as corrupt "
                    + "here, or gives this node another shard of the set");
        }
    }

    /**
     * Whether the repair entry has shard {@code id} rebuilt on this node: the shard is missing from the set and this
     * node holds no other shard of it, or a read found this node's copy corrupt (it is rebuilt in place, so its old
     * copy is deleted first) and this node holds no other shard of the set.
     */
    private boolean rebuiltHere(ClusterRecords.RepairNeeded entry, ShardId id) {
        ShardSet set = entry.set();
        int index = id.index();
        if (!set.objectId().equals(id.objectId()) || index >= set.nodes().length) {
            return false;
        }
        boolean corruptHere = entry.corrupt().contains(index) && set.node(index) == self;
        // A shard on a lost node is rebuilt elsewhere, as one never written is; a misplaced one is copied elsewhere.
        boolean moved = set.isMissing(index) || (entry.lost().contains(index) || entry.moved().contains(index))
                && set.node(index) != self;
        if (!moved && !corruptHere) {
            return false;
        }
        for (int i = 0; i < set.nodes().length; i++) {
            if (i != index && set.node(i) == self) {
                return false;
            }
        }
        return true;
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
            case NONE -> throw new IllegalArgumentException(kind + " names no record");
        };
    }

    private boolean listsHere(ShardWarrant.Kind kind, byte[] key, byte[] record, ShardId id) throws IOException {
        List<ShardSet> sets = switch (kind) {
            case OBJECT -> ClusterRecords.decodeObject(record).segments();
            case PART -> List.of(ClusterRecords.decodePart(record).location());
            case REPAIR -> List.of(ClusterRecords.decodeRepair(record).set());
            case TOMBSTONE -> ShardReaper.setsOfTombstone(key, record);
            case NONE -> List.of();
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
