package io.predastore.app.cluster;

import io.predastore.app.format.ByteSize;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.NodeSample;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.task.Async;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The nodes screen: one row per configured node combining the supervisor's process state with the node's admin
 * status, intents to start/stop/restart/kill the selected node, and the tail of its log. Touched on the UI thread
 * only; the apply methods take immutable snapshots.
 */
public final class NodesViewModel {
    private final ClusterService cluster;
    private final Async async;
    private final Clock clock;
    private final ObservableList<NodeRow> rows = FXCollections.observableArrayList();
    private final ObservableList<NodeRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ObjectProperty<Integer> selectedNode = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper logTail = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canStart = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canStop = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canRestart = new ReadOnlyBooleanWrapper();
    private List<Member> members = List.of();
    private Map<Integer, NodeProcessStatus> processes = Map.of();
    private ClusterSnapshot admin;

    public NodesViewModel(ClusterService cluster, Async async, Clock clock) {
        this.cluster = cluster;
        this.async = async;
        this.clock = clock;
        selectedNode.addListener((o, a, b) -> {
            updateButtons();
            refreshLog();
        });
    }

    /** A node in the table: its id, S3 address and whether this app runs its process. */
    private record Member(int id, String s3Address, boolean supervised) {
    }

    /** A cluster was opened; the app runs its nodes. */
    public void setConfig(ClusterConfig config) {
        List<Member> next = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            next.add(new Member(node.id(), node.host() + ":" + node.s3Port(), true));
        }
        members = List.copyOf(next);
        rebuild();
    }

    /** A cluster was connected to by endpoint; its nodes run elsewhere, so they cannot be started or stopped. */
    public void setRemote(RemoteCluster cluster) {
        List<Member> next = new ArrayList<>();
        for (ClusterMember m : cluster.members()) {
            next.add(new Member(cluster.nodeId(m), cluster.s3Endpoint(m).getRawAuthority(), false));
        }
        members = List.copyOf(next);
        rebuild();
    }

    /** Applies the supervisor's node states. */
    public void applyProcesses(List<NodeProcessStatus> statuses) {
        Map<Integer, NodeProcessStatus> m = new TreeMap<>();
        for (NodeProcessStatus s : statuses) {
            m.put(s.nodeId(), s);
        }
        processes = m;
        rebuild();
    }

    /** Applies one admin poll. */
    public void applyAdmin(ClusterSnapshot snapshot) {
        admin = snapshot;
        rebuild();
        refreshLog();
    }

    private void rebuild() {
        if (members.isEmpty()) {
            rows.clear();
            return;
        }
        List<NodeRow> next = new ArrayList<>();
        for (Member node : members) {
            NodeSample sample = admin == null ? null : admin.node(node.id()).orElse(null);
            if (!node.supervised()) {
                boolean live = sample != null && sample.reachable();
                NodeState state = sample == null ? NodeState.STOPPED : live ? NodeState.RUNNING : NodeState.FAILED;
                next.add(new NodeRow(node.id(), node.s3Address(), state,
                        live ? sample.status().raftRole().name().toLowerCase(Locale.ROOT) : "—",
                        live ? formatDuration(Duration.ofMillis(sample.status().uptimeMillis())) : "—",
                        live ? Long.toString(sample.status().shardCount()) : "—",
                        live ? diskText(sample.status()) : "—", true));
                continue;
            }
            NodeProcessStatus p = processes.getOrDefault(node.id(), NodeProcessStatus.stopped(node.id()));
            boolean live = p.state() == NodeState.RUNNING && sample != null && sample.reachable();
            next.add(new NodeRow(node.id(), node.s3Address(), p.state(),
                    live ? sample.status().raftRole().name().toLowerCase(Locale.ROOT) : "—",
                    p.state().isActive() ? formatDuration(p.uptime(clock.instant())) : "—",
                    live ? Long.toString(sample.status().shardCount()) : "—",
                    live ? diskText(sample.status()) : "—", false));
        }
        for (int i = 0; i < next.size(); i++) {
            if (i < rows.size()) {
                if (!rows.get(i).equals(next.get(i))) {
                    rows.set(i, next.get(i));
                }
            } else {
                rows.add(next.get(i));
            }
        }
        if (rows.size() > next.size()) {
            rows.remove(next.size(), rows.size());
        }
        updateButtons();
    }

    private void updateButtons() {
        NodeState state = selectedSupervised() ? selectedState() : null;
        canStart.set(state != null && !state.isActive());
        canStop.set(state != null && state.isActive());
        canRestart.set(state != null);
    }

    /** Whether the selected node is one this app runs (remote nodes cannot be started, stopped or killed). */
    private boolean selectedSupervised() {
        Integer id = selectedNode.get();
        return id != null && members.stream().anyMatch(m -> m.id() == id && m.supervised());
    }

    private NodeState selectedState() {
        Integer id = selectedNode.get();
        if (id == null) {
            return null;
        }
        return processes.getOrDefault(id, NodeProcessStatus.stopped(id)).state();
    }

    private void refreshLog() {
        Integer id = selectedNode.get();
        if (id == null) {
            logTail.set("");
            return;
        }
        if (!selectedSupervised()) {
            logTail.set("node-" + id + " runs elsewhere: this app does not run it, so it cannot show its log or "
                    + "start, stop or kill it.");
            return;
        }
        async.run("Reading the log of node " + id, () -> maskSecrets(cluster.logTail(id)), text -> {
            if (id.equals(selectedNode.get())) {
                logTail.set(text);
            }
        });
    }

    /** Joins log lines, hiding the value of a {@code Secret key:} line (nodes print their credentials). */
    static String maskSecrets(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            int at = line.indexOf("Secret key:");
            sb.append(at < 0 ? line : line.substring(0, at + "Secret key:".length()) + " ••••••••");
        }
        return sb.toString();
    }

    public void startSelected() {
        Integer id = selectedNode.get();
        if (id != null && selectedSupervised()) {
            async.run("Starting node " + id, () -> cluster.start(id), s -> { });
        }
    }

    public void stopSelected() {
        Integer id = selectedNode.get();
        if (id != null && selectedSupervised()) {
            async.run("Stopping node " + id, () -> cluster.stop(id).get(), s -> { });
        }
    }

    public void restartSelected() {
        Integer id = selectedNode.get();
        if (id != null && selectedSupervised()) {
            async.run("Restarting node " + id, () -> cluster.restart(id).get(), s -> { });
        }
    }

    public void killSelected() {
        Integer id = selectedNode.get();
        if (id != null && selectedSupervised()) {
            async.run("Killing node " + id, () -> cluster.kill(id).get(), s -> { });
        }
    }

    public ObservableList<NodeRow> rows() {
        return readOnlyRows;
    }

    /** The selected node id, or null; the view binds the table selection to it. */
    public ObjectProperty<Integer> selectedNodeProperty() {
        return selectedNode;
    }

    public ReadOnlyStringProperty logTailProperty() {
        return logTail.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStartProperty() {
        return canStart.getReadOnlyProperty();
    }

    /** Whether Restart applies: a node this app runs is selected. */
    public ReadOnlyBooleanProperty canRestartProperty() {
        return canRestart.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStopProperty() {
        return canStop.getReadOnlyProperty();
    }

    static String formatDuration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }

    /**
     * The disk column: the bytes used, and what is wrong with the node's storage if anything (its admin status
     * says; older nodes do not).
     */
    static String diskText(io.predastore.protocol.admin.NodeStatus status) {
        String used = ByteSize.format(status.diskUsedBytes());
        io.predastore.protocol.admin.StorageStatus storage = status.storage();
        if (storage == null || storage.healthy()) {
            return used;
        }
        if (storage.restartNeeded()) {
            return used + " — restart needed";
        }
        if (storage.belowReserve()) {
            return used + " — FULL (" + ByteSize.format(storage.usableBytes()) + " free, below the reserve)";
        }
        return used + " — storage problem";
    }
}
