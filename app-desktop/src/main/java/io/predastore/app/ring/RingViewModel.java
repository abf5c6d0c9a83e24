package io.predastore.app.ring;

import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.task.Async;
import io.predastore.protocol.admin.ObjectPlacement;
import io.predastore.protocol.admin.RingMember;
import io.predastore.protocol.admin.RingView;
import io.predastore.protocol.admin.SegmentPlacement;
import io.predastore.protocol.admin.ShardPlacement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The ring screen: members with their tokens, and the shards of one object. UI thread only. */
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
    private RingView lastRing;

    public RingViewModel(Async async) {
        this.async = async;
    }

    public void setPlacementSource(PlacementSource placements) {
        this.placements = placements;
    }

    /** Applies one admin poll (the ring as one node sees it). */
    public void applyAdmin(ClusterSnapshot snapshot) {
        RingView ring = snapshot.ring();
        if (ring == null || ring.equals(lastRing)) {
            if (ring == null && lastRing == null) {
                summary.set("No node answered yet");
            }
            return;
        }
        lastRing = ring;
        List<RingMember> sorted = new ArrayList<>(ring.members());
        sorted.sort(Comparator.comparing(RingMember::id, RingViewModel::compareIds));
        List<RingMemberInfo> next = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            RingMember m = sorted.get(i);
            next.add(new RingMemberInfo(m.id(), colourIndex(m.id(), i), m.tokens(), m.load(), m.alive()));
        }
        members.setAll(next);
        int tokens = next.stream().mapToInt(m -> m.tokens().size()).sum();
        summary.set(next.size() + " members, " + tokens + " virtual nodes, " + ring.partitionCount()
                + " partitions, replication " + ring.replicationFactor());
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

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
