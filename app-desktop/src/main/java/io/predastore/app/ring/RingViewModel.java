package io.predastore.app.ring;

import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.task.Async;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.RingMember;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import io.predastore.protocol.ring.Member;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import io.predastore.protocol.ring.VirtualNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The ring screen: members with their tokens, and the shards of one object. UI thread only.
 *
 * <p>It follows the replicated member list: the ring the nodes serve holds the active members of its epoch (a
 * joining node is not on it yet), and a draining member, already out of that ring, is added back here with the
 * tokens its id has in any ring, marked draining, so the user sees where the shards leaving it come from. The
 * epoch is published so the pane can animate a change of the members.
 */
public final class RingViewModel {
    /** Looks up where an object's shards are (blocking). */
    @FunctionalInterface
    public interface PlacementSource {
        Optional<ObjectPlacement> placement(String bucket, String key) throws IOException;
    }

    private final Async async;
    private PlacementSource placements;
    private final ObservableList<RingMemberInfo> members = FXCollections.observableArrayList();
    private final ObservableList<RingMemberInfo> membersView = FXCollections.unmodifiableObservableList(members);
    private final ObservableList<ShardMark> shards = FXCollections.observableArrayList();
    private final ObservableList<ShardMark> shardsView = FXCollections.unmodifiableObservableList(shards);
    private final StringProperty bucket = new SimpleStringProperty("");
    private final StringProperty key = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("No ring yet");
    private final ReadOnlyLongWrapper epoch = new ReadOnlyLongWrapper(-1);
    private RingView lastRing;
    private List<String> lastDraining = List.of();

    public RingViewModel(Async async) {
        this.async = async;
    }

    public void setPlacementSource(PlacementSource placements) {
        this.placements = placements;
    }

    /** Applies one admin poll (the ring as one node sees it). */
    public void applyAdmin(ClusterSnapshot snapshot) {
        RingView ring = snapshot.ring();
        ClusterMembers list = snapshot.members();
        List<String> draining = list == null ? List.of() : list.inState(MemberState.DRAINING).stream()
                .map(ClusterMember::id).filter(id -> ring == null || ring.members().stream()
                        .noneMatch(m -> m.id().equals(id))).toList();
        long nextEpoch = list == null ? epoch.get() : list.epoch();
        if (ring == null || ring.equals(lastRing) && draining.equals(lastDraining) && nextEpoch == epoch.get()) {
            if (ring == null && lastRing == null) {
                summary.set("No node answered yet");
            }
            return;
        }
        lastRing = ring;
        lastDraining = draining;
        List<RingMemberInfo> next = new ArrayList<>();
        for (RingMember m : ring.members()) {
            next.add(new RingMemberInfo(m.id(), colourIndex(m.id(), next.size()), m.tokens(), m.load(), m.alive()));
        }
        RingConfig config = new RingConfig(ring.partitionCount(), ring.replicationFactor(), ring.loadFactor());
        for (String id : draining) {
            next.add(new RingMemberInfo(id, colourIndex(id, next.size()), tokensOf(id, config), 0, true, true));
        }
        next.sort(Comparator.comparing(RingMemberInfo::id, RingViewModel::compareIds));
        // The epoch first: the pane reads it when the members change, to tell a new epoch from a new poll.
        epoch.set(nextEpoch);
        members.setAll(next);
        int tokens = ring.members().stream().mapToInt(m -> m.tokens().size()).sum();
        summary.set((nextEpoch < 0 ? "" : "Ring epoch " + nextEpoch + ": ") + ring.members().size() + " members"
                + (draining.isEmpty() ? "" : " (+" + draining.size() + " draining)") + ", " + tokens
                + " virtual nodes, " + ring.partitionCount() + " partitions, replication "
                + ring.replicationFactor());
    }

    /** Where member {@code id}'s virtual nodes are: they depend on its id alone, so any ring holding it tells. */
    static List<Double> tokensOf(String id, RingConfig config) {
        Member member = new Member(id);
        return Ring.of(List.of(member), config).virtualNodesOf(member).stream().map(VirtualNode::fraction).toList();
    }

    /** Node ids like {@code node-10} sort after {@code node-9}. */
    static int compareIds(String a, String b) {
        Integer na = number(a);
        Integer nb = number(b);
        if (na != null && nb != null) {
            return Integer.compare(na, nb);
        }
        return a.compareTo(b);
    }

    private static Integer number(String id) {
        int dash = id.lastIndexOf('-');
        try {
            return Integer.parseInt(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int colourIndex(String id, int fallback) {
        Integer n = number(id);
        return n != null ? n - 1 : fallback;
    }

    /** Looks up the placement of {@link #bucketProperty()}/{@link #keyProperty()} and shows its shards. */
    public void showPlacement() {
        String b = bucket.get() == null ? "" : bucket.get().trim();
        String k = key.get() == null ? "" : key.get();
        if (b.isEmpty() || k.isEmpty()) {
            health.set("Enter a bucket and a key");
            return;
        }
        if (placements == null) {
            health.set("No cluster is open");
            return;
        }
        PlacementSource source = placements;
        health.set("Looking up " + b + "/" + k + " …");
        async.run("Looking up the placement of " + b + "/" + k, () -> source.placement(b, k), p -> {
            if (p.isEmpty()) {
                shards.clear();
                health.set("No such object: " + b + "/" + k);
            } else {
                applyPlacement(p.get());
            }
        }, message -> health.set(message));
    }

    /** Shows the shards of the object's first segment and its health verdict. */
    public void applyPlacement(ObjectPlacement placement) {
        List<ShardMark> next = new ArrayList<>();
        if (!placement.segments().isEmpty()) {
            SegmentPlacement segment = placement.segments().get(0);
            List<ShardPlacement> sorted = new ArrayList<>(segment.shards());
            sorted.sort(Comparator.comparingInt(ShardPlacement::index));
            for (ShardPlacement s : sorted) {
                String label = s.parity() ? "P" + (s.index() - placement.dataShards()) : "D" + s.index();
                next.add(new ShardMark(label, s.index(), s.parity(), s.nodeId(), s.state()));
            }
        }
        shards.setAll(next);
        String segments = placement.segments().size() > 1
                ? " (" + placement.segments().size() + " segments, first shown)" : "";
        health.set(placement.bucket() + "/" + placement.key() + ", " + placement.size() + " bytes, "
                + placement.dataShards() + "+" + placement.parityShards() + segments + ": " + placement.health());
    }

    public ObservableList<RingMemberInfo> members() {
        return membersView;
    }

    public ObservableList<ShardMark> shards() {
        return shardsView;
    }

    public StringProperty bucketProperty() {
        return bucket;
    }

    public StringProperty keyProperty() {
        return key;
    }

    public ReadOnlyStringProperty healthProperty() {
        return health.getReadOnlyProperty();
    }

    /** The ring epoch of the member list drawn, or -1 before one was read (or from nodes older than it). */
    public ReadOnlyLongProperty epochProperty() {
        return epoch.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
