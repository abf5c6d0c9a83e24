package io.predastore.app.health;

import io.predastore.app.format.ByteSize;
import io.predastore.app.service.ProtectionFetch;
import io.predastore.app.task.Async;
import io.predastore.protocol.admin.AtRiskObject;
import io.predastore.protocol.admin.NodeProtection;
import io.predastore.protocol.admin.ProtectionReport;
import io.predastore.protocol.admin.RepairQueue;
import io.predastore.protocol.admin.ScrubProgress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The health screen: applies each {@link ProtectionFetch} (the cluster's protection report, or why there is none)
 * to read-only properties the view binds to, and offers the intents of the screen: show an object at risk on the
 * ring, and, for a local dev cluster the app runs, corrupt a random shard or wipe a node. UI thread only.
 *
 * <p>The repair progress counts sets repaired since the screen first got a report, against those still queued, so
 * the bar fills as the queue the user is watching drains; when the repairing node changes (its repaired count
 * starts again from zero) the count restarts from there.
 */
public final class HealthViewModel {
    /** What the screen says when the nodes answer 404: they run a release without the protection report. */
    public static final String NOT_AVAILABLE = "health not available from this node (it may run an older version)";
    /** What the screen says before the cluster's first protection pass ended. */
    public static final String FIRST_CHECK = "first check still running";

    private final Clock clock;
    private final Async async;
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("waiting for the first report");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper computed = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ProtectionClasses> classes =
            new ReadOnlyObjectWrapper<>(ProtectionClasses.NONE);
    private final ReadOnlyObjectWrapper<HealthBanner> banner = new ReadOnlyObjectWrapper<>(HealthBanner.NONE);
    private final ReadOnlyStringWrapper queue = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper causes = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper pace = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper eta = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper repairProgress = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper repairProgressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper rebalanceProgress = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper rebalance = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper draining = new ReadOnlyStringWrapper("");
    private final ObservableList<NodeHealthRow> nodes = FXCollections.observableArrayList();
    private final ObservableList<AtRiskObject> atRisk = FXCollections.observableArrayList();
    private final ObservableList<BucketHealthRow> buckets = FXCollections.observableArrayList();
    private final ObservableList<BucketHealthRow> readOnlyBuckets = FXCollections.unmodifiableObservableList(buckets);
    private final ObservableList<NodeHealthRow> readOnlyNodes = FXCollections.unmodifiableObservableList(nodes);
    private final ObservableList<AtRiskObject> readOnlyAtRisk = FXCollections.unmodifiableObservableList(atRisk);
    private final ObjectProperty<AtRiskObject> selected = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper devFaultsEnabled = new ReadOnlyBooleanWrapper();
    private BiConsumer<String, String> placementHandler = (b, k) -> { };
    private Consumer<String> activityLog = line -> { };
    private DevFaultActions devFaults;
    /** The repairing node's repaired-set count when this screen started counting, or -1 before the first report. */
    private long repairedAtStart = -1;

    public HealthViewModel(Clock clock, Async async) {
        this.clock = Objects.requireNonNull(clock);
        this.async = Objects.requireNonNull(async);
    }

    /** What "Show placement" does with an object at risk (the app switches to the ring). */
    public void setPlacementHandler(BiConsumer<String, String> handler) {
        this.placementHandler = Objects.requireNonNull(handler);
    }

    /** Where the dev faults write what they did (the app's activity log). */
    public void setActivityLog(Consumer<String> log) {
        this.activityLog = Objects.requireNonNull(log);
    }

    /**
     * The faults the dev buttons inject, or null to hide them (a cluster the app does not run, or one with nodes on
     * other machines).
     */
    public void setDevFaults(DevFaultActions actions) {
        this.devFaults = actions;
        devFaultsEnabled.set(actions != null);
    }

    /** Forgets the last cluster's report (another cluster was opened). */
    public void reset() {
        available.set(false);
        message.set("waiting for the first report");
        summary.set("");
        computed.set("");
        classes.set(ProtectionClasses.NONE);
        banner.set(HealthBanner.NONE);
        queue.set("");
        causes.set("");
        pace.set("");
        eta.set("");
        repairProgress.set(0);
        repairProgressText.set("");
        rebalanceProgress.set(0);
        rebalance.set("");
        draining.set("");
        nodes.clear();
        atRisk.clear();
        buckets.clear();
        repairedAtStart = -1;
    }

    /** Applies one attempt to read the protection report. */
    public void apply(ProtectionFetch fetch) {
        ProtectionReport r = fetch.report();
        if (r == null) {
            available.set(false);
            // An unreachable cluster keeps its last banner: what was at risk is no safer for being out of reach.
            message.set(fetch.unsupported() ? NOT_AVAILABLE : "health unknown: " + fetch.error());
            if (fetch.unsupported()) {
                banner.set(HealthBanner.NONE);
            }
            return;
        }
        available.set(true);
        long now = clock.millis();
        applyNodes(r, now);
        applyRepairs(r.repairs());
        applyRebalance(r);
        if (r.computedAtMillis() < 0) {
            message.set(FIRST_CHECK);
            summary.set("");
            computed.set(FIRST_CHECK);
            classes.set(ProtectionClasses.NONE);
            banner.set(HealthBanner.NONE);
            setIfChanged(atRisk, List.of());
            setIfChanged(buckets, List.of());
            return;
        }
        message.set("");
        ProtectionClasses c = ProtectionClasses.of(r);
        classes.set(c);
        summary.set(r.summaryLine());
        computed.set("computed " + HealthText.ago(r.computedAtMillis(), now) + " (the pass took "
                + HealthText.duration(r.passMillis() / 1000) + ", erasure " + r.dataShards() + "+"
                + r.parityShards() + ")");
        banner.set(HealthText.banner(c, r.repairs()));
        setIfChanged(atRisk, r.atRisk());
        setIfChanged(buckets, r.buckets().stream().map(b -> BucketHealthRow.of(b, r.parityShards()))
                .sorted(BucketHealthRow.WORST_FIRST).toList());
    }

    /**
     * The rebalancer's progress: shards still to move onto new members and off draining ones, against those moved
     * since the repairing node took the role, and what each draining node still holds.
     */
    private void applyRebalance(ProtectionReport r) {
        if (r.rebalance() == null) {
            rebalanceProgress.set(0);
            rebalance.set("rebalance: not reported (the nodes run a release without the rebalancer)");
            draining.set("");
            return;
        }
        if (!r.computed()) {
            rebalanceProgress.set(0);
            rebalance.set("rebalance: " + FIRST_CHECK);
            draining.set("");
            return;
        }
        rebalanceProgress.set(HealthText.rebalanceProgress(r.rebalance()));
        rebalance.set(HealthText.rebalance(r.rebalance()));
        draining.set(HealthText.draining(r.rebalance()));
    }

    private void applyRepairs(RepairQueue q) {
        queue.set(HealthText.queue(q));
        causes.set(HealthText.causes(q.queuedByCause()));
        pace.set(HealthText.pace(q));
        eta.set(HealthText.eta(q));
        if (repairedAtStart < 0 || q.repairedSets() < repairedAtStart) {
            repairedAtStart = q.repairedSets();
        }
        long done = q.repairedSets() - repairedAtStart;
        long all = done + q.queuedSets();
        repairProgress.set(all == 0 ? 1.0 : (double) done / all);
        repairProgressText.set(done + " of " + all + (all == 1 ? " set" : " sets") + " repaired since this view "
                + "opened");
    }

    private void applyNodes(ProtectionReport r, long now) {
        Map<String, NodeProtection> states = new LinkedHashMap<>();
        for (NodeProtection n : r.nodes()) {
            states.put(n.nodeId(), n);
        }
        Map<String, ScrubProgress> scrubs = new LinkedHashMap<>();
        for (ScrubProgress s : r.scrub()) {
            scrubs.put(s.nodeId(), s);
        }
        List<String> ids = new ArrayList<>(states.keySet());
        scrubs.keySet().stream().filter(id -> !states.containsKey(id)).forEach(ids::add);
        ids.sort(HealthViewModel::compareNodeIds);
        List<NodeHealthRow> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(row(id, states.get(id), scrubs.get(id), now));
        }
        setIfChanged(nodes, rows);
    }

    /** {@code node-2} before {@code node-10}. */
    static int compareNodeIds(String a, String b) {
        int byLength = Integer.compare(a.length(), b.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    static NodeHealthRow row(String id, NodeProtection state, ScrubProgress scrub, long now) {
        String stateText = "unknown";
        boolean down = false;
        long shards = -1;
        if (state != null) {
            shards = state.shards();
            down = !state.alive() || state.lost();
            String since = state.downSinceMillis() < 0 ? ""
                    : HealthText.duration(Math.max(0, now - state.downSinceMillis()) / 1000);
            if (state.lost()) {
                stateText = since.isEmpty() ? "lost" : "lost (down " + since + ")";
            } else if (!state.alive()) {
                stateText = since.isEmpty() ? "down" : "down " + since;
            } else {
                stateText = "up";
            }
        }
        if (scrub == null) {
            return new NodeHealthRow(id, stateText, down, shards, -1, "no scrub report", "—", -1);
        }
        double progress = scrub.passBytesTotal() == 0 ? (scrub.passesCompleted() > 0 ? 1.0 : 0.0)
                : Math.min(1.0, (double) scrub.passBytesVerified() / scrub.passBytesTotal());
        String verified = ByteSize.format(scrub.passBytesVerified()) + " of " + ByteSize.format(scrub.passBytesTotal())
                + (scrub.bytesPerSecond() == 0 ? " (scrubbing off)" : "");
        return new NodeHealthRow(id, stateText, down, shards, progress, verified,
                HealthText.ago(scrub.lastFullPassMillis(), now), scrub.corruptionsFound());
    }

    private static <T> void setIfChanged(ObservableList<T> list, List<T> next) {
        if (!list.equals(next)) {
            list.setAll(next);
        }
    }

    /** Shows the selected object at risk on the ring. */
    public void showPlacement() {
        AtRiskObject o = selected.get();
        if (o != null) {
            placementHandler.accept(o.bucket(), o.key());
        }
    }

    /** What the user is asked before {@link #corruptRandomShard()}. */
    public static String corruptConfirmText() {
        return "Flip 16 bytes inside a shard segment file of a random node of this dev cluster? The node's scrubber "
                + "should find the shard corrupt and the repair engine rebuild it. If the bytes fall in a dead record "
                + "(one compaction has not yet removed), nothing is detected.";
    }

    /** What the user is asked before {@link #wipeNode(int)}. */
    public static String wipeConfirmText(int nodeId) {
        return "Stop node-" + nodeId + ", delete all its shards and metadata (its cluster secret and the cluster's "
                + "credentials are kept) and start it again, empty? Its objects' shards must then be rebuilt from "
                + "the other nodes.";
    }

    /** Flips bytes in a random node's shard segment (dev clusters only), logging what was done. */
    public void corruptRandomShard() {
        DevFaultActions actions = devFaults;
        if (actions != null) {
            async.run("Corrupting a random shard", actions::corruptRandomShard, activityLog::accept,
                    activityLog::accept);
        }
    }

    /** Wipes a node's data and restarts it (dev clusters only), logging what was done. */
    public void wipeNode(int nodeId) {
        DevFaultActions actions = devFaults;
        if (actions != null) {
            activityLog.accept("Wiping node-" + nodeId + ": stopping it");
            async.run("Wiping node-" + nodeId, () -> actions.wipeNode(nodeId), activityLog::accept,
                    activityLog::accept);
        }
    }

    /** The nodes that may be wiped (empty when the dev buttons are hidden). */
    public List<Integer> wipeCandidates() {
        DevFaultActions actions = devFaults;
        return actions == null ? List.of() : actions.nodeIds();
    }

    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** Why there is no report (or {@link #FIRST_CHECK}); empty when a report is shown. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** {@code protection: F full, D degraded, R at risk, U unreadable}. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** When the report was computed, e.g. {@code computed just now (the pass took 1 s, erasure 3+2)}. */
    public ReadOnlyStringProperty computedProperty() {
        return computed.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ProtectionClasses> classesProperty() {
        return classes.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HealthBanner> bannerProperty() {
        return banner.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty queueProperty() {
        return queue.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty causesProperty() {
        return causes.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty paceProperty() {
        return pace.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty etaProperty() {
        return eta.getReadOnlyProperty();
    }

    /** Sets repaired since the screen first got a report, of those plus the ones still queued (0 to 1). */
    public ReadOnlyDoubleProperty repairProgressProperty() {
        return repairProgress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty repairProgressTextProperty() {
        return repairProgressText.getReadOnlyProperty();
    }

    /** Shards the rebalancer moved, of those plus the ones still to move (0 to 1); 1 when nothing is left. */
    public ReadOnlyDoubleProperty rebalanceProgressProperty() {
        return rebalanceProgress.getReadOnlyProperty();
    }

    /** {@code rebalance: 120 shards (30 MiB) to move, about 2 min}, or {@code rebalance: nothing to move}. */
    public ReadOnlyStringProperty rebalanceProperty() {
        return rebalance.getReadOnlyProperty();
    }

    /** What each draining node still holds, e.g. {@code draining node-4: 37 shards left}; empty when none drains. */
    public ReadOnlyStringProperty drainingProperty() {
        return draining.getReadOnlyProperty();
    }

    public ObservableList<NodeHealthRow> nodes() {
        return readOnlyNodes;
    }

    /** Objects at risk or unreadable, fewest healthy shards first, as the report lists them. */
    public ObservableList<AtRiskObject> atRisk() {
        return readOnlyAtRisk;
    }

    /** Each bucket's objects by protection class, worst bucket first. */
    public ObservableList<BucketHealthRow> buckets() {
        return readOnlyBuckets;
    }

    /** The selected object at risk; the view binds the list's selection to it. */
    public ObjectProperty<AtRiskObject> selectedProperty() {
        return selected;
    }

    public ReadOnlyBooleanProperty devFaultsEnabledProperty() {
        return devFaultsEnabled.getReadOnlyProperty();
    }
}
