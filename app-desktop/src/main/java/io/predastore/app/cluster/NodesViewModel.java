package io.predastore.app.cluster;

import io.predastore.app.format.ByteSize;
import io.predastore.app.service.ClusterService;
import io.predastore.app.service.ClusterSnapshot;
import io.predastore.app.service.MemberChanges;
import io.predastore.app.service.NodeSample;
import io.predastore.app.service.ProtectionFetch;
import io.predastore.app.service.RemoteCluster;
import io.predastore.app.task.Async;
import io.predastore.node.supervisor.DevNodeFiles;
import io.predastore.node.supervisor.NodeState;
import io.predastore.node.supervisor.NodeProcessStatus;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
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
 * status and its state as a member, intents to start/stop/restart/kill the selected node, and the tail of its log.
 * For a local dev cluster the app runs, also Add node and Remove node (docs/membership.md), each with a preview of
 * what moves, and Remove refused with its reason while too few active members would remain. Touched on the UI
 * thread only; the apply methods take immutable snapshots.
 *
 * <p>A node the member list says is removed leaves the table once its process has exited; its {@code [[node]]} is
 * dropped from the cluster file then ({@link MemberChanges#pruneRemoved}), and the new file comes back through
 * {@link #setConfig}.
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
    private final ReadOnlyBooleanWrapper canAdd = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canRemove = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper membersEditable = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper removeBlocked = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper memberSummary = new ReadOnlyStringWrapper("");
    private List<Member> members = List.of();
    private Map<Integer, NodeProcessStatus> processes = Map.of();
    private ClusterSnapshot admin;
    /** The open cluster's file, or null for a cluster connected to by endpoint. */
    private ClusterConfig config;
    private MemberChanges changes;
    private ClusterMembers memberList;
    private ProtectionReport report;
    /** A member change (add, remove, dropping removed nodes from the file) is running: one at a time. */
    private boolean changing;
    /**
     * The member-list epoch at which dropping removed nodes from the file last failed, or -1: not tried again until
     * the members change, so a file that cannot lose the node (it would no longer be valid) is not retried and
     * reported on every poll.
     */
    private long pruneFailedAt = -1;
    private Consumer<String> activityLog = line -> { };

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

    /**
     * Where Add node and Remove node make their changes: the open local dev cluster's, or null to turn them off (a
     * cluster the app does not run, or with nodes on other machines).
     */
    public void setMemberChanges(MemberChanges changes) {
        this.changes = changes;
        membersEditable.set(changes != null);
        updateButtons();
    }

    /** Where member changes are written down for the user (the app's activity log). */
    public void setActivityLog(Consumer<String> log) {
        this.activityLog = log;
    }

    /** Applies one attempt to read the protection report, for the previews of what moves. */
    public void applyProtection(ProtectionFetch fetch) {
        if (fetch.report() != null) {
            report = fetch.report();
        }
    }

    /** A cluster was opened, or its file changed (a node added or dropped); the app runs its nodes. */
    public void setConfig(ClusterConfig config) {
        this.config = config;
        List<Member> next = new ArrayList<>();
        for (NodeConfig node : config.nodes()) {
            next.add(new Member(node.id(), node.host() + ":" + node.s3Port(), true));
        }
        members = List.copyOf(next);
        rebuild();
    }

    /** A cluster was connected to by endpoint; its nodes run elsewhere, so they cannot be started or stopped. */
    public void setRemote(RemoteCluster cluster) {
        config = null;
        setMemberChanges(null);
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
        if (snapshot.members() != null) {
            memberList = snapshot.members();
            memberSummary.set(MemberPreview.summary(memberList));
        }
        rebuild();
        refreshLog();
        pruneRemoved();
    }

    /** The member state of node {@code id}, or null when no member list was read or it is not in it. */
    private MemberState memberState(int id) {
        ClusterMembers list = memberList;
        if (list == null) {
            return null;
        }
        return list.member(ClusterSnapshot.adminId(id)).map(ClusterMember::state).orElse(null);
    }

    /** Drops removed nodes whose process has exited from the cluster file, in the background, one pass at a time. */
    private void pruneRemoved() {
        MemberChanges c = changes;
        ClusterMembers list = memberList;
        if (c == null || list == null || changing || list.epoch() == pruneFailedAt || list.inState(MemberState.REMOVED).stream()
                .noneMatch(m -> members.stream().anyMatch(n -> ClusterSnapshot.adminId(n.id()).equals(m.id())
                        && !processActive(n.id())))) {
            return;
        }
        changing = true;
        async.run("Dropping removed nodes from the cluster file", () -> c.pruneRemoved(list), dropped -> {
            changing = false;
            dropped.forEach(id -> activityLog.accept("node-" + id + " was removed and has exited; dropped it from "
                    + "the cluster file"));
            updateButtons();
        }, message -> {
            changing = false;
            pruneFailedAt = list.epoch();
            activityLog.accept(message);
            updateButtons();
        });
    }

    private boolean processActive(int id) {
        NodeState state = processes.getOrDefault(id, NodeProcessStatus.stopped(id)).state();
        return state.isActive() || state == NodeState.STARTING;
    }

    private void rebuild() {
        if (members.isEmpty()) {
            rows.clear();
            return;
        }
        List<NodeRow> next = new ArrayList<>();
        for (Member node : members) {
            NodeSample sample = admin == null ? null : admin.node(node.id()).orElse(null);
            MemberState memberState = memberState(node.id());
            String memberText = memberState == null ? "—" : memberState.wireName();
            if (memberState == MemberState.REMOVED && !(node.supervised() ? processActive(node.id())
                    : sample != null && sample.reachable())) {
                // Gone: its shards have moved and its process has exited; the file drops it next.
                continue;
            }
            if (!node.supervised()) {
                boolean live = sample != null && sample.reachable();
                NodeState state = sample == null ? NodeState.STOPPED : live ? NodeState.RUNNING : NodeState.FAILED;
                next.add(new NodeRow(node.id(), node.s3Address(), state, memberText,
                        live ? sample.status().raftRole().name().toLowerCase(Locale.ROOT) : "—",
                        live ? formatDuration(Duration.ofMillis(sample.status().uptimeMillis())) : "—",
                        live ? Long.toString(sample.status().shardCount()) : "—",
                        live ? diskText(sample.status()) : "—", true));
                continue;
            }
            NodeProcessStatus p = processes.getOrDefault(node.id(), NodeProcessStatus.stopped(node.id()));
            boolean live = p.state() == NodeState.RUNNING && sample != null && sample.reachable();
            next.add(new NodeRow(node.id(), node.s3Address(), p.state(), memberText,
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
        boolean editable = changes != null && !changing;
        boolean anyRunning = processes.values().stream().anyMatch(p -> p.state() == NodeState.RUNNING);
        canAdd.set(editable && anyRunning && memberList != null);
        String blocked = removeRefusal();
        removeBlocked.set(changes == null || blocked == null ? "" : blocked);
        canRemove.set(editable && blocked == null);
    }

    /** Why the selected node cannot be removed now, or null when it can. */
    private String removeRefusal() {
        Integer id = selectedNode.get();
        if (id == null) {
            return "select a node to remove";
        }
        if (memberList == null || config == null) {
            return "the member list has not been read yet";
        }
        return MemberPreview.removalRefusal(config.rs(), memberList, id);
    }

    /** What adding a node is expected to move, for the confirmation the user is asked. */
    public String addPreview() {
        if (config == null || memberList == null) {
            return "the member list has not been read yet";
        }
        // The id Add node will take, chosen as cluster add-node chooses it.
        return MemberPreview.addText(DevNodeFiles.nextId(config, memberList), memberList, report, shardCounts());
    }

    /** What removing the selected node is expected to move, or why it cannot be removed. */
    public String removePreview() {
        Integer id = selectedNode.get();
        String refusal = removeRefusal();
        if (refusal != null) {
            return refusal;
        }
        return MemberPreview.removeText(id, report, shardCounts());
    }

    private Map<Integer, Long> shardCounts() {
        Map<Integer, Long> out = new LinkedHashMap<>();
        if (admin != null) {
            for (NodeSample s : admin.nodes()) {
                if (s.reachable()) {
                    out.put(s.nodeId(), s.status().shardCount());
                }
            }
        }
        return out;
    }

    /** Adds the next node to the running dev cluster (files, member list, cluster file, process). */
    public void addNode() {
        MemberChanges c = changes;
        if (c == null || !canAdd.get()) {
            return;
        }
        changing = true;
        updateButtons();
        activityLog.accept("Adding a node: " + addPreview());
        async.run("Adding a node", c::addNode, added -> {
            changing = false;
            activityLog.accept("node-" + added.nodeId() + " added as joining (ring epoch " + added.epoch()
                    + ") and started at " + added.s3Address());
            selectedNode.set(added.nodeId());
            updateButtons();
        }, message -> {
            changing = false;
            activityLog.accept(message);
            updateButtons();
        });
    }

    /** Starts removing the selected node: it drains, its shards move to the others, then it leaves. */
    public void removeSelected() {
        MemberChanges c = changes;
        Integer id = selectedNode.get();
        if (c == null || id == null || !canRemove.get()) {
            return;
        }
        changing = true;
        updateButtons();
        async.run("Removing node-" + id, () -> c.removeNode(id), list -> {
            changing = false;
            memberList = list;
            memberSummary.set(MemberPreview.summary(list));
            activityLog.accept("node-" + id + " is draining (ring epoch " + list.epoch() + "): its shards move to "
                    + "the other members, then it leaves and exits");
            rebuild();
        }, message -> {
            changing = false;
            activityLog.accept(message);
            updateButtons();
        });
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

    /** Whether Add node applies: a local dev cluster with a running node, and no member change under way. */
    public ReadOnlyBooleanProperty canAddProperty() {
        return canAdd.getReadOnlyProperty();
    }

    /** Whether Remove node applies to the selected node. */
    public ReadOnlyBooleanProperty canRemoveProperty() {
        return canRemove.getReadOnlyProperty();
    }

    /** Whether the members can be changed from this app at all (a local dev cluster it runs). */
    public ReadOnlyBooleanProperty membersEditableProperty() {
        return membersEditable.getReadOnlyProperty();
    }

    /** Why Remove node is off for the selected node (too few active members would remain...), or empty. */
    public ReadOnlyStringProperty removeBlockedProperty() {
        return removeBlocked.getReadOnlyProperty();
    }

    /** The member list in one line, e.g. {@code ring epoch 7: 5 active, 1 joining}; empty before it is read. */
    public ReadOnlyStringProperty memberSummaryProperty() {
        return memberSummary.getReadOnlyProperty();
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
