package io.predastore.protocol.admin;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's members ({@code GET /admin/v1/members}), in the order they joined. On a cluster node this is the
 * replicated member list, versioned by the ring {@code epoch}: every change of a member or its state makes the
 * next epoch (docs/membership.md). A node that has not read the replicated list yet, or a single node, answers with
 * the nodes of its cluster file and epoch 0.
 *
 * @param epoch   the ring epoch of this list; 0 when it comes from the cluster file, not the replicated state
 * @param members one entry per node, removed ones included (so their ids are never reused)
 */
public record ClusterMembers(long epoch, List<ClusterMember> members) {
    public ClusterMembers {
        members = Checks.list(members, "members");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, not " + epoch);
        }
        Set<String> ids = new HashSet<>();
        for (ClusterMember m : members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("Member " + m.id() + " is listed twice");
            }
        }
    }

    /** Reads the JSON form, in which an older node leaves out {@code epoch} (read as 0). */
    @com.fasterxml.jackson.annotation.JsonCreator
    static ClusterMembers fromJson(@com.fasterxml.jackson.annotation.JsonProperty("epoch") Long epoch,
            @com.fasterxml.jackson.annotation.JsonProperty("members") List<ClusterMember> members) {
        return new ClusterMembers(epoch == null ? 0 : epoch, members);
    }

    /** Members read from a cluster file (epoch 0). */
    public ClusterMembers(List<ClusterMember> members) {
        this(0, members);
    }

    /** The member with id {@code id} (e.g. {@code node-3}), if listed. */
    public Optional<ClusterMember> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** The members in state {@code state}, in list order. */
    public List<ClusterMember> inState(MemberState state) {
        return members.stream().filter(m -> m.state() == state).toList();
    }

    /**
     * Why member {@code id} cannot be removed now, or empty when it can: the one rule the node, the CLI and the app
     * apply. Only an active member drains (a joining one is still catching up with the metadata), and removing it
     * must leave at least {@code width} active members, one per shard of an object, or objects could no longer be
     * fully protected.
     *
     * @param width the shards each object is stored as (data + parity)
     */
    public Optional<String> removalRefusal(String id, int width) {
        Optional<ClusterMember> member = member(id);
        if (member.isEmpty()) {
            return Optional.of(id + " is not a member (ring epoch " + epoch + ")");
        }
        MemberState state = member.get().state();
        if (state == MemberState.DRAINING || state == MemberState.REMOVED) {
            return Optional.of(id + " is already " + state.wireName());
        }
        if (state != MemberState.ACTIVE) {
            return Optional.of(id + " is " + state.wireName() + "; only an active member can be removed (wait until "
                    + "it is active)");
        }
        int remaining = inState(MemberState.ACTIVE).size() - 1;
        if (remaining >= width) {
            return Optional.empty();
        }
        return Optional.of("removing " + id + " would leave " + remaining + " active member"
                + (remaining == 1 ? "" : "s") + ", fewer than the " + width + " shards (data + parity) each object "
                + "is stored as, so objects could no longer be fully protected; add a node first (cluster add-node, "
                + "or Add node in the desktop app)");
    }
}
