package io.predastore.app.raft;

import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.NodeSample;
import io.predastore.protocol.admin.LeaderChange;
import io.predastore.protocol.admin.RaftGroupStatus;
import io.predastore.protocol.admin.RaftPeerStatus;
import io.predastore.protocol.admin.RaftRole;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The metadata Raft screen: leader, term, commit index, peers and leader changes. UI thread only.
 *
 * <p>Each node reports only the elections it saw itself, and the poller asks whichever node answers; when that
 * node changes (say the one asked before was the leader and was stopped) its history may be shorter. So the
 * timeline keeps every election seen in any answer, one per term, with the earliest time any node reported.
 *
 * <p>A listener (a member beyond the 3 or 5 voters, docs/membership.md) knows its own role, while the group status
 * of another node may list it as a follower or not at all: a node's own status decides that it is a listener, and a
 * listener missing from the group status gets a row of its own.
 */
public final class RaftViewModel {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    /** The most elections the timeline keeps; older terms drop off. */
    static final int MAX_CHANGES = 100;

    private final ZoneId zone;
    private final ReadOnlyStringWrapper leader = new ReadOnlyStringWrapper("—");
    private final ReadOnlyStringWrapper term = new ReadOnlyStringWrapper("—");
    private final ReadOnlyStringWrapper commitIndex = new ReadOnlyStringWrapper("—");
    private final ReadOnlyStringWrapper applied = new ReadOnlyStringWrapper("—");
    private final ObservableList<PeerRow> peers = FXCollections.observableArrayList();
    private final ObservableList<PeerRow> peersView = FXCollections.unmodifiableObservableList(peers);
    private final ObservableList<LeaderChangeRow> changes = FXCollections.observableArrayList();
    private final ObservableList<LeaderChangeRow> changesView = FXCollections.unmodifiableObservableList(changes);
    private final TreeMap<Long, LeaderChange> elections = new TreeMap<>();

    public RaftViewModel(ZoneId zone) {
        this.zone = zone;
    }

    public void applyAdmin(ClusterSnapshot snapshot) {
        RaftGroupStatus raft = snapshot.raft();
        if (raft == null) {
            leader.set("no node answered");
            return;
        }
        leader.set(raft.leaderId() == null ? "no leader" : raft.leaderId());
        term.set(Long.toString(raft.term()));
        commitIndex.set(Long.toString(raft.commitIndex()));
        applied.set(Long.toString(raft.lastAppliedIndex()));
        Map<String, NodeSample> listeners = new LinkedHashMap<>();
        for (NodeSample n : snapshot.nodes()) {
            if (n.reachable() && n.status().raftRole() == RaftRole.LISTENER) {
                listeners.put(ClusterSnapshot.adminId(n.nodeId()), n);
            }
        }
        List<PeerRow> rows = new ArrayList<>();
        List<RaftPeerStatus> sorted = new ArrayList<>(raft.peers());
        sorted.sort(Comparator.comparing(RaftPeerStatus::id));
        for (RaftPeerStatus p : sorted) {
            boolean isLeader = Objects.equals(p.id(), raft.leaderId()) || p.role() == RaftRole.LEADER;
            RaftRole role = listeners.remove(p.id()) != null ? RaftRole.LISTENER : p.role();
            rows.add(new PeerRow(p.id(), p.address(), role.name().toLowerCase(Locale.ROOT), isLeader,
                    p.matchIndex() < 0 ? "unknown" : Long.toString(p.matchIndex()),
                    isLeader ? "—" : Long.toString(p.lagEntries()),
                    p.lastContactMillis() == null ? "never" : p.lastContactMillis() + " ms ago"));
        }
        for (Map.Entry<String, NodeSample> e : listeners.entrySet()) {
            NodeSample n = e.getValue();
            rows.add(new PeerRow(e.getKey(), n.status().host() + ":" + n.status().ports().raft(), "listener", false,
                    "unknown", "—", "never"));
        }
        if (!rows.equals(peers)) {
            peers.setAll(rows);
        }
        for (LeaderChange c : raft.leaderChanges()) {
            elections.merge(c.term(), c, (known, seen) -> seen.atMillis() < known.atMillis() ? seen : known);
        }
        while (elections.size() > MAX_CHANGES) {
            elections.pollFirstEntry();
        }
        List<LeaderChangeRow> timeline = new ArrayList<>();
        for (LeaderChange c : elections.descendingMap().values()) {
            timeline.add(new LeaderChangeRow(TIME.format(Instant.ofEpochMilli(c.atMillis()).atZone(zone)), c.term(),
                    c.leaderId()));
        }
        if (!timeline.equals(changes)) {
            changes.setAll(timeline);
        }
    }

    public ReadOnlyStringProperty leaderProperty() {
        return leader.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty termProperty() {
        return term.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty commitIndexProperty() {
        return commitIndex.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty appliedIndexProperty() {
        return applied.getReadOnlyProperty();
    }

    public ObservableList<PeerRow> peers() {
        return peersView;
    }

    /** Newest first. */
    public ObservableList<LeaderChangeRow> leaderChanges() {
        return changesView;
    }
}
