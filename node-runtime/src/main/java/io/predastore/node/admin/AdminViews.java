package io.predastore.node.admin;

import io.predastore.node.disk.DiskHealth;
import io.predastore.node.meta.RaftStatus;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.admin.RaftRole;
import io.predastore.protocol.admin.StorageStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds admin records from the node's own types; helpers for {@link AdminSources} implementations. */
public final class AdminViews {
    private AdminViews() {
    }

    /** The admin view of a node's disk health. */
    public static StorageStatus storage(DiskHealth health) {
        return new StorageStatus(health.usableBytes(), health.reserveBytes(), health.belowReserve(),
                health.problems(), health.restartNeeded());
    }

    /** The admin role of a Raft role. */
    public static RaftRole role(RaftStatus.Role role) {
        return role == null ? RaftRole.UNKNOWN : RaftRole.valueOf(role.name());
    }

    /**
     * The Raft group as {@code selfId} sees it, recording a new leader in {@code history}.
     *
     * @param selfId this node's id
     * @param status this node's Raft status
     * @param peerAddresses every group member's Raft address ({@code host:port}) by id, in display order
     * @param history where leader changes are recorded and read from
     * @param nowMillis the current time, epoch milliseconds
     */
    public static RaftGroupStatus raftGroup(String selfId, RaftStatus status, Map<String, String> peerAddresses,
            LeaderHistory history, long nowMillis) {
        return raftGroup(selfId, status, peerAddresses, java.util.Set.of(), history, nowMillis);
    }

    /**
     * As above, with the peers the group's configuration has as listeners (they follow the log but do not vote), so
     * that they show as such.
     */
    public static RaftGroupStatus raftGroup(String selfId, RaftStatus status, Map<String, String> peerAddresses,
            java.util.Set<String> listeners, LeaderHistory history, long nowMillis) {
        Objects.requireNonNull(selfId, "selfId");
        history.observe(status.term(), status.leaderId(), nowMillis);
        Map<String, RaftStatus.FollowerStatus> followers = new HashMap<>();
        for (RaftStatus.FollowerStatus f : status.followers()) {
            followers.put(f.id(), f);
        }
        boolean selfLeads = status.role() == RaftStatus.Role.LEADER;
        List<RaftPeerStatus> peers = new ArrayList<>();
        for (Map.Entry<String, String> e : peerAddresses.entrySet()) {
            String id = e.getKey();
            RaftRole role;
            long matchIndex = -1;
            long lag = 0;
            Long lastContact = null;
            if (id.equals(selfId)) {
                role = role(status.role());
                matchIndex = selfLeads ? status.commitIndex() : -1;
                lastContact = selfLeads ? 0L : null;
            } else if (id.equals(status.leaderId())) {
                role = RaftRole.LEADER;
            } else if (selfLeads) {
                role = listeners.contains(id) ? RaftRole.LISTENER : RaftRole.FOLLOWER;
                RaftStatus.FollowerStatus f = followers.get(id);
                if (f != null) {
                    matchIndex = Math.max(-1, f.matchIndex());
                    lag = f.matchIndex() < 0 ? 0 : Math.max(0, status.commitIndex() - f.matchIndex());
                    lastContact = f.lastContact() == null ? null : Math.max(0, f.lastContact().toMillis());
                }
            } else if (listeners.contains(id)) {
                role = RaftRole.LISTENER;
            } else {
                role = status.leaderId() != null ? RaftRole.FOLLOWER : RaftRole.UNKNOWN;
            }
            peers.add(new RaftPeerStatus(id, e.getValue(), role, matchIndex, lag, lastContact));
        }
        return new RaftGroupStatus(status.leaderId(), status.term(), status.commitIndex(), status.lastAppliedIndex(),
                role(status.role()), peers, history.changes());
    }
}
